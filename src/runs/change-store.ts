import type Database from "better-sqlite3";
import { and, count, eq, inArray } from "drizzle-orm";
import { changes } from "../mirror/schema.ts";
import { typedDb } from "../mirror/typed-db.ts";

/** A change row as push, revert and reports read it (the shape `schema.ts` declares). */
export type ChangeRow = Omit<typeof changes.$inferSelect, "runId">;
export type ChangeStatus = ChangeRow["status"];

const CHANGE_COLUMNS = {
  id: changes.id,
  pageId: changes.pageId,
  dataSourceId: changes.dataSourceId,
  propertyId: changes.propertyId,
  propertyName: changes.propertyName,
  propertyType: changes.propertyType,
  rule: changes.rule,
  confidence: changes.confidence,
  beforeJson: changes.beforeJson,
  payloadJson: changes.payloadJson,
  naturalJson: changes.naturalJson,
  afterJson: changes.afterJson,
  status: changes.status,
  error: changes.error,
  appliedAt: changes.appliedAt,
} as const;

/** The changes of run `runId`, in the order they were planned. */
export function runChanges(sqlite: Database.Database, runId: string): ChangeRow[] {
  return typedDb(sqlite)
    .select(CHANGE_COLUMNS)
    .from(changes)
    .where(eq(changes.runId, runId))
    .orderBy(changes.id)
    .all();
}

/** Each change of run `runId` with its status, by change id. */
export function changeStatuses(
  sqlite: Database.Database,
  runId: string,
): Map<number, ChangeStatus> {
  const rows = typedDb(sqlite)
    .select({ id: changes.id, status: changes.status })
    .from(changes)
    .where(eq(changes.runId, runId))
    .all();
  return new Map(rows.map((row) => [row.id, row.status]));
}

/** How many changes of run `runId` are in each status (statuses with none left out). */
export function changeCountsByStatus(
  sqlite: Database.Database,
  runId: string,
): Array<{ status: ChangeStatus; n: number }> {
  return typedDb(sqlite)
    .select({ status: changes.status, n: count() })
    .from(changes)
    .where(eq(changes.runId, runId))
    .groupBy(changes.status)
    .all();
}

/** How many changes each run has, by run id (runs with none left out). */
export function changeCountsByRun(sqlite: Database.Database): Map<string, number> {
  const rows = typedDb(sqlite)
    .select({ runId: changes.runId, n: count() })
    .from(changes)
    .groupBy(changes.runId)
    .all();
  return new Map(rows.map((row) => [row.runId, row.n]));
}

/** How many changes of run `runId` hold their run's value in Notion now ('applied'). */
export function appliedCount(sqlite: Database.Database, runId: string): number {
  return (
    typedDb(sqlite)
      .select({ n: count() })
      .from(changes)
      .where(and(eq(changes.runId, runId), eq(changes.status, "applied")))
      .get()?.n ?? 0
  );
}

/** One change's outcome as the apply engine settled it. */
export interface SettledChange {
  changeId: number;
  status: ChangeStatus;
  /** The value read live before the write, as JSON; null keeps the one recorded. */
  beforeJson: string | null;
  /** Notion's answer after the write, as JSON; null when there was none. */
  afterJson: string | null;
  reason: string | null;
  /** When it was settled: recorded as applied_at when the status is 'applied'. */
  at: string;
}

/** Records a change's outcome (a single statement: atomic on its own). */
export function recordChangeOutcome(
  sqlite: Database.Database,
  runId: string,
  settled: SettledChange,
): void {
  typedDb(sqlite)
    .update(changes)
    .set({
      status: settled.status,
      ...(settled.beforeJson === null ? {} : { beforeJson: settled.beforeJson }),
      afterJson: settled.afterJson,
      error: settled.reason,
      ...(settled.status === "applied" ? { appliedAt: settled.at } : {}),
    })
    .where(and(eq(changes.runId, runId), eq(changes.id, settled.changeId)))
    .run();
}

/** Marks change `changeId` of run `runId` reverted, if it was applied. */
export function markChangeReverted(
  sqlite: Database.Database,
  runId: string,
  changeId: number,
): void {
  typedDb(sqlite)
    .update(changes)
    .set({ status: "reverted" })
    .where(and(eq(changes.runId, runId), eq(changes.id, changeId), eq(changes.status, "applied")))
    .run();
}

/** Marks run `runId`'s change of a page's property applied again, if it was reverted. */
export function markChangeReapplied(
  sqlite: Database.Database,
  runId: string,
  field: { pageId: string; propertyId: string },
): void {
  typedDb(sqlite)
    .update(changes)
    .set({ status: "applied" })
    .where(
      and(
        eq(changes.runId, runId),
        eq(changes.pageId, field.pageId),
        eq(changes.propertyId, field.propertyId),
        eq(changes.status, "reverted"),
      ),
    )
    .run();
}

/** A change as a person's decision adds it to a planned run: every column but the outcome's. */
export type AcceptedChange = Pick<
  typeof changes.$inferInsert,
  | "runId"
  | "pageId"
  | "dataSourceId"
  | "propertyId"
  | "propertyName"
  | "propertyType"
  | "rule"
  | "confidence"
  | "beforeJson"
  | "payloadJson"
  | "naturalJson"
>;

/** Adds an accepted proposal to its run as a planned change (push then sends it); its id. */
export function addPlannedChange(sqlite: Database.Database, change: AcceptedChange): number {
  return typedDb(sqlite)
    .insert(changes)
    .values({ ...change, status: "planned" })
    .returning({ id: changes.id })
    .get().id;
}

/** Takes back a planned change (a proposal rejected after it was accepted); one sent stays. */
export function removePlannedChange(sqlite: Database.Database, changeId: number): void {
  typedDb(sqlite)
    .delete(changes)
    .where(and(eq(changes.id, changeId), eq(changes.status, "planned")))
    .run();
}

/** Whether run `runId` has a change push would still settle (planned, or unknown). */
export function hasPendingChanges(sqlite: Database.Database, runId: string): boolean {
  const row = typedDb(sqlite)
    .select({ id: changes.id })
    .from(changes)
    .where(and(eq(changes.runId, runId), inArray(changes.status, ["planned", "unknown"])))
    .limit(1)
    .get();
  return row !== undefined;
}
