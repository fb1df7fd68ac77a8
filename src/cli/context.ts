import type { Command } from "commander";
import type { ProjectConfig } from "../config/project-config.ts";
import { CONFIG_FILE_NAME, loadConfig } from "../config/project-config.ts";
import { connectionFromEnv } from "../notion/connection.ts";
import { NotionApi } from "../notion/notion-api.ts";
import type { RequestObserver } from "../notion/request-events.ts";

/** The global flags every command sees. */
export interface GlobalFlags {
  config: string;
}

export function globalFlags(command: Command): GlobalFlags {
  const flags = command.optsWithGlobals<{ config?: string }>();
  return { config: flags.config ?? CONFIG_FILE_NAME };
}

export function projectConfig(command: Command): ProjectConfig {
  return loadConfig(globalFlags(command).config);
}

/**
 * The Notion API as the environment and config say: token, base URL, rate limit; `onEvent` is
 * told of its retries and waits (a progress display).
 */
export function notionApi(
  config: Pick<ProjectConfig, "rateLimit">,
  onEvent?: RequestObserver,
): NotionApi {
  return new NotionApi(connectionFromEnv(), { rateLimit: config.rateLimit, onEvent });
}

/** True when humans are watching stderr (progress bars, colours). */
export function stderrIsTty(): boolean {
  return Boolean(process.stderr.isTTY) && !process.env.CI;
}
