import type Database from "better-sqlite3";
import { and, desc, eq, inArray, max, sql } from "drizzle-orm";
import { NotionMirrorError } from "../errors.ts";
import { changes, runs } from "../mirror/schema.ts";
import { typedDb } from "../mirror/typed-db.ts";

/** A run as the mirror records it (the shape `schema.ts` declares). */
export type RunRow = typeof runs.$inferSelect;
export type RunKind = RunRow["kind"];
/** How a run moves between them: RUN_TRANSITIONS in run-status.ts. */
export type RunStatus = RunRow["status"];

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

/** The values of a planned change row that vary from one change to the next. */
type PlannedChangeValues = Omit<
  typeof changes.$inferInsert,
  "id" | "runId" | "status" | "afterJson" | "error" | "appliedAt"
>;

/** Writes a planned run and its changes in one transaction. */
export function insertPlannedRun(
  sqlite: Database.Database,
  run: { id: string; kind: RunKind; createdAt: string; revertsRunId?: string; plan: unknown },
  planned: readonly NewChange[],
): void {
  const db = typedDb(sqlite);
  // Prepared once: a plan may hold many thousands of changes.
  const insertChange = db
    .insert(changes)
    .values({
      runId: run.id,
      pageId: sql.placeholder("pageId"),
      dataSourceId: sql.placeholder("dataSourceId"),
      propertyId: sql.placeholder("propertyId"),
      propertyName: sql.placeholder("propertyName"),
      propertyType: sql.placeholder("propertyType"),
      rule: sql.placeholder("rule"),
      confidence: sql.placeholder("confidence"),
      beforeJson: sql.placeholder("beforeJson"),
      payloadJson: sql.placeholder("payloadJson"),
      naturalJson: sql.placeholder("naturalJson"),
      status: "planned",
    })
    .prepare();
  sqlite.transaction(() => {
    db.insert(runs)
      .values({
        id: run.id,
        kind: run.kind,
        status: "planned",
        createdAt: run.createdAt,
        revertsRunId: run.revertsRunId ?? null,
        planJson: JSON.stringify(run.plan),
      })
      .run();
    for (const change of planned)
      insertChange.run({
        pageId: change.pageId,
        dataSourceId: change.dataSourceId,
        propertyId: change.propertyId,
        propertyName: change.propertyName,
        propertyType: change.propertyType,
        rule: change.rule,
        confidence: change.confidence,
        beforeJson: JSON.stringify(change.before ?? null),
        payloadJson: JSON.stringify(change.payload),
        naturalJson: JSON.stringify(change.natural ?? null),
      } satisfies PlannedChangeValues);
  })();
}

export function findRun(sqlite: Database.Database, id: string): RunRow | undefined {
  return typedDb(sqlite).select().from(runs).where(eq(runs.id, id)).get();
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

/** Every run, newest first. */
export function listRuns(sqlite: Database.Database): RunRow[] {
  return typedDb(sqlite).select().from(runs).orderBy(desc(runs.createdAt), desc(runs.id)).all();
}

/** Runs planned or started but not finished (push or revert finishes them), oldest first. */
export function openRuns(
  sqlite: Database.Database,
): Array<Pick<RunRow, "id" | "kind" | "status" | "createdAt">> {
  return typedDb(sqlite)
    .select({ id: runs.id, kind: runs.kind, status: runs.status, createdAt: runs.createdAt })
    .from(runs)
    .where(inArray(runs.status, ["planned", "applying", "partial"]))
    .orderBy(runs.createdAt)
    .all();
}

/** When the latest plan (fill run) was made; null before the first. */
export function lastPlanAt(sqlite: Database.Database): string | null {
  const row = typedDb(sqlite)
    .select({ at: max(runs.createdAt) })
    .from(runs)
    .where(eq(runs.kind, "fill"))
    .get();
  return row?.at ?? null;
}

/** The revert runs of `revertedRunId`, or the revert run `id` when given. */
export function revertRuns(
  sqlite: Database.Database,
  of: { revertsRunId: string } | { id: string },
): RunRow[] {
  return typedDb(sqlite)
    .select()
    .from(runs)
    .where(
      and(
        eq(runs.kind, "revert"),
        "id" in of ? eq(runs.id, of.id) : eq(runs.revertsRunId, of.revertsRunId),
      ),
    )
    .all();
}

/** The ids of the reverts of `revertedRunId` still planned (none of them has begun writing). */
export function plannedRevertIds(sqlite: Database.Database, revertedRunId: string): string[] {
  return typedDb(sqlite)
    .select({ id: runs.id })
    .from(runs)
    .where(
      and(
        eq(runs.kind, "revert"),
        eq(runs.status, "planned"),
        eq(runs.revertsRunId, revertedRunId),
      ),
    )
    .all()
    .map((row) => row.id);
}

/** Deletes a run and its changes: only for one that never sent anything (the caller checks). */
export function deleteUnstartedRun(sqlite: Database.Database, id: string): void {
  const db = typedDb(sqlite);
  sqlite.transaction(() => {
    db.delete(changes).where(eq(changes.runId, id)).run();
    db.delete(runs).where(eq(runs.id, id)).run();
  })();
}
