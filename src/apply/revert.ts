import { dirname } from "node:path";
import { NotionMirrorError } from "../errors.ts";
import type { Mirror } from "../mirror/open-mirror.ts";
import type { NotionApi } from "../notion/notion-api.ts";
import { newRunId } from "../runs/run-id.ts";
import { insertPlannedRun, requireRun } from "../runs/run-store.ts";
import type { SnapshotEntry } from "../snapshot/entries.ts";
import { readSnapshot, snapshotPath } from "../snapshot/snapshot-file.ts";
import type { EngineProgress } from "./engine-types.ts";
import { executeRun } from "./execute-run.ts";
import type { CreatedOption, RevertPlan } from "./revert-plan.ts";
import { createdOptions, planRevert } from "./revert-plan.ts";
import type { ChangeRow } from "./run-changes.ts";
import { runChanges } from "./run-changes.ts";
import type { RunSummary } from "./run-summary.ts";
import { summarise } from "./run-summary.ts";
import type { TrackerEntry } from "./tracker.ts";
import { writeTrackerEntry } from "./tracker.ts";
import { findUnfinishedRevert } from "./unfinished-revert.ts";

import type { RevertTarget } from "./revert-target.ts";
import { counted } from "../util/plural.ts";

export type { RevertTarget } from "./revert-target.ts";
export { locateRevertTarget } from "./revert-target.ts";

export interface RevertOptions {
  force?: boolean;
  maxWrites?: number;
  signal?: AbortSignal;
  onProgress?: (progress: EngineProgress) => void;
  trackerId?: string;
  aliasOf?: (dataSourceId: string) => string;
}

export interface RevertResult {
  revertRunId: string;
  revertedRunId: string;
  status: "applied" | "partial" | "applying";
  summary: RunSummary;
  unrestorable: RevertPlan["unrestorable"];
  conflicts: Array<{
    pageId: string;
    propertyName: string;
    reason: string;
    now: unknown;
    runWrote: unknown;
  }>;
  forced: boolean;
  /** Options the reverted run created: a revert puts values back, not the schema. */
  createdOptions: CreatedOption[];
  /** Data sources where that could not be checked (their plan-time schema is no longer known). */
  optionsUnchecked: string[];
  tracker: Awaited<ReturnType<typeof writeTrackerEntry>> | null;
}

/**
 * `revert`: puts back every value a run wrote, from its snapshot, through the same engine as push
 * (lock, snapshot-first, read-back of lost answers, resume). A value changed since the run is a
 * conflict, reported with both values and left alone unless `force`. The revert is itself a run
 * with its own snapshot, so it can be reverted in turn.
 */
