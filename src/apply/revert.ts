import { rmSync } from "node:fs";
import type { Mirror } from "../mirror/open-mirror.ts";
import type { NotionApi } from "../notion/notion-api.ts";
import { newRunId } from "../runs/run-id.ts";
import { deleteUnstartedRun, findRun } from "../runs/run-store.ts";
import { NothingRestoredError } from "./nothing-restored.ts";
import type { SnapshotEntry } from "../snapshot/entries.ts";
import { readSnapshot, snapshotPath } from "../snapshot/snapshot-file.ts";
import type { EngineProgress } from "./engine-types.ts";
import { executeRun } from "./execute-run.ts";
import { forgetNeverStarted, recordPlannedRevert, recordRevert } from "./revert-record.ts";
import type { CreatedOption, RevertPlan } from "./revert-plan.ts";
import { createdOptions } from "./revert-plan.ts";
import type { RevertTarget } from "./revert-target.ts";
import type { RevertWork } from "./revert-work.ts";
import { revertWork } from "./revert-work.ts";
import type { ChangeRow } from "../runs/change-store.ts";
import { runChanges } from "../runs/change-store.ts";
import { snapshotChangeOf } from "./snapshot-change.ts";
import { storedSchemaJson } from "../mirror/stored-schemas.ts";
import type { RunSummary } from "./run-summary.ts";
import { summarise } from "./run-summary.ts";
import type { TrackerEntry } from "./tracker.ts";
import { writeTrackerEntry } from "./tracker.ts";
import { counted } from "../util/plural.ts";
import type { SyncedLookup } from "./synced-relations.ts";
import { liveSyncedLookup } from "./synced-relations.ts";
import { acquireWriterLock } from "./writer-lock.ts";
import { invocationRequests, pageWrites } from "./planned-request.ts";

export type { RevertTarget } from "./revert-target.ts";
export { locateRevertTarget } from "./revert-target.ts";
export type { RevertWork } from "./revert-work.ts";
export { revertWork } from "./revert-work.ts";

