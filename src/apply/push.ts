import type { ProjectConfig } from "../config/project-config.ts";
import type { PlannedFrom } from "../fill/plan-types.ts";
import type { Mirror } from "../mirror/open-mirror.ts";
import type { NotionApi } from "../notion/notion-api.ts";
import type { RunRow } from "../runs/run-store.ts";
import { setRunStatus } from "../runs/run-status.ts";
import type { EngineProgress } from "./engine-types.ts";
import { executeRun } from "./execute-run.ts";
import { snapshotChangeOf } from "./snapshot-change.ts";
import type { PlannedPageWrite } from "./planned-request.ts";
import { requestsFor } from "./planned-request.ts";
import type { PushPlan } from "./push-plan.ts";
import { pushPlanOf, toFillChange } from "./push-plan.ts";
import type { ChangeRow } from "../runs/change-store.ts";
import { runChanges } from "../runs/change-store.ts";
import type { RunSummary } from "./run-summary.ts";
import { summarise } from "./run-summary.ts";
import { writeTrackerEntry } from "./tracker.ts";
import { counted } from "../util/plural.ts";
import { markPushing, rebindPlanInputs } from "../review/mirror-binding.ts";
import { recordPushedDespiteMoved } from "../runs/run-events.ts";

export type { PlannedRequest } from "./planned-request.ts";
export { fieldsWritten, pageWrites } from "./planned-request.ts";
export type { PushPlan } from "./push-plan.ts";
export { pendingChanges, planPush, pushPlanOf, selectPushRun } from "./push-plan.ts";

/** Exactly what push will send for these rows, one PATCH per page (no network). */
export function plannedRequests(rows: readonly ChangeRow[]): PlannedPageWrite[] {
  return requestsFor(rows.map(toFillChange));
}

export interface PushOptions {
  maxWrites?: number;
  /** Push (or resume) a run even though a pull changed what its rules read since (default: refuse). */
  ignoreMovedInputs?: boolean;
  signal?: AbortSignal;
  onProgress?: (progress: EngineProgress) => void;
}

export interface PushResult {
  runId: string;
  status: RunRow["status"];
  summary: RunSummary;
  deferredPages: number;
  tracker: { ok: true; pageId: string } | { ok: false; reason: string } | null;
}

/**
 * `push`: applies a planned fill run through the apply engine — verified live, snapshot first,
 * one PATCH per page, resumable — then records the run's summary and, when the config names a
 * tracker and the run is finished, writes its entry there. Plans the run first (see planPush),
 * throwing its refusal.
 */
export async function pushRun(
  config: ProjectConfig,
  mirror: Mirror,
  api: NotionApi,
  run: RunRow,
  options: PushOptions = {},
): Promise<PushResult> {
  const plan = pushPlanOf(mirror, run, { ...options, trackerId: config.tracker?.id });
  return applyPushPlan(config, mirror, api, plan, options);
}

/**
 * Applies a push plan: the changes `push --dry-run` listed for it, and no others (its
 * `maxWrites` too: the cap is part of the plan).
 */
export async function applyPushPlan(
  config: ProjectConfig,
  mirror: Mirror,
  api: NotionApi,
  plan: PushPlan,
  options: Omit<PushOptions, "maxWrites"> = {},
): Promise<PushResult> {
  const { run, all } = plan;
  const startedAt = new Date().toISOString();
  const started = performance.now();
  const planned = JSON.parse(run.planJson) as {
    plannedFrom: PlannedFrom[];
    minConfidence: string;
  };
  const result = await executeRun({
    runId: run.id,
    kind: "fill",
    revertsRunId: null,
    createdAt: run.createdAt,
    snapshotsDir: config.snapshotsDir,
    mirror,
    api,
    schemaChecks: planned.plannedFrom,
    runChanges: all.map((row) => snapshotChangeOf(toFillChange(row))),
    changes: plan.pending,
    maxWrites: plan.maxWrites,
    signal: options.signal,
    onProgress: options.onProgress,
    command: `push ${run.id}`,
    underLock: {
      begin() {
        if (plan.binding.moved.length > 0)
          recordPushedDespiteMoved(mirror, run.id, plan.binding.moved);
        markPushing(mirror, run.id);
      },
      // Whatever ends this invocation (done, --max-writes, Ctrl-C, an error), a resume compares
      // the mirror with the state the run's own writes left. A failure here leaves the mark, and
      // the resume knows the recorded state predates the run's writes.
      end() {
        try {
          rebindPlanInputs(mirror, run.id);
        } catch {
          // see above
        }
      },
    },
  });
  const rows = runChanges(mirror.sqlite, run.id);
  const aliases = new Map(config.dataSources.map((source) => [source.id, source.alias]));
  const summary = summarise(rows, (id) => aliases.get(id) ?? id, {
    startedAt,
    finishedAt: new Date().toISOString(),
    durationMs: performance.now() - started,
    requests: structuredClone(api.stats),
  });
  const status: RunRow["status"] =
    summary.pending > 0 ? "applying" : summary.failed > 0 ? "partial" : "applied";
  const tracker =
    config.tracker && summary.pending === 0
      ? await writeTrackerEntry(api, config.tracker.id, {
          title: `notion-mirror run ${run.id}: ${counted(summary.applied, "field")} filled`,
          runId: run.id,
          status: "Resolved",
          recordsAffected: summary.pagesAffected,
          executionMode: executionMode(planned.minConfidence),
          notes: `${summary.applied} filled, ${summary.protected} protected from overwrite, ${summary.failed} failed; rules: ${[...new Set(rows.map((row) => row.rule))].join(", ")}. Revert: notion-mirror revert ${run.id}`,
          date: summary.finishedAt.slice(0, 10),
        })
      : null;
  setRunStatus(mirror.sqlite, run.id, status, {
    appliedAt: summary.pending === 0 ? summary.finishedAt : null,
    summary: { ...summary, tracker },
  });
  return { runId: run.id, status, summary, deferredPages: result.deferredPages, tracker };
}

function executionMode(minConfidence: string): string {
  return minConfidence === "high"
    ? "High-Confidence"
    : minConfidence === "medium"
      ? "Medium-Confidence"
      : "Low-Confidence";
}
