import type { Mirror } from "../mirror/open-mirror.ts";
import { changeStatuses } from "../runs/change-store.ts";
import { findRun } from "../runs/run-store.ts";
import type { SnapshotWitness } from "../snapshot/snapshot-verify.ts";

/**
 * What the mirror records of a run's changes, to check the run's snapshot against; undefined when
 * there is no mirror or it does not hold the run (a snapshot brought from elsewhere).
 */
export function mirrorWitness(
  mirror: Mirror | undefined,
  runId: string,
): SnapshotWitness | undefined {
  if (!mirror || !findRun(mirror.sqlite, runId)) return undefined;
  return { changes: changeStatuses(mirror.sqlite, runId) };
}
