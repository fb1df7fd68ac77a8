import type { UserObjectResponse } from "../notion/sdk-types.ts";
import type { NotionVersion } from "../notion/api-version.ts";
import { connectionFromEnv } from "../notion/connection.ts";
import { NotionApi } from "../notion/notion-api.ts";

/** Notion's own API, where writes go unless NOTION_BASE_URL points elsewhere. */
export const NOTION_API_URL = "https://api.notion.com";

/** Where a push or revert would write, as its confirmation and `--dry-run` name it. */
export interface WriteTarget {
  /** The API base URL: Notion's own, or NOTION_BASE_URL (an emulator, a rehearsal copy). */
  url: string;
  /** True when NOTION_BASE_URL set the URL. */
  fromBaseUrl: boolean;
  /** The integration's workspace, as `users/me` names it; null when not known. */
  workspace: string | null;
  /** Why the workspace is not known (no token, the request failed); absent when it is. */
  workspaceUnknown?: string;
}

/**
 * Names the write target: the URL from the environment, and the workspace from one `users/me`
 * read (a read only; nothing is written). `strict` (before a confirmation): a refused token or an
 * unreachable API throws, so nobody is asked to confirm a write that cannot happen. Otherwise
 * (`--dry-run`): a single short attempt, made only when a token is set, and a failure becomes
 * `workspaceUnknown`. The read speaks `notionVersion` (the config's; default 2026-03-11).
 */
export async function writeTarget(
  options: { strict: boolean; notionVersion?: NotionVersion },
  env: NodeJS.ProcessEnv = process.env,
): Promise<WriteTarget> {
  const rawBase = env.NOTION_BASE_URL?.trim().replace(/\/+$/, "");
  const fallback = { url: rawBase || NOTION_API_URL, fromBaseUrl: Boolean(rawBase) };
  let connection: ReturnType<typeof connectionFromEnv>;
  try {
    connection = connectionFromEnv(env);
  } catch (error) {
    if (options.strict) throw error;
    return { ...fallback, workspace: null, workspaceUnknown: (error as Error).message };
  }
  const where = {
    url: connection.baseUrl ?? NOTION_API_URL,
    fromBaseUrl: Boolean(connection.baseUrl),
  };
  const api = new NotionApi(connection, {
    notionVersion: options.notionVersion,
    rateLimit: Infinity,
    maxAttempts: options.strict ? 3 : 1,
    // Only the workspace's name, for a confirmation: not worth a wait Notion asks for.
    ...(options.strict ? {} : { maxRefusals: 1 }),
    timeoutMs: options.strict ? 30_000 : 5_000,
  });
  try {
    const workspace = workspaceName(await api.me());
    return workspace
      ? { ...where, workspace }
      : { ...where, workspace: null, workspaceUnknown: "users/me names no workspace" };
  } catch (error) {
    if (options.strict) throw error;
    return { ...where, workspace: null, workspaceUnknown: (error as Error).message };
  }
}

/** A bot's workspace name; null for a person or a bot without one. */
function workspaceName(me: UserObjectResponse): string | null {
  if (me.type !== "bot" || !("workspace_name" in me.bot)) return null;
  return me.bot.workspace_name;
}

/** `the workspace "Acme" on Notion (https://api.notion.com)`, or `… at URL (NOTION_BASE_URL)`. */
export function targetText(target: WriteTarget): string {
  const workspace = target.workspace
    ? `the workspace ${JSON.stringify(target.workspace)}`
    : "the integration's workspace";
  return target.fromBaseUrl
    ? `${workspace} at ${target.url} (NOTION_BASE_URL, not Notion itself)`
    : `${workspace} on Notion (${target.url})`;
}

/** The line `--dry-run` prints: where the writes would go. */
export function targetLine(target: WriteTarget): string {
  const unknown = target.workspaceUnknown
    ? ` — workspace not known: ${target.workspaceUnknown}`
    : "";
  return `Target: ${targetText(target)}${unknown}\n`;
}
