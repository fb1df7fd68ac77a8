import type { Command } from "commander";
import type { ProjectConfig } from "../config/project-config.ts";
import { variablesFromEnvFiles } from "../config/env-files.ts";
import { CONFIG_FILE_NAME, loadConfig } from "../config/project-config.ts";
import { connectionFromEnv } from "../notion/connection.ts";
import { NotionApi } from "../notion/notion-api.ts";
import type { RequestObserver } from "../notion/request-events.ts";

/** The global flags every command sees. */
export interface GlobalFlags {
  config: string;
}

/**
 * The flags that every command takes, each from the command nearest the one running that was
 * given it (`--config` may come before the command or after it), else its default.
 */
export function globalFlags(command: Command): GlobalFlags {
  for (let at: Command | null = command; at; at = at.parent) {
    const config = at.opts<{ config?: string }>().config;
    if (config !== undefined) return { config };
  }
  return { config: CONFIG_FILE_NAME };
}

/**
 * Sets, in this process's environment, what the `.env` beside the command's config file and the
 * one in the working folder add (the environment beats both; the config's beats the folder's).
 */
export function loadEnvFiles(command: Command): void {
  const { variables } = variablesFromEnvFiles(globalFlags(command).config, process.env);
  Object.assign(process.env, variables);
}

export function projectConfig(command: Command): ProjectConfig {
  return loadConfig(globalFlags(command).config);
}

/**
 * The Notion API as the environment and config say: token, base URL, the config's ceiling if it
 * sets one, API version; `onEvent` is told of its retries and waits (a progress display).
 */
export function notionApi(
  config: Pick<ProjectConfig, "rateLimit" | "notionVersion">,
  onEvent?: RequestObserver,
): NotionApi {
  return new NotionApi(connectionFromEnv(), {
    ...(config.rateLimit === undefined ? {} : { rateLimit: config.rateLimit }),
    notionVersion: config.notionVersion,
    onEvent,
  });
}

/** True when humans are watching stderr (progress bars, colours). */
export function stderrIsTty(): boolean {
  return Boolean(process.stderr.isTTY) && !process.env.CI;
}
