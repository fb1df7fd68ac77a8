import { NotionMirrorError } from "../errors.ts";

/** Where and as whom to talk to Notion. The token stays in memory; it is never written anywhere. */
export interface NotionConnection {
  readonly token: string;
  /** Base URL without trailing slash; undefined means Notion itself. */
  readonly baseUrl: string | undefined;
}

/**
 * Reads the connection from the environment: NOTION_TOKEN (or NOTION_API_KEY) and, to point at an
 * emulator, NOTION_BASE_URL. Throws a config error that names the variables when no token is set.
 */
export function connectionFromEnv(env: NodeJS.ProcessEnv = process.env): NotionConnection {
  const token = (env.NOTION_TOKEN ?? env.NOTION_API_KEY ?? "").trim();
  if (!token) {
    throw new NotionMirrorError(
      "config",
      "No Notion token: set NOTION_TOKEN (or NOTION_API_KEY) in the environment or in a .env file.",
      "Create an internal integration at https://www.notion.so/profile/integrations, copy its secret, then: export NOTION_TOKEN=…",
    );
  }
  const rawBase = env.NOTION_BASE_URL?.trim();
  let baseUrl: string | undefined;
  if (rawBase) {
    try {
      const parsed = new URL(rawBase);
      if (parsed.protocol !== "http:" && parsed.protocol !== "https:") throw new Error("not http");
    } catch {
      throw new NotionMirrorError(
        "config",
        `NOTION_BASE_URL is not an http(s) URL: ${JSON.stringify(rawBase)}`,
        "Try: NOTION_BASE_URL=http://127.0.0.1:PORT (the URL `notion-mirror emulator` prints), or unset it to use Notion.",
      );
    }
    baseUrl = rawBase.replace(/\/+$/, "");
  }
  return { token, baseUrl };
}
