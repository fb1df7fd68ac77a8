import type { ChangeStatus } from "./change-store.ts";
import type { RunStatus } from "./run-store.ts";

/**
 * How much of a run a revert put back while the rest still holds the run's values: a derived
 * fact, not a status of its own (the run stays applied or partial, and can still be reverted for
 * the rest). Null unless the run is applied or partial and some, not all, of its written changes
 * were reverted.
 */
export interface PartlyReverted {
  /** Changes a revert put back. */
  reverted: number;
  /** Changes the run wrote (reverted ones included). */
  written: number;
}

export function partlyReverted(
  status: RunStatus,
  counts: ReadonlyArray<{ status: ChangeStatus; n: number }>,
): PartlyReverted | null {
  if (status !== "applied" && status !== "partial") return null;
  const of = (wanted: ChangeStatus) => counts.find((row) => row.status === wanted)?.n ?? 0;
  const reverted = of("reverted");
  if (reverted === 0) return null;
  return { reverted, written: reverted + of("applied") };
}

/** "applied, partly reverted (2 of 5)", or the status alone. */
export function statusLabel(status: RunStatus, partly: PartlyReverted | null): string {
  return partly ? `${status}, partly reverted (${partly.reverted} of ${partly.written})` : status;
}
