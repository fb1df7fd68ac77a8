import type Database from "better-sqlite3";
import { NotionMirrorError } from "../errors.ts";

export type RunKind = "fill" | "revert";
/**
 * planned → applying → applied | partial → reverted (by a revert run); `discarded`: a run that
 * wrote nothing and will not be pushed (`runs discard`), no longer open; `superseded`: a planned
 * run a newer plan replaced, no longer pushable.
 */
export type RunStatus =
  "planned" | "applying" | "applied" | "partial" | "reverted" | "discarded" | "superseded";
export type ChangeStatus =
  "planned" | "applied" | "skipped_conflict" | "failed" | "unknown" | "reverted";

export interface RunRow {
  id: string;
  kind: RunKind;
  status: RunStatus;
  createdAt: string;
  appliedAt: string | null;
  revertsRunId: string | null;
  planJson: string;
  summaryJson: string | null;
}

export interface NewChange {
  pageId: string;
  dataSourceId: string;
  propertyId: string;
  propertyName: string;
  propertyType: string;
  rule: string;
  confidence: "high" | "medium" | "low";
  before: unknown;
  payload: unknown;
  natural: unknown;
}

/** Writes a planned run and its changes in one transaction. */
export function insertPlannedRun(
  sqlite: Database.Database,
  run: { id: string; kind: RunKind; createdAt: string; revertsRunId?: string; plan: unknown },
  changes: readonly NewChange[],
): void {
  const insertRun = sqlite.prepare(
    `INSERT INTO runs (id, kind, status, created_at, reverts_run_id, plan_json) VALUES (?, ?, 'planned', ?, ?, ?)`,
  );
  const insertChange = sqlite.prepare(
    `INSERT INTO changes (run_id, page_id, data_source_id, property_id, property_name, property_type, rule, confidence,
                          before_json, payload_json, natural_json, status)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'planned')`,
  );
  sqlite.transaction(() => {
    insertRun.run(
      run.id,
      run.kind,
      run.createdAt,
      run.revertsRunId ?? null,
      JSON.stringify(run.plan),
    );
    for (const change of changes) {
      insertChange.run(
        run.id,
        change.pageId,
        change.dataSourceId,
        change.propertyId,
        change.propertyName,
        change.propertyType,
        change.rule,
        change.confidence,
        JSON.stringify(change.before ?? null),
        JSON.stringify(change.payload),
        JSON.stringify(change.natural ?? null),
      );
    }
  })();
}

const RUN_COLUMNS = `id, kind, status, created_at AS createdAt, applied_at AS appliedAt, reverts_run_id AS revertsRunId,
  plan_json AS planJson, summary_json AS summaryJson`;

export function findRun(sqlite: Database.Database, id: string): RunRow | undefined {
  return sqlite.prepare(`SELECT ${RUN_COLUMNS} FROM runs WHERE id = ?`).get(id) as
    RunRow | undefined;
}

export function requireRun(sqlite: Database.Database, id: string): RunRow {
  const run = findRun(sqlite, id);
  if (!run) {
    throw new NotionMirrorError(
      "usage",
      `No run ${id} in this mirror.`,
      "Try: notion-mirror runs, to list them.",
    );
  }
  return run;
}

export function listRuns(sqlite: Database.Database): RunRow[] {
  return sqlite
    .prepare(`SELECT ${RUN_COLUMNS} FROM runs ORDER BY created_at DESC, id DESC`)
    .all() as RunRow[];
}
