import {
  index,
  integer,
  primaryKey,
  sqliteTable,
  text,
  uniqueIndex,
} from "drizzle-orm/sqlite-core";

/**
 * The mirror's tables. Everything is keyed by Notion ids (property ids survive renames); names
 * are for people. Raw JSON is Notion's own, so the mirror is lossless.
 */

/** One row per canonical data source: its schema as Notion returned it, and sync state. */
export const dataSources = sqliteTable("data_sources", {
  id: text("id").primaryKey(),
  databaseId: text("database_id").notNull(),
  alias: text("alias").notNull().unique(),
  title: text("title").notNull(),
  /** The data source object (schema included) as Notion returned it. */
  schemaJson: text("schema_json").notNull(),
  /** Hash of property ids, names, types and options: a plan records it, a push compares it. */
  schemaFingerprint: text("schema_fingerprint").notNull(),
  /** Latest page last_edited_time seen (Notion's minute precision); incremental pulls start before it. */
  watermark: text("watermark"),
  pulledAt: text("pulled_at"),
  fullPulledAt: text("full_pulled_at"),
  /**
   * When a full pull last read every page Notion holds, past its per-query cap and refused
   * cursors; incremental pulls since then were complete too (a pull that cannot be complete
   * fails and commits nothing). NULL: the mirror was pulled by a version that did not check.
   */
  completeSince: text("complete_since"),
  /** Query windows the latest pull walked (1 when the data source fits one query). */
  walkWindows: integer("walk_windows"),
  /** Of those, how many Notion cut at its per-query cap. */
  walkCapped: integer("walk_capped"),
});

/** The properties of each data source, by id, with the view column that shows them. */
export const properties = sqliteTable(
  "properties",
  {
    dataSourceId: text("data_source_id").notNull(),
    propertyId: text("property_id").notNull(),
    name: text("name").notNull(),
    type: text("type").notNull(),
    /** The property's schema object (options, relation target, formula …). */
    configJson: text("config_json").notNull(),
    /** The key under which pages.values_json holds this property's natural value. */
    valueKey: text("value_key").notNull(),
  },
  (table) => [primaryKey({ columns: [table.dataSourceId, table.propertyId] })],
);

/** Pages: Notion's page object completed past truncation, and its natural values. */
export const pages = sqliteTable(
  "pages",
  {
    id: text("id").primaryKey(),
    dataSourceId: text("data_source_id").notNull(),
    createdTime: text("created_time").notNull(),
    lastEditedTime: text("last_edited_time").notNull(),
    inTrash: integer("in_trash", { mode: "boolean" }).notNull().default(false),
    /** No longer visible to the integration (deleted or unshared); kept for history. */
    gone: integer("gone", { mode: "boolean" }).notNull().default(false),
    url: text("url").notNull(),
    /** Natural value per property, keyed by properties.value_key (before raw_json,
     * so reading it does not step over the large raw JSON). */
    valuesJson: text("values_json").notNull(),
    /** The whole page object as Notion returned it, relations and long lists completed. */
    rawJson: text("raw_json").notNull(),
    pulledAt: text("pulled_at").notNull(),
  },
  (table) => [index("pages_by_data_source").on(table.dataSourceId, table.inTrash)],
);

/** Relation values in their own table, order kept. */
export const relations = sqliteTable(
  "relations",
  {
    pageId: text("page_id").notNull(),
    propertyId: text("property_id").notNull(),
    position: integer("position").notNull(),
    targetPageId: text("target_page_id").notNull(),
  },
  (table) => [
    primaryKey({ columns: [table.pageId, table.propertyId, table.position] }),
    index("relations_by_target").on(table.targetPageId),
  ],
);

/** Schema changes seen by pulls: renamed, added, removed, type_changed. */
export const schemaChanges = sqliteTable("schema_changes", {
  id: integer("id").primaryKey({ autoIncrement: true }),
  dataSourceId: text("data_source_id").notNull(),
  propertyId: text("property_id").notNull(),
  kind: text("kind", { enum: ["added", "removed", "renamed", "type_changed"] }).notNull(),
  before: text("before"),
  after: text("after"),
  detectedAt: text("detected_at").notNull(),
});

/** The columns of each generated view and the property each shows. */
export const columnMap = sqliteTable(
  "column_map",
  {
    dataSourceId: text("data_source_id").notNull(),
    columnName: text("column_name").notNull(),
    propertyId: text("property_id"),
    propertyType: text("property_type"),
    sqlType: text("sql_type").notNull(),
    /** What the column holds: start / end for dates, value otherwise, or page metadata. */
    part: text("part").notNull(),
  },
  (table) => [primaryKey({ columns: [table.dataSourceId, table.columnName] })],
);

/** One row per pull, for status and benchmarks. */
export const pulls = sqliteTable("pulls", {
  id: integer("id").primaryKey({ autoIncrement: true }),
  startedAt: text("started_at").notNull(),
  finishedAt: text("finished_at").notNull(),
  mode: text("mode", { enum: ["full", "incremental"] }).notNull(),
  requests: integer("requests").notNull(),
  pagesWritten: integer("pages_written").notNull(),
  summaryJson: text("summary_json").notNull(),
});

/**
 * Runs: one plan → push (kind "fill") or one revert (kind "revert"). A run is planned, then
 * applied (perhaps partly), then maybe reverted by another run.
 */