export async function revertRun(
  target: RevertTarget,
  mirror: Mirror | undefined,
  api: NotionApi,
  snapshotsDir: string | undefined,
  options: RevertOptions = {},
): Promise<RevertResult> {
  const startedAt = new Date().toISOString();
  const started = performance.now();
  const dir = snapshotsDir ?? dirname(target.snapshotFile);
  const unfinished = findUnfinishedRevert(dir, target.runId);
  if (mirror && !unfinished) refuseIfAlreadyReverted(mirror, target.runId, options.force);
  const plan = withoutRestored(planRevert(target.entries, { force: options.force }), mirror);
  const revertRunId = unfinished?.runId ?? newRunId();
  let changes: RevertPlan["changes"];
  if (unfinished) {
    changes = resumeChanges(plan, unfinished.entries);
  } else {
    let ids = plan.changes.map((change) => change.changeId);
    if (mirror) {
      insertPlannedRun(
        mirror.sqlite,
        {
          id: revertRunId,
          kind: "revert",
          createdAt: startedAt,
          revertsRunId: target.runId,
          plan: {
            force: Boolean(options.force),
            unrestorable: plan.unrestorable,
            snapshot: target.snapshotFile,
          },
        },
        plan.changes.map((change) => ({
          pageId: change.pageId,
          dataSourceId: change.dataSourceId,
          propertyId: change.propertyId,
          propertyName: change.propertyName,
          propertyType: change.propertyType,
          rule: `revert ${target.runId}`,
          confidence: "high",
          before: change.expectedNow,
          payload: change.payload,
          natural: null,
        })),
      );
      ids = runChanges(mirror.sqlite, revertRunId).map((row) => row.id);
    }
    changes = plan.changes.map((change, index) => ({
      ...change,
      changeId: ids[index] ?? change.changeId,
    }));
  }
  const result = await executeRun({
    runId: revertRunId,
    kind: "revert",
    revertsRunId: target.runId,
    createdAt: startedAt,
    snapshotsDir: dir,
    mirror,
    api,
    schemaChecks: [],
    runChanges: changes.map((change) => ({
      changeId: change.changeId,
      pageId: change.pageId,
      dataSourceId: change.dataSourceId,
      propertyId: change.propertyId,
      propertyName: change.propertyName,
      propertyType: change.propertyType,
      payload: change.payload,
    })),
    changes,
    maxWrites: options.maxWrites,
    signal: options.signal,
    onProgress: options.onProgress,
    command: `revert ${target.runId}`,
  });

  const rows: ChangeRow[] = mirror
    ? runChanges(mirror.sqlite, revertRunId)
    : rowsFromSnapshot(dir, revertRunId, changes, target.runId);
  const summary = summarise(rows, options.aliasOf ?? ((id) => id), {
    startedAt,
    finishedAt: new Date().toISOString(),
    durationMs: performance.now() - started,
    requests: structuredClone(api.stats),
  });
  const status =
    summary.pending > 0
      ? "applying"
      : summary.failed > 0 || plan.unrestorable.length > 0
        ? "partial"
        : "applied";
  const conflicts = result.outcomes
    .filter((outcome) => outcome.status === "skipped_conflict")
    .map((outcome) => ({
      pageId: outcome.pageId,
      propertyName: outcome.propertyName,
      reason: outcome.reason ?? "",
      now: outcome.before ?? null,
      runWrote: changes.find((change) => change.changeId === outcome.changeId)?.expectedNow ?? null,
    }));
  const tracker =
    options.trackerId && summary.pending === 0
      ? await writeTrackerEntry(
          api,
          options.trackerId,
          trackerEntry(revertRunId, target.runId, summary, conflicts.length),
        )
      : null;
  if (mirror)
    recordRevert(
      mirror,
      revertRunId,
      target.runId,
      status,
      summary,
      changes,
      result.outcomes,
      tracker,
    );
  return {
    revertRunId,
    revertedRunId: target.runId,
    status,
    summary,
    unrestorable: plan.unrestorable,
    conflicts,
    forced: Boolean(options.force),
    ...optionsOfRun(target.entries, mirror),
    tracker,
  };
}

/**
 * The options the reverted run created, checked against the schema its plan saw: the mirror's
 * copy when it still has that schema's fingerprint (not pulled since), else reported unchecked.
 */
export function optionsOfRun(
  entries: readonly SnapshotEntry[],
  mirror: Mirror | undefined,
): { createdOptions: CreatedOption[]; optionsUnchecked: string[] } {
  const lookup = mirror?.sqlite.prepare(
    "SELECT schema_json AS schemaJson FROM data_sources WHERE id = ? AND schema_fingerprint = ?",
  );
  const { created, unchecked } = createdOptions(entries, (id, fingerprint) => {
    const row = lookup?.get(id, fingerprint) as { schemaJson: string } | undefined;
    if (!row) return undefined;
    return (JSON.parse(row.schemaJson) as { properties?: Record<string, unknown> }).properties;
  });
  return { createdOptions: created, optionsUnchecked: unchecked };
}

/**
 * Leaves out the changes an earlier revert already restored (the mirror marks them `reverted`),
 * so finishing a revert that left conflicts touches only what is left, even with `force`. A run
 * reverted in full and reverted again on purpose (`--force`) keeps every change.
 */
export function withoutRestored(plan: RevertPlan, mirror: Mirror | undefined): RevertPlan {
  if (!mirror) return plan;
  const run = requireRun(mirror.sqlite, plan.run.runId);
  if (run.status === "reverted") return plan;
  const restored = new Set(
    runChanges(mirror.sqlite, run.id)
      .filter((row) => row.status === "reverted")
      .map((row) => row.id),
  );
  if (restored.size === 0) return plan;
  return {
    ...plan,
    changes: plan.changes
      .filter((change) => !restored.has(change.original.changeId))
      .map((change, index) => ({ ...change, changeId: index + 1 })),
  };
}