export interface RevertOptions {
  /** Restore even values changed since the run (planned so: see planRevertRun). */
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
  /** The run the person named, and how (a revert being continued, when it is not `revertedRunId`). */
  named: RevertTarget["named"];
  status: "applied" | "partial" | "applying";
  summary: RunSummary;
  /** This invocation continued an unfinished revert, which had restored this many fields before. */
  continued: { restoredBefore: number } | null;
  /**
   * Of the fields counted restored, those that already held their pre-image when read: nothing in
   * Notion changed for them (restored before, or by hand).
   */
  alreadyHeld: number;
  unrestorable: RevertPlan["unrestorable"];
  conflicts: Array<{
    pageId: string;
    propertyName: string;
    reason: string;
    now: unknown;
    runWrote: unknown;
  }>;
  /** The fields whose restore failed, and why. */
  failures: Array<{ pageId: string; propertyName: string; reason: string }>;
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
 * with its own snapshot, so it can be reverted in turn. Plans it first (see planRevertRun),
 * throwing its refusal.
 */
export async function revertRun(
  target: RevertTarget,
  mirror: Mirror | undefined,
  api: NotionApi,
  snapshotsDir: string | undefined,
  options: RevertOptions = {},
): Promise<RevertResult> {
  const work = await planRevertRun(target, mirror, snapshotsDir, {
    force: options.force,
    notion: api,
    forgetRefused: true,
    trackerId: options.trackerId,
    maxWrites: options.maxWrites,
  });
  return applyRevertPlan(target, work, mirror, api, options);
}

/**
 * Notion for the reads a plan may need: the client itself, or a way to open it on first use (so
 * that a plan needing no read needs no token).
 */
export type PlanNotion = NotionApi | (() => NotionApi);

/**
 * The one plan of a revert: which changes it restores (a new revert, or the rest of an unfinished
 * one), what cannot be restored exactly, and the exact requests — or its refusal, thrown (the run
 * is already reverted: see revertWork). `revert --dry-run` prints this value; `revert` applies it.
 * Without a mirror, the two-way relations a guard must know of are read from Notion through
 * `notion` (one read per data source the run wrote relations in; none when it wrote none), for a
 * dry run as for the revert itself, so both have the same guards.
 * `forgetRefused` (the real command): a refused revert's run that never started is deleted too.
 * `trackerId` (the config's tracker): its entry is among the requests, after the page writes,
 * unless `maxWrites` (`--max-writes`) leaves pages for later: only the first that many pages'
 * writes are among them then.
 */
export async function planRevertRun(
  target: RevertTarget,
  mirror: Mirror | undefined,
  snapshotsDir: string | undefined,
  options: {
    notion: PlanNotion;
    force?: boolean;
    forgetRefused?: boolean;
    trackerId?: string;
    maxWrites?: number;
  },
): Promise<RevertWork> {
  const synced = mirror ? undefined : await snapshotSyncedLookup(target, options.notion);
  const plan = options.forgetRefused ? prepareRevert : revertWork;
  const work = plan(target, mirror, snapshotsDir, { force: options.force, synced });
  return {
    ...work,
    ...invocationRequests(pageWrites(work.requests), options.trackerId, options.maxWrites),
    maxWrites: options.maxWrites,
  };
}

/** The two-way relations a revert from its snapshot alone must know of, read from Notion. */
async function snapshotSyncedLookup(
  target: RevertTarget,
  notion: PlanNotion,
): Promise<SyncedLookup> {
  const sources = relationSources(target.entries);
  if (sources.length === 0) return () => undefined;
  return liveSyncedLookup(typeof notion === "function" ? notion() : notion, sources);
}

/**
 * Applies a revert plan: the changes `revert --dry-run` listed for it, and no others (its
 * `maxWrites` too: the cap is part of the plan).
 */
export async function applyRevertPlan(
  target: RevertTarget,
  work: RevertWork,
  mirror: Mirror | undefined,
  api: NotionApi,
  options: Omit<RevertOptions, "force" | "maxWrites"> = {},
): Promise<RevertResult> {
  const startedAt = new Date().toISOString();
  const started = performance.now();
  const { dir, plan } = work;
  const revertRunId = work.revertRunId ?? newRunId();
  let changes = plan.changes;
  const recordNew = Boolean(mirror) && !work.continued;
  if (mirror && recordNew) {
    // Refused here, before anything is recorded, while another push or revert is writing.
    acquireWriterLock(dir, `revert ${target.runId}`)();
    recordPlannedRevert(mirror, target, revertRunId, work, startedAt);
    const ids = runChanges(mirror.sqlite, revertRunId).map((row) => row.id);
    changes = changes.map((change, index) => ({
      ...change,
      changeId: ids[index] ?? change.changeId,
    }));
  }
  let result: Awaited<ReturnType<typeof executeRun>>;
  try {
    result = await executeRun({
      runId: revertRunId,
      kind: "revert",
      revertsRunId: target.runId,
      createdAt: work.revertRunId ? (target.resumes?.createdAt ?? startedAt) : startedAt,
      snapshotsDir: dir,
      mirror,
      api,
      schemaChecks: [],
      runChanges: changes.map(snapshotChangeOf),
      changes,
      maxWrites: work.maxWrites,
      signal: options.signal,
      onProgress: options.onProgress,
      command: `revert ${target.runId}`,
    });
  } catch (error) {
    // Stopped before its snapshot existed (lock held, Notion unreachable…): nothing was sent, so
    // no planned run is left behind to be mistaken for an open one.
    if (mirror && recordNew) forgetNeverStarted(mirror, target.runId, [dir]);
    throw error;
  }

  const revertSnapshot = readSnapshot(snapshotPath(dir, revertRunId)).entries;
  const rows: ChangeRow[] =
    mirror && findRun(mirror.sqlite, revertRunId)
      ? runChanges(mirror.sqlite, revertRunId)
      : rowsFromSnapshot(revertSnapshot, changes, target.runId);
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
  const failures = result.outcomes
    .filter((outcome) => outcome.status === "failed")
    .map((outcome) => ({
      pageId: outcome.pageId,
      propertyName: outcome.propertyName,
      reason: outcome.reason ?? "",
    }));
  const restoredNothing = !work.continued && summary.applied === 0 && summary.pending === 0;
  if (restoredNothing && (conflicts.length > 0 || failures.length > 0)) {
    // Nothing was written: no revert to record, nor to undo later.
    forgetRestoredNothing(mirror, revertRunId, dir, recordNew);
    throw new NothingRestoredError(target.runId, conflicts, failures);
  }
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
    named: target.named,
    status,
    summary,
    continued: work.revertRunId ? { restoredBefore: work.restoredBefore } : null,
    alreadyHeld: alreadyHeld(revertSnapshot),
    unrestorable: plan.unrestorable,
    conflicts,
    failures,
    forced: work.force,
    ...optionsOfRun(target.entries, mirror),
    tracker,
  };
}

