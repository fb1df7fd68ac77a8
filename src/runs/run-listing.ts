import type Database from "better-sqlite3";
import { changeCountsByRun, changeCountsByStatus } from "./change-store.ts";
import type { PartlyReverted } from "./partly-reverted.ts";
import { partlyReverted } from "./partly-reverted.ts";
import type { RunRow } from "./run-store.ts";
import { listRuns } from "./run-store.ts";

/** One line of `runs`: a run, its number of changes, and its summary's counts once applied. */
export interface RunListing {
  id: string;
  kind: RunRow["kind"];
  status: RunRow["status"];
  createdAt: string;
  appliedAt: string | null;
  revertsRunId: string | null;
  changes: number;
  /** Some of what the run wrote was put back by a revert, the rest not (null otherwise). */
  partlyReverted: PartlyReverted | null;
  /** From the run's summary; undefined before it was applied. */
  applied?: number;
  /** For a fill: targets protected from overwrite; for a revert: values changed since the run. */
  protected?: number;
  failed?: number;
}

/** Every run recorded in the mirror, newest first, with its counts (what `runs` lists). */
export function runListing(sqlite: Database.Database): RunListing[] {
  const counts = changeCountsByRun(sqlite);
  return listRuns(sqlite).map((run) => ({
    id: run.id,
    kind: run.kind,
    status: run.status,
    createdAt: run.createdAt,
    appliedAt: run.appliedAt,
    revertsRunId: run.revertsRunId,
    changes: counts.get(run.id) ?? 0,
    partlyReverted: partlyReverted(run.status, changeCountsByStatus(sqlite, run.id)),
    ...summaryCounts(run.summaryJson),
  }));
}

function summaryCounts(
  summaryJson: string | null,
): Pick<RunListing, "applied" | "protected" | "failed"> {
  if (!summaryJson) return {};
  const summary = JSON.parse(summaryJson) as Record<string, unknown>;
  const counted = (key: string) => {
    const value = summary[key];
    return typeof value === "number" ? value : undefined;
  };
  return {
    applied: counted("applied"),
    protected: counted("protected"),
    failed: counted("failed"),
  };
}