export const runs = sqliteTable("runs", {
  id: text("id").primaryKey(),
  kind: text("kind", { enum: ["fill", "revert"] }).notNull(),
  status: text("status", {
    enum: ["planned", "applying", "applied", "partial", "reverted", "discarded", "superseded"],
  }).notNull(),
  createdAt: text("created_at").notNull(),
  appliedAt: text("applied_at"),
  revertsRunId: text("reverts_run_id"),
  /** Rules (with their SQL), confidence threshold, review items and the mirror state planned from. */
  planJson: text("plan_json").notNull(),
  /** Counts, timings and request figures once applied. */
  summaryJson: text("summary_json"),
});

/** The changes of a run, one per page and property. */
export const changes = sqliteTable(
  "changes",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    runId: text("run_id").notNull(),
    pageId: text("page_id").notNull(),
    dataSourceId: text("data_source_id").notNull(),
    propertyId: text("property_id").notNull(),
    propertyName: text("property_name").notNull(),
    propertyType: text("property_type").notNull(),
    rule: text("rule").notNull(),
    confidence: text("confidence", { enum: ["high", "medium", "low"] }).notNull(),
    /** The value as the mirror (plan) or the live read (push) saw it before: Notion's JSON. */
    beforeJson: text("before_json"),
    /** The update payload to send (request format). */
    payloadJson: text("payload_json").notNull(),
    /** The rule's value in natural form, for people. */
    naturalJson: text("natural_json"),
    /** The value Notion answered after the write: Notion's JSON. */
    afterJson: text("after_json"),
    status: text("status", {
      enum: ["planned", "applied", "skipped_conflict", "failed", "unknown", "reverted"],
    }).notNull(),
    error: text("error"),
    appliedAt: text("applied_at"),
  },
  (table) => [
    index("changes_by_run").on(table.runId, table.pageId),
    uniqueIndex("changes_once_per_run").on(table.runId, table.pageId, table.propertyId),
  ],
);

/**
 * Proposals of rules below a plan's confidence threshold: kept in the run "for review" until a
 * person accepts or rejects them. An accepted proposal becomes a planned change of its run
 * (`change_id`), so push sends it like any other; a rejected or undecided one is never sent.
 */
export const reviewProposals = sqliteTable(
  "review_proposals",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    runId: text("run_id").notNull(),
    pageId: text("page_id").notNull(),
    dataSourceId: text("data_source_id").notNull(),
    propertyId: text("property_id").notNull(),
    propertyName: text("property_name").notNull(),
    propertyType: text("property_type").notNull(),
    rule: text("rule").notNull(),
    confidence: text("confidence", { enum: ["high", "medium", "low"] }).notNull(),
    /** The value in the mirror when planned: Notion's JSON (empty by construction). */
    beforeJson: text("before_json"),
    /** The update payload push would send once accepted (request format). */
    payloadJson: text("payload_json").notNull(),
    /** The rule's value in natural form, for people. */
    naturalJson: text("natural_json"),
    /** The rule's other columns (`evidence`, `score` …), by name, as it returned them. */
    extraJson: text("extra_json"),
    note: text("note"),
    status: text("status", { enum: ["for_review", "accepted", "rejected"] }).notNull(),
    /** Who decided (the OS user), when, and how: a flag, an imported file, the terminal, or carried from an earlier plan. */
    decidedBy: text("decided_by"),
    decidedAt: text("decided_at"),
    decidedVia: text("decided_via", { enum: ["flag", "import", "terminal", "carried"] }),
    /** The earlier run a carried decision was made in (NULL: decided in this run). */
    carriedFromRun: text("carried_from_run"),
    /** The planned change an accepted proposal became. */
    changeId: integer("change_id"),
  },
  (table) => [
    uniqueIndex("review_proposals_once_per_run").on(table.runId, table.pageId, table.propertyId),
  ],
);

/**
 * The mirror state a planned run was computed from, per data source its rules read: push compares
 * it with the mirror's state then and refuses a plan whose inputs moved.
 */
export const planInputs = sqliteTable(
  "plan_inputs",
  {
    runId: text("run_id").notNull(),
    dataSourceId: text("data_source_id").notNull(),
    alias: text("alias").notNull(),
    /** The latest pull when planned (NULL: none recorded). */
    pullId: integer("pull_id"),
    pageCount: integer("page_count").notNull(),
    maxLastEditedTime: text("max_last_edited_time"),
    /** Hash of every page's id, last_edited_time, trash state and relations, in id order. */
    pagesFingerprint: text("pages_fingerprint").notNull(),
    /**
     * True while a push invocation of the run is under way: set before its first write, cleared
     * as it ends, when it records the mirror as its writes left it. Still set at the next push:
     * that invocation died (killed), and the state recorded predates some of the run's writes.
     */
    pushing: integer("pushing", { mode: "boolean" }).notNull().default(false),
    /**
     * Pages left out of the fingerprint (JSON list of ids): the run's own side effects (the other
     * side of a two-way relation it wrote) that the mirror did not know yet when recorded.
     */
    unsettledPagesJson: text("unsettled_pages_json"),
  },
  (table) => [primaryKey({ columns: [table.runId, table.dataSourceId] })],
);

/**
 * What happened to a run that its changes do not say: a push that went ahead though a pull had
 * moved the plan's inputs (`--ignore-moved-inputs`), with what had moved.
 */
export const runEvents = sqliteTable(
  "run_events",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    runId: text("run_id").notNull(),
    at: text("at").notNull(),
    /** The OS user running the command. */
    by: text("by").notNull(),
    kind: text("kind", { enum: ["pushed_despite_moved_inputs"] }).notNull(),
    detailJson: text("detail_json").notNull(),
  },
  (table) => [index("run_events_by_run").on(table.runId)],
);
