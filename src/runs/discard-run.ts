import { existsSync } from "node:fs";
import { acquireWriterLock } from "../apply/writer-lock.ts";
import { NotionMirrorError } from "../errors.ts";
import type { Mirror } from "../mirror/open-mirror.ts";
import { readSnapshot, snapshotPath } from "../snapshot/snapshot-file.ts";
import { checkRunId } from "./run-id.ts";
import type { RunKind, RunRow, RunStatus } from "./run-store.ts";
import { requireRun } from "./run-store.ts";
import { changeCountsByStatus } from "./change-store.ts";
import { setRunStatus } from "./run-status.ts";
import { neverWroteError } from "./never-wrote.ts";

/** What `runs discard` did. */
export interface DiscardResult {
  runId: string;
  kind: RunKind;
  /** The status the run had: planned, or applying for a push stopped before its first write. */
  was: RunStatus;
  /** Its changes, none of which was sent. */
  changes: number;
}

/**
 * Discards a run that wrote nothing — a plan that will not be pushed, or a push stopped before
 * its first write — so that `status` no longer lists it as open and `push` refuses it. Holds the
 * single-writer lock while it checks and marks, so no push of the run can start in between.
 *
 * Refused (a usage error; nothing changed) for a run that wrote, or may have written: one applied,
 * partial or reverted, one with a change that left the planned state, one whose snapshot holds a
 * pre-image (a write may have been sent) or cannot be read whole; and for a revert run that has
 * begun (its snapshot exists: `revert` resumes it).
 */
export function discardRun(mirror: Mirror, snapshotsDir: string, runId: string): DiscardResult {
  checkRunId(runId);
  const release = acquireWriterLock(snapshotsDir, `runs discard ${runId}`);
  try {
    const run = requireRun(mirror.sqlite, runId);
    const never = neverWroteError(run, "discard");
    if (never) throw never;
    if (run.status !== "planned" && run.status !== "applying") {
      throw new NotionMirrorError(
        "usage",
        `Run ${runId} is ${run.status}: it wrote to Notion, so it cannot be discarded.`,
        `Try: notion-mirror revert ${runId}, to undo what it wrote.`,
      );
    }
    const counts = changeCountsByStatus(mirror.sqlite, runId);
    const moved = counts.filter((row) => row.status !== "planned");
    if (moved.length > 0) {
      throw new NotionMirrorError(
        "usage",
        `Run ${runId} cannot be discarded: ${moved.map((row) => `${row.n} ${row.status}`).join(", ")} of its changes went past the plan.`,
        `Try: notion-mirror push ${runId}, to finish it, or notion-mirror revert ${runId}.`,
      );
    }
    checkSnapshotWroteNothing(snapshotsDir, run);
    setRunStatus(mirror.sqlite, runId, "discarded", { onlyFrom: ["planned", "applying"] });
    return {
      runId,
      kind: run.kind,
      was: run.status,
      changes: counts.reduce((sum, row) => sum + row.n, 0),
    };
  } finally {
    release();
  }
}

/** A snapshot with a pre-image means a write may have left: only push or revert can settle it. */
function checkSnapshotWroteNothing(snapshotsDir: string, run: RunRow): void {
  const { id: runId, kind } = run;
  const reverted = run.revertsRunId ?? "RUN-ID";
  const path = snapshotPath(snapshotsDir, runId);
  if (!existsSync(path)) return;
  const read = readSnapshot(path);
  const written = read.entries.filter((entry) => entry.type !== "run").length;
  if (read.problems.length > 0 || read.tornTail || written > 0) {
    throw new NotionMirrorError(
      "usage",
      `Run ${runId} cannot be discarded: its snapshot ${path} ${written > 0 ? `holds ${written} entr${written === 1 ? "y" : "ies"} (a write may have been sent)` : "cannot be read whole"}.`,
      kind === "fill"
        ? `Try: notion-mirror push ${runId}, to settle it, then notion-mirror revert ${runId} if it should not stay.`
        : `Try: notion-mirror revert ${reverted}, which resumes this revert and settles it.`,
    );
  }
  if (kind === "revert") {
    throw new NotionMirrorError(
      "usage",
      `Run ${runId} is a revert that has begun (its snapshot exists), so it cannot be discarded: the next revert of ${reverted} resumes it.`,
      `Try: notion-mirror revert ${reverted}`,
    );
  }
}

/** A discarded run is never pushed: its plan was given up, and may be stale. */
export function discardedError(runId: string): NotionMirrorError {
  return new NotionMirrorError(
    "usage",
    `Run ${runId} was discarded (runs discard); it is not pushed.`,
    "Try: notion-mirror plan, for a fresh plan.",
  );
}
