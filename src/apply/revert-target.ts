import { existsSync } from "node:fs";
import { dirname } from "node:path";
import { NotionMirrorError } from "../errors.ts";
import type { Mirror } from "../mirror/open-mirror.ts";
import { checkRunId } from "../runs/run-id.ts";
import { appliedCount } from "../runs/change-store.ts";
import { neverWroteError } from "../runs/never-wrote.ts";
import { listRuns, requireRun } from "../runs/run-store.ts";
import type { SnapshotEntry } from "../snapshot/entries.ts";
import { readSnapshot, snapshotPath } from "../snapshot/snapshot-file.ts";
import { verifySnapshot } from "../snapshot/snapshot-verify.ts";
import { revertSnapshots } from "./revert-history.ts";
import { mirrorWitness } from "./snapshot-witness.ts";
import type { UnfinishedRevert } from "./unfinished-revert.ts";
import { unfinishedRevertNamed, unfinishedRevertsOf } from "./unfinished-revert.ts";

/**
 * Why `--last` picked its run: the run's kind and status, how many of its changes hold its value
 * in Notion, and the later finished runs passed over because they wrote nothing.
 */
export interface LastPick {
  kind: string;
  status: string;
  written: number;
  skipped: Array<{ runId: string; kind: string; status: string }>;
}

/** How the person named the run: by id, `--last`, or `--snapshot FILE`. */
export type RevertChoice = { runId?: string; last?: boolean; snapshotFile?: string };

/** The run a revert undoes, with its verified snapshot. */
export interface RevertTarget {
  runId: string;
  snapshotFile: string;
  entries: SnapshotEntry[];
  /** The run the person named, and how; `runId` differs from it when it is a revert being continued. */
  named: { runId: string; via: "id" | "last" | "snapshot"; picked?: LastPick };
  /**
   * A revert of `runId` that did not finish: this revert continues it, under its id, instead of
   * starting another (or, when the person named that revert, instead of undoing it).
   */
  resumes: UnfinishedRevert | undefined;
  /** The folders whose snapshots tell what earlier reverts did. */
  historyDirs: string[];
}

/**
 * Finds and verifies the snapshot of the run to revert: named, `--last` (the latest run that
 * wrote, or the latest revert started), or a snapshot file given directly (the mirror may be
 * gone). Refuses, listing every problem, a snapshot that is damaged, truncated, or missing entries
 * the mirror says exist; and, when the mirror does not hold the run, one that cannot show on its
 * own that nothing was lost from its end (see `verifySnapshot`). An unfinished revert's own
 * snapshot, being continued, must be undamaged; what it lacks at its end is read live again.
 *
 * A revert that did not finish is never reverted: naming it (by id, `--last` or its snapshot), or
 * naming the run it reverts, continues it. Only a finished revert can be undone.
 */
export function locateRevertTarget(
  snapshotsDir: string | undefined,
  mirror: Mirror | undefined,
  choice: RevertChoice,
): RevertTarget {
  const via = choice.snapshotFile ? "snapshot" : choice.last ? "last" : "id";
  let runId: string | undefined;
  let picked: LastPick | undefined;
  let file: string;
  if (choice.snapshotFile) {
    file = choice.snapshotFile;
  } else {
    if (!mirror || !snapshotsDir)
      throw new NotionMirrorError(
        "usage",
        "No mirror to find the run in.",
        "Try: revert --snapshot FILE",
      );
    if (choice.runId) runId = checkRunId(choice.runId);
    else ({ runId, picked } = latestWritingRun(mirror));
    const never = neverWroteError(requireRun(mirror.sqlite, runId), "revert");
    if (never) throw never;
    file = snapshotPath(snapshotsDir, runId);
  }
  const historyDirs = [...new Set([...(snapshotsDir ? [snapshotsDir] : []), dirname(file)])];
  const reverts = revertSnapshots(historyDirs);
  const target = (
    run: Verified,
    resumes: UnfinishedRevert | undefined,
    namedId: string,
  ): RevertTarget => ({
    ...run,
    named: { runId: namedId, via, ...(picked ? { picked } : {}) },
    resumes,
    historyDirs,
  });
  // A revert stopped before its snapshot existed: continue it (nothing was sent for it).
  const neverStarted = runId ? unfinishedRevertNamed(runId, mirror, reverts) : undefined;
  if (neverStarted && !neverStarted.snapshot)
    return target(revertedBy(neverStarted, historyDirs, mirror), neverStarted, neverStarted.runId);

  const named = verifiedTarget(file, runId, mirror, "undamaged");
  const first = named.entries[0];
  const unfinished =
    first?.type === "run" && first.kind === "revert"
      ? unfinishedRevertNamed(named.runId, mirror, reverts)
      : undefined;
  if (unfinished)
    return target(revertedBy(unfinished, historyDirs, mirror), unfinished, named.runId);
  refuseUnproven(named);
  return target(named, unfinishedRevertsOf(named.runId, mirror, reverts)[0], named.runId);
}

