import { dirname } from "node:path";
import { NotionMirrorError } from "../errors.ts";
import type { Mirror } from "../mirror/open-mirror.ts";
import type { SnapshotEntry } from "../snapshot/entries.ts";
import { fieldKey, restoredFields, revertSnapshots } from "./revert-history.ts";
import type { PlannedRequest } from "./planned-request.ts";
import { requestsFor } from "./planned-request.ts";
import type { RevertPlan } from "./revert-plan.ts";
import { planRevert } from "./revert-plan.ts";
import type { RevertTarget } from "./revert-target.ts";
import type { SyncedLookup } from "./synced-relations.ts";
import { mirrorSyncedLookup } from "./synced-relations.ts";

/** What one `revert` invocation settles: a new revert, or the rest of an unfinished one. */
export interface RevertWork {
  /** The revert run continued (its id is kept); undefined for a new one. */
  revertRunId: string | undefined;
  /** The continued revert has a snapshot: its change ids are final and it is not recorded anew. */
  continued: boolean;
  /** The folder its snapshot is in, or goes to. */
  dir: string;
  /**
   * The changes to settle: a continued revert's numbered as its snapshot numbers them (settled
   * ones included, for the record), a new one's from 1; and what cannot be restored exactly.
   */
  plan: RevertPlan;
  force: boolean;
  /** Of a continued revert: changes restored before this invocation, and changes still to settle. */
  restoredBefore: number;
  pending: number;
  /** Change ids of `plan` already settled by an earlier invocation (a continued revert). */
  settled: ReadonlySet<number>;
  /**
   * Exactly the writes sent when every change left to settle goes ahead: one per page (the first
   * `maxWrites` of them), then the tracker's entry (see planRevertRun).
   */
  requests: PlannedRequest[];
  /** The cap on page writes of this invocation (`--max-writes`), if any. */
  maxWrites: number | undefined;
  /** Pages with fields left to restore that this invocation leaves for later (`--max-writes`). */
  leftForLater: number;
}

/**
 * Decides what a revert of `target` does, from its snapshot, the continued revert's snapshot and
 * the snapshots of earlier reverts on disk (no network). A new revert leaves out every field an
 * earlier revert put back (and not undone since); when that is every field, it refuses: the run is
 * already reverted and nothing would change. `--force` on a run reverted in full restores every
 * field again, on purpose. Two-way relations are read from `options.synced`, else from the
 * mirror's schemas (see planRevert).
 */
export function revertWork(
  target: RevertTarget,
  mirror: Mirror | undefined,
  snapshotsDir: string | undefined,
  options: { force?: boolean; synced?: SyncedLookup } = {},
): RevertWork {
  const resume = target.resumes;
  const force = Boolean(options.force) || Boolean(resume?.force);
  const synced = options.synced ?? (mirror ? mirrorSyncedLookup(mirror) : undefined);
  const full = planRevert(target.entries, { force, synced });
  if (resume?.snapshot) {
    const entries = resume.snapshot.entries;
    const posts = entries.flatMap((entry) => (entry.type === "post" ? [entry] : []));
    const settled = new Set(posts.map((post) => post.changeId));
    const run = entries[0];
    const changes = numberedAs(full, entries);
    return {
      revertRunId: resume.runId,
      continued: true,
      dir: resume.snapshot.dir,
      plan: { ...full, changes },
      force,
      restoredBefore: posts.filter((post) => post.status === "applied").length,
      pending:
        run?.type === "run"
          ? run.changes.filter((change) => !settled.has(change.changeId)).length
          : 0,
      settled,
      requests: requestsFor(changes.filter((change) => !settled.has(change.changeId))),
      maxWrites: undefined,
      leftForLater: 0,
    };
  }
  const reverts = revertSnapshots(target.historyDirs);
  const restored = restoredFields(target.runId, reverts);
  const left = full.changes.filter((change) => !restored.has(fieldKey(change)));
  const done = full.changes.filter((change) => restored.has(fieldKey(change)));
  if (done.length > 0 && left.length === 0 && !force)
    throw alreadyReverted(
      target.runId,
      [...new Set(done.map((change) => restored.get(fieldKey(change)) ?? ""))].map((id) => ({
        id,
        file: reverts.find((found) => found.run.runId === id)?.file ?? id,
      })),
      mirror,
    );
  const changes = (left.length > 0 ? left : full.changes).map((change, index) => ({
    ...change,
    changeId: index + 1,
  }));
  return {
    revertRunId: resume?.runId,
    continued: false,
    dir: snapshotsDir ?? dirname(target.snapshotFile),
    plan: { ...full, changes },
    force,
    restoredBefore: 0,
    pending: changes.length,
    settled: new Set(),
    requests: requestsFor(changes),
    maxWrites: undefined,
    leftForLater: 0,
  };
}

/** The plan's changes numbered as the unfinished revert's snapshot numbered them. */
function numberedAs(plan: RevertPlan, entries: readonly SnapshotEntry[]): RevertPlan["changes"] {
  const run = entries[0];
  if (run?.type !== "run") return [];
  const idOf = new Map(run.changes.map((change) => [fieldKey(change), change.changeId]));
  return plan.changes.flatMap((change) => {
    const id = idOf.get(fieldKey(change));
    return id === undefined ? [] : [{ ...change, changeId: id }];
  });
}

function alreadyReverted(
  runId: string,
  by: ReadonlyArray<{ id: string; file: string }>,
  mirror: Mirror | undefined,
): NotionMirrorError {
  const first = by[0];
  return new NotionMirrorError(
    "usage",
    `Run ${runId} was already reverted (by revert ${by.map((revert) => revert.id).join(", ")}): every value it wrote is back to its pre-image, as the snapshots record. Reverting it again would change nothing; nothing was sent.`,
    `To undo that revert instead: notion-mirror revert ${mirror ? first?.id : `--snapshot ${first?.file}`}`,
  );
}
