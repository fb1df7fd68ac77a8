import { readFileSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { NotionMirrorError } from "../errors.ts";
import { normalizeNotionId } from "../notion/codec/index.ts";
import type { NotionVersion } from "../notion/api-version.ts";
import { DEFAULT_NOTION_VERSION } from "../notion/api-version.ts";
import type { ProjectConfigFile } from "./config-schema.ts";
import { configSchema, versionList } from "./config-schema.ts";

export const CONFIG_FILE_NAME = "notion-mirror.json";

/** The validated config with every path made absolute (relative to the config file's folder). */
export interface ProjectConfig {
  file: string;
  dataSources: Array<{ id: string; alias: string; name?: string }>;
  mirrorPath: string;
  snapshotsDir: string;
  fillsDir: string;
  tracker?: { id: string; name?: string };
  /** Requests per second never to exceed; undefined: no ceiling (Notion's answers pace). */
  rateLimit?: number;
  /** The Notion API version every request speaks (`notionVersion`, default 2026-03-11). */
  notionVersion: NotionVersion;
}

/**
 * Reads and validates the project config. Throws a config error naming the bad key
 * (`dataSources[2].alias: must start with …`) or saying how to create the file.
 */
export function loadConfig(file: string = CONFIG_FILE_NAME): ProjectConfig {
  const path = resolve(file);
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch {
    throw new NotionMirrorError(
      "config",
      `No config file at ${path}.`,
      "Try: notion-mirror init (or init --demo for the emulator's demo workspace), or pass --config FILE.",
    );
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    throw new NotionMirrorError(
      "config",
      `${path} is not valid JSON: ${(error as Error).message}`,
      "Fix the JSON at the position named; `notion-mirror init --force` writes a fresh file.",
    );
  }
  return fromFileContent(raw, path);
}

/** Validates config content already parsed; `path` locates relative paths and names the file in errors. */
export function fromFileContent(raw: unknown, path: string): ProjectConfig {
  const parsed = configSchema.safeParse(raw);
  if (!parsed.success) {
    const problems = parsed.error.issues.map(
      (issue) => `  ${formatPath(issue.path)}: ${issue.message}`,
    );
    const badVersion = parsed.error.issues.some((issue) => issue.path[0] === "notionVersion");
    throw new NotionMirrorError(
      "config",
      `${path} is not a valid notion-mirror config:\n${problems.join("\n")}`,
      "Fix the keys named above; `notion-mirror init --force` writes a fresh file." +
        (badVersion
          ? ` Try: "notionVersion": "${DEFAULT_NOTION_VERSION}" (one of ${versionList()}), or leave the key out for the default.`
          : ""),
    );
  }
  const config = parsed.data;
  checkUnique(config, path);
  const base = dirname(path);
  return {
    file: path,
    dataSources: config.dataSources.map((source) => ({ ...source, id: dashed(source.id) })),
    mirrorPath: resolve(base, config.mirror),
    snapshotsDir: resolve(base, config.snapshots),
    fillsDir: resolve(base, config.fills),
    ...(config.tracker ? { tracker: { ...config.tracker, id: dashed(config.tracker.id) } } : {}),
    ...(config.rateLimit === undefined ? {} : { rateLimit: config.rateLimit }),
    notionVersion: config.notionVersion,
  };
}

function checkUnique(config: ProjectConfigFile, path: string): void {
  const seenAlias = new Map<string, number>();
  const seenId = new Map<string, number>();
  config.dataSources.forEach((source, index) => {
    const aliasIndex = seenAlias.get(source.alias);
    if (aliasIndex !== undefined) {
      throw new NotionMirrorError(
        "config",
        `${path}: dataSources[${index}].alias "${source.alias}" is already used by dataSources[${aliasIndex}]; aliases name views and must be unique.`,
        `Give dataSources[${index}] an alias of its own in ${path}.`,
      );
    }
    const id = dashed(source.id);
    const idIndex = seenId.get(id);
    if (idIndex !== undefined) {
      throw new NotionMirrorError(
        "config",
        `${path}: dataSources[${index}].id repeats dataSources[${idIndex}].id (${id}).`,
        `List each data source once: remove dataSources[${index}] from ${path}.`,
      );
    }
    seenAlias.set(source.alias, index);
    seenId.set(id, index);
  });
}

function formatPath(path: ReadonlyArray<PropertyKey>): string {
  if (path.length === 0) return "(top level)";
  return path
    .map((part, index) =>
      typeof part === "number" ? `[${part}]` : `${index === 0 ? "" : "."}${String(part)}`,
    )
    .join("");
}

/** Notion ids in the dashed lowercase form used everywhere in the mirror (validated before). */
function dashed(id: string): string {
  return normalizeNotionId(id) ?? id;
}
