import type Database from "better-sqlite3";
import { and, eq, inArray } from "drizzle-orm";
import { NotionMirrorError } from "../errors.ts";
import { runs } from "../mirror/schema.ts";
import { typedDb } from "../mirror/typed-db.ts";
import type { RunRow, RunStatus } from "./run-store.ts";

/**
 * The moves a run's status may make (staying where it is is always allowed: a push cut by
 * --max-writes stays applying, a finished revert resumed stays applied).
 *
 * - planned → applying: push or revert begins writing (under the writer lock);
 *   planned → discarded: `runs discard`, nothing was written; planned → superseded: a newer
 *   plan replaced it (`plan`), it can no longer be pushed.
 * - applying → applied | partial: every change settled (partial: some failed, or for a revert
 *   some could not be restored); applying → discarded: a push stopped before its first write;
 *   applying → reverted: a run killed mid-push, reverted whole.
 * - partial → applying | applied: push goes on with what was left.
 * - applied | partial → reverted: a revert restored every change the run had applied.
 * - reverted → applied | partial: a revert of that revert put its values back.
 * - discarded, superseded: final.
 */
export const RUN_TRANSITIONS: Readonly<Record<RunStatus, readonly RunStatus[]>> = {
  planned: ["applying", "discarded", "superseded"],
  applying: ["applied", "partial", "discarded", "reverted"],
  partial: ["applying", "applied", "reverted"],
  applied: ["reverted"],
  reverted: ["applied", "partial"],
  discarded: [],
  superseded: [],
};

/** The statuses from which a run may become `to` (itself included). */
function statusesLeadingTo(to: RunStatus): RunStatus[] {
  return (Object.keys(RUN_TRANSITIONS) as RunStatus[]).filter(
    (from) => from === to || RUN_TRANSITIONS[from].includes(to),
  );
}

export interface RunStatusChange {
  /** Move only from these (a subset of the allowed ones); otherwise leave the run as it is. */
  onlyFrom?: readonly RunStatus[];
  /** Also records when the run finished applying (null: not finished). */
  appliedAt?: string | null;
  /** Also records the run's summary, as JSON. */
  summary?: unknown;
}

/**
 * Sets run `runId`'s status to `to` — the one place a run's status changes — in a single
 * statement that checks the move (see {@link RUN_TRANSITIONS}) in its WHERE clause, so no other
 * writer can slip in between the check and the change. Returns whether the run was changed.
 *
 * A run the mirror does not hold is left alone (false): a revert resumed from a snapshot alone.
 * With `onlyFrom`, a run in another status is left alone too (false). Without it, a move the
 * table does not allow is a bug and throws an internal error, changing nothing.
 */
export function setRunStatus(
  sqlite: Database.Database,
  runId: string,
  to: RunStatus,
  change: RunStatusChange = {},
): boolean {
  const allowed = statusesLeadingTo(to);
  const from = change.onlyFrom
    ? allowed.filter((status) => change.onlyFrom?.includes(status))
    : allowed;
  const db = typedDb(sqlite);
  const values: Partial<Pick<RunRow, "status" | "appliedAt" | "summaryJson">> = { status: to };
  if (change.appliedAt !== undefined) values.appliedAt = change.appliedAt;
  if (change.summary !== undefined) values.summaryJson = JSON.stringify(change.summary);
  const moved = db
    .update(runs)
    .set(values)
    .where(and(eq(runs.id, runId), inArray(runs.status, from)))
    .run();
  if (moved.changes > 0 || change.onlyFrom) return moved.changes > 0;
  const current = db.select({ status: runs.status }).from(runs).where(eq(runs.id, runId)).get();
  if (!current) return false;
  throw new NotionMirrorError(
    "internal",
    `Run ${runId} is ${current.status}; it cannot become ${to}.`,
    "This is a bug in notion-mirror: please report it, with `notion-mirror runs show " +
      runId +
      "`.",
  );
}