/** A revert that restored nothing leaves neither its run nor its snapshot behind. */
function forgetRestoredNothing(
  mirror: Mirror | undefined,
  revertRunId: string,
  dir: string,
  recorded: boolean,
): void {
  if (mirror && recorded) deleteUnstartedRun(mirror.sqlite, revertRunId);
  rmSync(snapshotPath(dir, revertRunId), { force: true });
}

/**
 * {@link revertWork} for a revert about to run: when it refuses (the run is already reverted), a
 * revert of the run that never started is deleted too, having nothing left to do.
 */
export function prepareRevert(
  target: RevertTarget,
  mirror: Mirror | undefined,
  snapshotsDir: string | undefined,
  options: { force?: boolean; synced?: SyncedLookup } = {},
): RevertWork {
  try {
    return revertWork(target, mirror, snapshotsDir, options);
  } catch (error) {
    if (mirror) forgetNeverStarted(mirror, target.runId, target.historyDirs);
    throw error;
  }
}

/**
 * The options the reverted run created, checked against the schema its plan saw: the mirror's
 * copy when it still has that schema's fingerprint (not pulled since), else reported unchecked.
 */
export function optionsOfRun(
  entries: readonly SnapshotEntry[],
  mirror: Mirror | undefined,
): { createdOptions: CreatedOption[]; optionsUnchecked: string[] } {
  const { created, unchecked } = createdOptions(entries, (id, fingerprint) => {
    const schemaJson = mirror && storedSchemaJson(mirror.sqlite, id, fingerprint);
    if (!schemaJson) return undefined;
    return (JSON.parse(schemaJson) as { properties?: Record<string, unknown> }).properties;
  });
  return { createdOptions: created, optionsUnchecked: unchecked };
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

/** The data sources a run wrote relations in (the first line of its snapshot lists its changes). */
function relationSources(entries: readonly SnapshotEntry[]): string[] {
  const run = entries[0];
  if (run?.type !== "run") return [];
  return run.changes.flatMap((change) =>
    change.propertyType === "relation" ? [change.dataSourceId] : [],
  );
}

/** Restores that found the pre-image already in place: the live value read equals the one left. */
function alreadyHeld(entries: readonly SnapshotEntry[]): number {
  const before = new Map<number, string>();
  let held = 0;
  for (const entry of entries) {
    if (entry.type === "pre") before.set(entry.changeId, JSON.stringify(entry.before));
    else if (entry.type === "post" && entry.status === "applied")
      if (before.get(entry.changeId) === JSON.stringify(entry.after)) held += 1;
  }
  return held;
}

/** Without a mirror, the revert's own snapshot says what became of each change. */
function rowsFromSnapshot(
  entries: readonly SnapshotEntry[],
  changes: RevertPlan["changes"],
  revertedRunId: string,
): ChangeRow[] {
  const settled = new Map<number, { status: ChangeRow["status"]; note: string | null }>();
  for (const entry of entries) {
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
