import { existsSync } from "node:fs";
import { NotionMirrorError } from "../errors.ts";
import type { Mirror } from "../mirror/open-mirror.ts";
import { checkRunId } from "../runs/run-id.ts";
import { listRuns, requireRun } from "../runs/run-store.ts";
import type { SnapshotEntry } from "../snapshot/entries.ts";
import { readSnapshot, snapshotPath } from "../snapshot/snapshot-file.ts";

/** The run a revert undoes, with its verified snapshot. */
export interface RevertTarget {
  runId: string;
  snapshotFile: string;
  entries: SnapshotEntry[];
}

/**
 * Finds and verifies the snapshot of the run to revert: named, `--last` (the latest run that
 * wrote), or a snapshot file given directly (the mirror may be gone). Refuses, listing every
 * problem, a snapshot that is damaged, truncated, or missing entries the mirror says exist.
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
  const problems = [...read.problems];
  const first = read.entries[0];
  if (first?.type === "run" && runId && first.runId !== runId)
    problems.push(`the snapshot is of run ${first.runId}, not ${runId}`);
  if (first?.type === "run")
    problems.push(...completenessProblems(read.entries, mirror, first.runId));
  if (problems.length > 0 || first?.type !== "run") {
    throw new NotionMirrorError(
      "usage",
      `The snapshot ${file} cannot be trusted; nothing was sent:\n  - ${problems.join("\n  - ")}`,
      "Restore the file from a backup; notion-mirror never reverts from a guess.",
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

/** Every write the snapshot says landed has its pre-image; every change the mirror says applied is in the snapshot. */
function completenessProblems(
  entries: readonly SnapshotEntry[],
  mirror: Mirror | undefined,
  runId: string,
): string[] {
  const problems: string[] = [];
  const run = entries[0];
  const known = new Set(run?.type === "run" ? run.changes.map((change) => change.changeId) : []);
  const pre = new Set<number>();
  const applied = new Set<number>();
  for (const entry of entries) {
    if (entry.type === "pre") {
      if (!known.has(entry.changeId))
        problems.push(`a pre-image for change ${entry.changeId}, which the run does not list`);
      pre.add(entry.changeId);
    }
    if (entry.type === "post" && entry.status === "applied") {
      if (!pre.has(entry.changeId))
        problems.push(`change ${entry.changeId} was applied but its pre-image is missing`);
      applied.add(entry.changeId);
    }
  }
  if (mirror) {
    const rows = mirror.sqlite
      .prepare("SELECT id FROM changes WHERE run_id = ? AND status IN ('applied', 'reverted')")
      .all(runId) as Array<{ id: number }>;
    for (const { id } of rows) {
      if (!pre.has(id))
        problems.push(
          `the mirror records change ${id} as applied, but the snapshot has no pre-image for it`,
        );
    }
  }
  return problems;
}
