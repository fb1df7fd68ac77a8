import { readdirSync } from "node:fs";
import { join } from "node:path";
import type { SnapshotEntry } from "../snapshot/entries.ts";
import { readSnapshot } from "../snapshot/snapshot-file.ts";
import { checkFolderPath } from "../util/path-checks.ts";

/**
 * A revert of `runId` that started but did not settle every change (killed, interrupted, or cut by
 * --max-writes), found by its snapshot: reverting the run again resumes it under the same id
 * rather than starting a second revert that would see its own restored values as conflicts.
 */
export function findUnfinishedRevert(
  dir: string,
  runId: string,
): { runId: string; entries: SnapshotEntry[] } | undefined {
  if (!checkFolderPath(dir, "snapshots").stats) return undefined;
  for (const file of readdirSync(dir)
    .filter((name) => name.endsWith(".snapshot.ndjson"))
    .sort()
    .reverse()) {
    const read = readSnapshot(join(dir, file));
    const run = read.entries[0];
    if (run?.type !== "run" || run.kind !== "revert" || run.revertsRunId !== runId) continue;
    const settled = new Set(
      read.entries.flatMap((entry) => (entry.type === "post" ? [entry.changeId] : [])),
    );
    if (run.changes.some((change) => !settled.has(change.changeId)))
      return { runId: run.runId, entries: read.entries };
  }
  return undefined;
}