type Verified = Pick<RevertTarget, "runId" | "snapshotFile" | "entries"> & {
  /** What the file alone cannot show (lines lost from its end), when the mirror does not hold the run. */
  unproven?: string[];
};

/** The verified snapshot of the run an unfinished revert puts back: beside it, or in the folders. */
function revertedBy(
  revert: UnfinishedRevert,
  dirs: readonly string[],
  mirror: Mirror | undefined,
): Verified {
  const candidates = [...(revert.snapshot ? [revert.snapshot.dir] : []), ...dirs].map((dir) =>
    snapshotPath(dir, revert.revertsRunId),
  );
  const file = candidates.find((candidate) => existsSync(candidate));
  if (!file)
    throw new NotionMirrorError(
      "usage",
      `Run ${revert.runId} is a revert of run ${revert.revertsRunId} that did not finish; continuing it needs the snapshot of run ${revert.revertsRunId}, which is not at ${candidates.join(" or ")}.`,
      "Put that snapshot back, then run the same command again.",
    );
  return verifiedTarget(file, mirror ? revert.revertsRunId : undefined, mirror, "whole");
}

/**
 * Reads and verifies a run's snapshot. "whole": refused if damaged or if it cannot be shown
 * complete; "undamaged": refused if damaged, and what it cannot show is returned as `unproven`.
 */
function verifiedTarget(
  file: string,
  runId: string | undefined,
  mirror: Mirror | undefined,
  check: "whole" | "undamaged",
): Verified {
  if (!existsSync(file)) {
    throw new NotionMirrorError(
      "usage",
      `No snapshot at ${file}: the run never wrote anything, or the file was moved.`,
      "Nothing to revert without its pre-images; notion-mirror never guesses them.",
    );
  }
  const read = readSnapshot(file);
  const first = read.entries[0];
  const verdict = verifySnapshot(
    read,
    first?.type === "run" ? mirrorWitness(mirror, first.runId) : undefined,
  );
  const problems = [...verdict.damage, ...(check === "whole" ? verdict.unproven : [])];
  if (first?.type === "run" && runId && first.runId !== runId)
    problems.push(`the snapshot is of run ${first.runId}, not ${runId}`);
  if (problems.length > 0 || first?.type !== "run") {
    throw new NotionMirrorError(
      "usage",
      `The snapshot ${file} cannot be trusted; nothing was sent:\n  - ${problems.join("\n  - ")}`,
      verdict.damage.length > 0 || first?.type !== "run"
        ? "Restore the file from a backup; notion-mirror never reverts from a guess."
        : unprovenHint(first.runId),
    );
  }
  return {
    runId: first.runId,
    snapshotFile: file,
    entries: read.entries,
    unproven: verdict.unproven,
  };
}

function unprovenHint(runId: string): string {
  return `Restore the complete file from a backup, or revert with the mirror that holds run ${runId} (notion-mirror revert ${runId}): it records how far the run got. notion-mirror never reverts from a guess.`;
}

/** Refuses a snapshot that cannot show on its own that nothing was lost from its end. */
function refuseUnproven(run: Verified): void {
  if (!run.unproven || run.unproven.length === 0) return;
  throw new NotionMirrorError(
    "usage",
    `The snapshot ${run.snapshotFile} cannot be trusted; nothing was sent:\n  - ${run.unproven.join("\n  - ")}`,
    unprovenHint(run.runId),
  );
}

/**
 * The latest run that wrote to Notion, or the latest revert started (even one stopped early: it
 * is continued). A finished run none of whose changes holds its value in Notion (a revert that
 * met only conflicts, say) wrote nothing and is passed over, and listed as such.
 */
function latestWritingRun(mirror: Mirror): { runId: string; picked: LastPick } {
  const skipped: LastPick["skipped"] = [];
  for (const candidate of listRuns(mirror.sqlite)) {
    const unfinished =
      candidate.status === "applying" ||
      (candidate.kind === "revert" && candidate.status === "planned");
    const finished = candidate.status === "applied" || candidate.status === "partial";
    if (!unfinished && !finished) continue;
    const written = appliedCount(mirror.sqlite, candidate.id);
    if (finished && written === 0) {
      skipped.push({ runId: candidate.id, kind: candidate.kind, status: candidate.status });
      continue;
    }
    return {
      runId: candidate.id,
      picked: { kind: candidate.kind, status: candidate.status, written, skipped },
    };
  }
  throw new NotionMirrorError(
    "usage",
    skipped.length > 0
      ? `No run to revert: the finished runs (${skipped.map((run) => run.runId).join(", ")}) wrote nothing to Notion.`
      : "No applied run to revert.",
    "Try: notion-mirror runs",
  );
}
