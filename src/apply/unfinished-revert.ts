import type { Mirror } from "../mirror/open-mirror.ts";
import type { RunRow } from "../runs/run-store.ts";
import { revertRuns } from "../runs/run-store.ts";
import type { SnapshotEntry } from "../snapshot/entries.ts";
import type { RevertSnapshot } from "./revert-history.ts";

/**
 * A revert that started and did not finish: killed, interrupted, cut by --max-writes, left with
 * answers Notion lost, or stopped before its snapshot existed. Reverting its run again, or naming
 * it, continues it under the same id rather than starting a second revert (or undoing it).
 */
export interface UnfinishedRevert {
  runId: string;
  /** The run it puts back. */
  revertsRunId: string;
  createdAt: string;
  /** Its snapshot's folder and entries; undefined when it never started (nothing was sent). */
  snapshot: { dir: string; file: string; entries: SnapshotEntry[] } | undefined;
  /** It was started with --force. */
  force: boolean;
}

/** A revert run as the mirror records it. */
type RevertRow = Pick<RunRow, "id" | "status" | "revertsRunId" | "createdAt" | "planJson">;

/**
 * Whether a revert is unfinished, from its snapshot (a change with no outcome yet) and its mirror
 * row (still planned or applying: its last outcomes may be on disk but not yet recorded). A revert
 * the mirror lists as planned with no snapshot never started. Returns undefined for a finished one.
 */
export function unfinishedRevert(
  row: RevertRow | undefined,
  found: RevertSnapshot | undefined,
): UnfinishedRevert | undefined {
  const open = row?.status === "planned" || row?.status === "applying";
  const force = row ? forced(row.planJson) : false;
  if (found) {
    const settled = new Set(
      found.entries.flatMap((entry) => (entry.type === "post" ? [entry.changeId] : [])),
    );
    if (!open && found.run.changes.every((change) => settled.has(change.changeId)))
      return undefined;
    return {
      runId: found.run.runId,
      revertsRunId: found.run.revertsRunId ?? "",
      createdAt: found.run.createdAt,
      snapshot: { dir: found.dir, file: found.file, entries: found.entries },
      force,
    };
  }
  if (row?.status !== "planned" || !row.revertsRunId) return undefined;
  return {
    runId: row.id,
    revertsRunId: row.revertsRunId,
    createdAt: row.createdAt,
    snapshot: undefined,
    force,
  };
}

/** The unfinished revert run `revertRunId`, or undefined when it is finished or not a revert. */
export function unfinishedRevertNamed(
  revertRunId: string,
  mirror: Mirror | undefined,
  reverts: readonly RevertSnapshot[],
): UnfinishedRevert | undefined {
  const row = mirror ? revertRuns(mirror.sqlite, { id: revertRunId })[0] : undefined;
  return unfinishedRevert(
    row,
    reverts.find((candidate) => candidate.run.runId === revertRunId),
  );
}

/** Every unfinished revert of run `runId` (newest first), from the mirror and the snapshots. */
export function unfinishedRevertsOf(
  runId: string,
  mirror: Mirror | undefined,
  reverts: readonly RevertSnapshot[],
): UnfinishedRevert[] {
  const rows = mirror ? revertRuns(mirror.sqlite, { revertsRunId: runId }) : [];
  const ids = new Set([
    ...rows.map((row) => row.id),
    ...reverts.filter((found) => found.run.revertsRunId === runId).map((found) => found.run.runId),
  ]);
  return [...ids]
    .flatMap((id) => {
      const found = unfinishedRevert(
        rows.find((row) => row.id === id),
        reverts.find((candidate) => candidate.run.runId === id),
      );
      return found ? [found] : [];
    })
    .sort((a, b) => b.createdAt.localeCompare(a.createdAt) || b.runId.localeCompare(a.runId));
}

function forced(planJson: string): boolean {
  try {
    return (JSON.parse(planJson) as { force?: unknown }).force === true;
  } catch {
    return false;
  }
}
