import type { ProjectConfig } from "../config/project-config.ts";
import { NotionMirrorError } from "../errors.ts";
import type { PlannedFrom } from "../fill/plan-types.ts";
import type { Mirror } from "../mirror/open-mirror.ts";
import type { NotionApi } from "../notion/notion-api.ts";
import { checkRunId } from "../runs/run-id.ts";
import type { RunRow } from "../runs/run-store.ts";
import { discardedError } from "../runs/discard-run.ts";
import { listRuns, requireRun } from "../runs/run-store.ts";
import { setRunStatus } from "../runs/run-status.ts";
import type { EngineChange, EngineProgress } from "./engine-types.ts";
import { executeRun } from "./execute-run.ts";
import type { ChangeRow } from "../runs/change-store.ts";
import { runChanges } from "../runs/change-store.ts";
import type { RunSummary } from "./run-summary.ts";
import { summarise } from "./run-summary.ts";
import { writeTrackerEntry } from "./tracker.ts";
import { counted } from "../util/plural.ts";

/** One request push would send: what `--dry-run` prints. */
export interface PlannedRequest {
  method: "PATCH";
  path: string;
  body: { properties: Record<string, unknown> };
  /** For people: which properties, by name. */
  properties: string[];
}

/** The run push acts on: the one named, or the latest fill run not yet finished. */
export function selectPushRun(mirror: Mirror, runId: string | undefined): RunRow {
  if (runId) {
    const run = requireRun(mirror.sqlite, checkRunId(runId));
    if (run.kind !== "fill")
      throw new NotionMirrorError(
        "usage",
        `Run ${runId} is a ${run.kind} run; push applies fill runs.`,
        "Try: notion-mirror revert, to resume a revert.",
      );
    if (run.status === "discarded") throw discardedError(run.id);
    return run;
  }
  const open = listRuns(mirror.sqlite).find(
    (run) => run.kind === "fill" && ["planned", "applying", "partial"].includes(run.status),
  );
  if (!open)
    throw new NotionMirrorError("usage", "No planned run to push.", "Try: notion-mirror plan");
  return open;
}

/** The changes of a run still to settle (planned, or unknown after a lost answer). */
export function pendingChanges(mirror: Mirror, run: RunRow): ChangeRow[] {
  return runChanges(mirror.sqlite, run.id).filter(
    (row) => row.status === "planned" || row.status === "unknown",
  );
}

/** Exactly what push will send, one PATCH per page with all of its properties (no network). */
export function plannedRequests(rows: readonly ChangeRow[]): PlannedRequest[] {
  const byPage = new Map<string, PlannedRequest>();
  for (const row of rows) {
    const request = byPage.get(row.pageId) ?? {
      method: "PATCH",
      path: `/v1/pages/${row.pageId}`,
      body: { properties: {} },
      properties: [],
    };
    request.body.properties[row.propertyId] = JSON.parse(row.payloadJson) as unknown;
    request.properties.push(row.propertyName);
    byPage.set(row.pageId, request);
  }
  return [...byPage.values()];
}

export interface PushOptions {
  maxWrites?: number;
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
 * tracker and the run is finished, writes its entry there.
 */
export async function pushRun(
  config: ProjectConfig,
  mirror: Mirror,
  api: NotionApi,
  run: RunRow,
  options: PushOptions = {},
): Promise<PushResult> {
  const startedAt = new Date().toISOString();
  const started = performance.now();
  const plan = JSON.parse(run.planJson) as { plannedFrom: PlannedFrom[]; minConfidence: string };
  const all = runChanges(mirror.sqlite, run.id);
  const pending = all.filter((row) => row.status === "planned" || row.status === "unknown");
  // A run left "applying" with nothing pending (it died after its last change was recorded)
  // still goes through, so that it is finished: status, summary and tracker entry.
  if (pending.length === 0 && run.status !== "planned" && run.status !== "applying") {
    throw new NotionMirrorError(
      "usage",
      `Run ${run.id} is already ${run.status}; nothing left to push.`,
      `Try: notion-mirror runs show ${run.id}`,
    );
  }
  const result = await executeRun({
    runId: run.id,
    kind: "fill",
    revertsRunId: null,
    createdAt: run.createdAt,
    snapshotsDir: config.snapshotsDir,
    mirror,
    api,
    schemaChecks: plan.plannedFrom,
    runChanges: all.map((row) => ({
      changeId: row.id,
      pageId: row.pageId,
      dataSourceId: row.dataSourceId,
      propertyId: row.propertyId,
      propertyName: row.propertyName,
      propertyType: row.propertyType,
      payload: JSON.parse(row.payloadJson) as unknown,
    })),
    changes: pending.map(toFillChange),
    maxWrites: options.maxWrites,
    signal: options.signal,
    onProgress: options.onProgress,
    command: `push ${run.id}`,
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
          executionMode: executionMode(plan.minConfidence),
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

function toFillChange(row: ChangeRow): EngineChange {
  return {
    changeId: row.id,
    pageId: row.pageId,
    dataSourceId: row.dataSourceId,
    propertyId: row.propertyId,
    propertyName: row.propertyName,
    propertyType: row.propertyType,
    payload: JSON.parse(row.payloadJson) as unknown,
    guard: { kind: "empty" },
    expected: { kind: "payload" },
  };
}

function executionMode(minConfidence: string): string {
  return minConfidence === "high"
    ? "High-Confidence"
    : minConfidence === "medium"
      ? "Medium-Confidence"
      : "Low-Confidence";
}
