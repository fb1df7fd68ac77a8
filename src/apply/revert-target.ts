import { existsSync } from "node:fs";
import { NotionMirrorError } from "../errors.ts";
import type { Mirror } from "../mirror/open-mirror.ts";
import { checkRunId } from "../runs/run-id.ts";
import { listRuns, requireRun } from "../runs/run-store.ts";
import type { SnapshotEntry } from "../snapshot/entries.ts";
import { readSnapshot, snapshotPath } from "../snapshot/snapshot-file.ts";
import { verifySnapshot } from "../snapshot/snapshot-verify.ts";
import { mirrorWitness } from "./snapshot-witness.ts";

/** The run a revert undoes, with its verified snapshot. */
export interface RevertTarget {
  runId: string;
  snapshotFile: string;
  entries: SnapshotEntry[];
}

/**
 * Finds and verifies the snapshot of the run to revert: named, `--last` (the latest run that
 * wrote), or a snapshot file given directly (the mirror may be gone). Refuses, listing every
 * problem, a snapshot that is damaged, truncated, or missing entries the mirror says exist; and,
 * when the mirror does not hold the run, one that cannot show on its own that nothing was lost
 * from its end (see `verifySnapshot`).
 */
export function locateRevertTarget(
  snapshotsDir: string | undefined,
  mirror: Mirror | undefined,
  choice: { runId?: string; last?: boolean; snapshotFile?: string },
): RevertTarget {
  let runId: string | undefined;
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
    runId = choice.runId ? checkRunId(choice.runId) : latestWritingRun(mirror);
    requireRun(mirror.sqlite, runId);
    file = snapshotPath(snapshotsDir, runId);
  }
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
  const problems = [...verdict.damage, ...verdict.unproven];
  if (first?.type === "run" && runId && first.runId !== runId)
    problems.push(`the snapshot is of run ${first.runId}, not ${runId}`);
  if (problems.length > 0 || first?.type !== "run") {
    throw new NotionMirrorError(
      "usage",
      `The snapshot ${file} cannot be trusted; nothing was sent:\n  - ${problems.join("\n  - ")}`,
      verdict.damage.length > 0 || first?.type !== "run"
        ? "Restore the file from a backup; notion-mirror never reverts from a guess."
        : `Restore the complete file from a backup, or revert with the mirror that holds run ${first.runId} (notion-mirror revert ${first.runId}): it records how far the run got. notion-mirror never reverts from a guess.`,
    );
  }
  return { runId: first.runId, snapshotFile: file, entries: read.entries };
}

function latestWritingRun(mirror: Mirror): string {
  const run = listRuns(mirror.sqlite).find((candidate) =>
    ["applied", "partial", "applying"].includes(candidate.status),
  );
  if (!run)
    throw new NotionMirrorError("usage", "No applied run to revert.", "Try: notion-mirror runs");
  return run.id;
}
