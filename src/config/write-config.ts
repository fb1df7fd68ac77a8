import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { NotionMirrorError } from "../errors.ts";
import type { NotionVersion } from "../notion/api-version.ts";
import { DEFAULT_NOTION_VERSION } from "../notion/api-version.ts";
import { snakeCase } from "../util/snake-case.ts";
import { ALIAS_PATTERN, isReservedAlias } from "./config-schema.ts";
import type { ProjectConfigFile } from "./config-schema.ts";
import { fromFileContent } from "./project-config.ts";
import type { ProjectConfig } from "./project-config.ts";

export interface DiscoveredDataSource {
  id: string;
  title: string;
}

/**
 * A config listing these data sources, each with an alias made from its title (snake_case,
 * unique, never a name the mirror's own tables use). The tracker, if named, is left out of the
 * canonical list. The Notion version is written out (default 2026-03-11), so the file says which
 * API it speaks. No `rateLimit` unless one is given: without a ceiling, notion-mirror goes as fast
 * as the workspace's plan allows.
 */
export function buildConfig(
  sources: readonly DiscoveredDataSource[],
  options: {
    tracker?: DiscoveredDataSource;
    rateLimit?: number;
    notionVersion?: NotionVersion;
  } = {},
): ProjectConfigFile {
  const taken = new Set<string>();
  const dataSources = sources
    .filter((source) => source.id !== options.tracker?.id)
    .map((source) => ({
      id: source.id,
      alias: uniqueAlias(source.title, taken),
      name: source.title,
    }));
  return {
    version: 1,
    dataSources,
    mirror: "./notion-mirror.db",
    snapshots: "./snapshots",
    fills: "./fills",
    ...(options.tracker
      ? { tracker: { id: options.tracker.id, name: options.tracker.title } }
      : {}),
    ...(options.rateLimit === undefined ? {} : { rateLimit: options.rateLimit }),
    notionVersion: options.notionVersion ?? DEFAULT_NOTION_VERSION,
  };
}

function uniqueAlias(title: string, taken: Set<string>): string {
  let base = snakeCase(title);
  if (!ALIAS_PATTERN.test(base) || isReservedAlias(base)) base = `ds_${base}`.slice(0, 60);
  let alias = base;
  for (let n = 2; taken.has(alias); n += 1) alias = `${base}_${n}`;
  taken.add(alias);
  return alias;
}

/**
 * Writes the config file (validated first). Refuses to replace an existing file unless `force`.
 */
export function writeConfig(
  file: string,
  content: ProjectConfigFile,
  force = false,
): ProjectConfig {
  const path = resolve(file);
  if (existsSync(path) && !force) {
    throw new NotionMirrorError(
      "usage",
      `${path} already exists.`,
      "Try: init --force to replace it.",
    );
  }
  const config = fromFileContent(content, path);
  try {
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, `${JSON.stringify(content, null, 2)}\n`, { mode: 0o644 });
  } catch (error) {
    throw new NotionMirrorError(
      "config",
      `Cannot write the config file ${path}: ${(error as Error).message}`,
      "Pass --config with a path in a folder you can write to.",
    );
  }
  return config;
}