function refuseIfAlreadyReverted(mirror: Mirror, runId: string, force: boolean | undefined): void {
  const run = requireRun(mirror.sqlite, runId);
  if (run.status === "reverted" && !force) {
    throw new NotionMirrorError(
      "usage",
      `Run ${runId} was already reverted; reverting it again would change nothing.`,
      "To undo the revert itself, revert the revert run (see notion-mirror runs).",
    );
  }
}

function recordRevert(
  mirror: Mirror,
  revertRunId: string,
  revertedRunId: string,
  status: string,
  summary: RunSummary,
  changes: RevertPlan["changes"],
  outcomes: ReadonlyArray<{ changeId: number; status: string }>,
  tracker: unknown,
): void {
  const { sqlite } = mirror;
  // Applied in this invocation or in an earlier one that died before it could record them.
  const restored = new Set([
    ...outcomes
      .filter((outcome) => outcome.status === "applied")
      .map((outcome) => outcome.changeId),
    ...runChanges(sqlite, revertRunId)
      .filter((row) => row.status === "applied")
      .map((row) => row.id),
  ]);
  const markReverted = sqlite.prepare(
    "UPDATE changes SET status = 'reverted' WHERE run_id = ? AND id = ? AND status = 'applied'",
  );
  sqlite.transaction(() => {
    for (const change of changes) {
      if (restored.has(change.changeId) && mirror)
        markReverted.run(revertedRunId, change.original.changeId);
    }
    sqlite
      .prepare("UPDATE runs SET status = ?, applied_at = ?, summary_json = ? WHERE id = ?")
      .run(
        status,
        summary.pending === 0 ? summary.finishedAt : null,
        JSON.stringify({ ...summary, tracker }),
        revertRunId,
      );
    const left = sqlite
      .prepare("SELECT count(*) AS n FROM changes WHERE run_id = ? AND status = 'applied'")
      .get(revertedRunId) as { n: number };
    if (left.n === 0 && summary.pending === 0)
      sqlite.prepare("UPDATE runs SET status = 'reverted' WHERE id = ?").run(revertedRunId);
  })();
}

function trackerEntry(
  revertRunId: string,
  revertedRunId: string,
  summary: RunSummary,
  conflicts: number,
): TrackerEntry {
  return {
    title: `notion-mirror revert ${revertRunId} of run ${revertedRunId}: ${counted(summary.applied, "field")} restored`,
    runId: revertRunId,
    status: "Resolved",
    recordsAffected: summary.pagesAffected,
    executionMode: "Manual",
    notes: `Reverted run ${revertedRunId}: ${summary.applied} restored to their pre-images, ${counted(conflicts, "conflict")} left as people changed them, ${summary.failed} failed.`,
    date: summary.finishedAt.slice(0, 10),
  };
}

/** The revert plan's changes numbered as the unfinished revert's snapshot numbered them. */
function resumeChanges(plan: RevertPlan, entries: readonly SnapshotEntry[]): RevertPlan["changes"] {
  const run = entries[0];
  if (run?.type !== "run") return [];
  const idOf = new Map(
    run.changes.map((change) => [`${change.pageId}/${change.propertyId}`, change.changeId]),
  );
  return plan.changes.flatMap((change) => {
    const id = idOf.get(`${change.pageId}/${change.propertyId}`);
    return id === undefined ? [] : [{ ...change, changeId: id }];
  });
}

/** Without a mirror, the revert's own snapshot says what became of each change. */
function rowsFromSnapshot(
  dir: string,
  revertRunId: string,
  changes: RevertPlan["changes"],
  revertedRunId: string,
): ChangeRow[] {
  const settled = new Map<number, { status: ChangeRow["status"]; note: string | null }>();
  for (const entry of readSnapshot(snapshotPath(dir, revertRunId)).entries) {
    if (entry.type === "post")
      settled.set(entry.changeId, { status: entry.status, note: entry.note ?? null });
  }
  return changes.map((change) => ({
    id: change.changeId,
    pageId: change.pageId,
    dataSourceId: change.dataSourceId,
    propertyId: change.propertyId,
    propertyName: change.propertyName,
    propertyType: change.propertyType,
    rule: `revert ${revertedRunId}`,
    confidence: "high",
    beforeJson: null,
    payloadJson: JSON.stringify(change.payload),
    naturalJson: null,
    afterJson: null,
    status: settled.get(change.changeId)?.status ?? "planned",
    error: settled.get(change.changeId)?.note ?? null,
    appliedAt: null,
  }));
}
