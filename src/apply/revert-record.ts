import { existsSync, statSync, unlinkSync } from "node:fs";
import type Database from "better-sqlite3";
import type { Mirror } from "../mirror/open-mirror.ts";
import {
  appliedCount,
  markChangeReapplied,
  markChangeReverted,
  runChanges,
} from "../runs/change-store.ts";
import {
  deleteUnstartedRun,
  findRun,
  insertPlannedRun,
  plannedRevertIds,
} from "../runs/run-store.ts";
import type { RunStatus } from "../runs/run-store.ts";
import { setRunStatus } from "../runs/run-status.ts";
import { snapshotPath } from "../snapshot/snapshot-file.ts";
import type { RevertPlan } from "./revert-plan.ts";
import type { RevertTarget } from "./revert-target.ts";
import type { RevertWork } from "./revert-work.ts";
import { acquireWriterLock } from "./writer-lock.ts";
import type { RunSummary } from "./run-summary.ts";

/**
 * Records a revert about to start as a planned run with its changes. A revert of the same run that
 * never started (no snapshot: nothing was sent) is replaced, its id kept when this revert continues
 * it, so no stray planned run is left behind.
 */
export function recordPlannedRevert(
  mirror: Mirror,
  target: RevertTarget,
  revertRunId: string,
  work: RevertWork,
  startedAt: string,
): void {
  const file = snapshotPath(work.dir, revertRunId);
  // A snapshot whose first append failed (full disk) is empty: nothing was sent for it.
  if (existsSync(file) && statSync(file).size === 0) unlinkSync(file);
  mirror.sqlite.transaction(() => {
    forgetNeverStarted(mirror, target.runId, [...target.historyDirs, work.dir]);
    insertPlannedRun(
      mirror.sqlite,
      {
        id: revertRunId,
        kind: "revert",
        createdAt: target.resumes?.runId === revertRunId ? target.resumes.createdAt : startedAt,
        revertsRunId: target.runId,
        plan: {
          force: work.force,
          unrestorable: work.plan.unrestorable,
          snapshot: target.snapshotFile,
        },
      },
      work.plan.changes.map((change) => ({
        pageId: change.pageId,
        dataSourceId: change.dataSourceId,
        propertyId: change.propertyId,
        propertyName: change.propertyName,
        propertyType: change.propertyType,
        rule: `revert ${target.runId}`,
        confidence: "high",
        before: change.expectedNow,
        payload: change.payload,
        natural: null,
      })),
    );
  })();
}

/**
 * Deletes the reverts of `runId` that the mirror lists as planned but that never started: no
 * snapshot (or an empty one) in any of `dirs`, so nothing was ever sent for them.
 */
export function forgetNeverStarted(mirror: Mirror, runId: string, dirs: readonly string[]): void {
  // A planned revert of another process that holds the lock is about to start: leave it.
  if (dirs.some((dir) => existsSync(dir) && lockedByAnother(dir))) return;
  const { sqlite } = mirror;
  const planned = plannedRevertIds(sqlite, runId);
  const started = (id: string) =>
    dirs.some((dir) => {
      const file = snapshotPath(dir, id);
      return existsSync(file) && statSync(file).size > 0;
    });
  sqlite.transaction(() => {
    for (const id of planned.filter((candidate) => !started(candidate)))
      deleteUnstartedRun(sqlite, id);
  })();
}

function lockedByAnother(dir: string): boolean {
  try {
    acquireWriterLock(dir, "revert (checking for reverts that never started)")();
    return false;
  } catch {
    return true;
  }
}

/** Records how a revert invocation ended: its run and the reverted run's restored changes. */
export function recordRevert(
  mirror: Mirror,
  revertRunId: string,
  revertedRunId: string,
  status: RunStatus,
  summary: RunSummary,
  changes: RevertPlan["changes"],
  outcomes: ReadonlyArray<{ changeId: number; status: string }>,
  tracker: unknown,
): void {
  const { sqlite } = mirror;
  // Applied in this invocation or in an earlier one that died before it could record them.
  const restored = new Set([
    ...outcomes
      .filter((outcome) => outcome.status === "applied")
      .map((outcome) => outcome.changeId),
    ...runChanges(sqlite, revertRunId)
      .filter((row) => row.status === "applied")
      .map((row) => row.id),
  ]);
  sqlite.transaction(() => {
    for (const change of changes) {
      if (restored.has(change.changeId) && mirror)
        markChangeReverted(sqlite, revertedRunId, change.original.changeId);
    }
    setRunStatus(sqlite, revertRunId, status, {
      appliedAt: summary.pending === 0 ? summary.finishedAt : null,
      summary: { ...summary, tracker },
    });
    if (appliedCount(sqlite, revertedRunId) === 0 && summary.pending === 0)
      setRunStatus(sqlite, revertedRunId, "reverted");
    reapplied(
      sqlite,
      revertedRunId,
      changes.filter((change) => restored.has(change.changeId)),
    );
  })();
}

/**
 * A revert of a revert puts back the values the first revert replaced: the changes of the run
 * that first revert undid hold their values again ('applied'), and that run is no longer reverted.
 */
function reapplied(
  sqlite: Database.Database,
  revertedRunId: string,
  restored: RevertPlan["changes"],
): void {
  const reverted = findRun(sqlite, revertedRunId);
  if (reverted?.kind !== "revert" || !reverted.revertsRunId || restored.length === 0) return;
  const original = reverted.revertsRunId;
  for (const change of restored) markChangeReapplied(sqlite, original, change);
  const rows = runChanges(sqlite, original);
  if (
    findRun(sqlite, original)?.status === "reverted" &&
    rows.some((row) => row.status === "applied")
  )
    setRunStatus(
      sqlite,
      original,
      rows.some((row) => row.status === "failed") ? "partial" : "applied",
    );
}
