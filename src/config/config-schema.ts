import { z } from "zod";
import { DEFAULT_NOTION_VERSION, NOTION_VERSIONS } from "../notion/api-version.ts";

/** A SQL-friendly alias: it names the data source's view, so it must be a plain identifier. */
export const ALIAS_PATTERN = /^[a-z][a-z0-9_]{0,62}$/;

const notionId = z
  .string()
  .regex(
    /^[0-9a-fA-F]{8}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{12}$/,
    "must be a Notion id (32 hex digits, dashes optional)",
  );

/**
 * Names the mirror's own tables and indexes use (SQLite gives tables, views and indexes one
 * namespace, so a view cannot take any of them). Kept in step with src/mirror/schema.ts by
 * test/config; the pull also refuses at run time an alias that names an existing table.
 */
export const RESERVED_ALIASES = new Set([
  "data_sources",
  "properties",
  "pages",
  "relations",
  "schema_changes",
  "column_map",
  "pulls",
  "runs",
  "changes",
  "data_sources_alias_unique",
  "pages_by_data_source",
  "relations_by_target",
  "changes_by_run",
  "changes_once_per_run",
  "review_proposals",
  "review_proposals_once_per_run",
  "plan_inputs",
  "run_events",
  "run_events_by_run",
]);

/** True when a view cannot be named `alias`: one of the mirror's own names, or SQLite's. */
export function isReservedAlias(alias: string): boolean {
  return RESERVED_ALIASES.has(alias) || alias.startsWith("sqlite_");
}

const alias = z
  .string()
  .regex(
    ALIAS_PATTERN,
    "must start with a lowercase letter and hold only lowercase letters, digits and _ (at most 63)",
  )
  .refine((value) => !isReservedAlias(value), {
    message: `is the name of one of the mirror's own tables or indexes (${[...RESERVED_ALIASES].join(", ")}) or starts with sqlite_; choose another`,
  });

const dataSource = z.strictObject({
  id: notionId,
  alias,
  /** The title when the config was written; for people reading the file. */
  name: z.string().optional(),
});

const relativePath = z.string().min(1, "must not be empty");

/** The project config file (`notion-mirror.json`), version 1. */
export const configSchema = z.strictObject({
  version: z.literal(1),
  dataSources: z.array(dataSource).min(1, "must list at least one data source"),
  mirror: relativePath.default("./notion-mirror.db"),
  snapshots: relativePath.default("./snapshots"),
  fills: relativePath.default("./fills"),
  tracker: z.strictObject({ id: notionId, name: z.string().optional() }).optional(),
  /**
   * A ceiling in requests per second, to leave room for the workspace's other integrations.
   * Absent: none; notion-mirror spends the budget Notion's answers reveal.
   */
  rateLimit: z.number().positive().max(1000).optional(),
  /** The Notion API version to speak (see src/notion/api-version.ts). */
  notionVersion: z
    .enum(NOTION_VERSIONS, { message: `must be ${versionList()}` })
    .default(DEFAULT_NOTION_VERSION),
});

/** `"2025-09-03", "2026-03-11" (the default) or "2026-12-01"`, for messages and hints. */
export function versionList(): string {
  const named = NOTION_VERSIONS.map(
    (version) =>
      `${JSON.stringify(version)}${version === DEFAULT_NOTION_VERSION ? " (the default)" : ""}`,
  );
  return `${named.slice(0, -1).join(", ")} or ${named.at(-1) ?? ""}`;
}

export type ProjectConfigFile = z.infer<typeof configSchema>;
