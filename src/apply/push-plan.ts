import { NotionMirrorError } from "../errors.ts";
import type { Mirror } from "../mirror/open-mirror.ts";
import { storedPayload } from "../notion/codec/index.ts";
import { discardedError } from "../runs/discard-run.ts";
import { checkRunId } from "../runs/run-id.ts";
import type { RunRow } from "../runs/run-store.ts";
import { listRuns, requireRun } from "../runs/run-store.ts";
import type { BindingCheck } from "../review/mirror-binding.ts";
import { checkPlanBinding } from "../review/mirror-binding.ts";
import { checkSomethingToPush, supersededError } from "../review/push-check.ts";
import type { EngineChange } from "./engine-types.ts";
import type { PlannedRequest } from "./planned-request.ts";
import { invocationRequests, requestsFor } from "./planned-request.ts";
import type { ChangeRow } from "../runs/change-store.ts";
import { runChanges } from "../runs/change-store.ts";

/**
 * What `push` will do, decided before anything is sent: `push --dry-run` prints this value and
 * `push` applies this same value (see applyPushPlan).
 */
export interface PushPlan {
  run: RunRow;
  /** Every change of the run (the snapshot's first line lists them all). */
  all: ChangeRow[];
  /** The changes still to settle, as the engine applies them. */
  pending: EngineChange[];
  /**
   * Exactly the writes sent when every pending change goes ahead: one per page (the first
   * `maxWrites` of them), then the tracker's entry when a tracker is configured and no page is
   * left for later.
   */
  requests: PlannedRequest[];
  /** The cap on page writes of this invocation (`--max-writes`), if any. */
  maxWrites: number | undefined;
  /** Pages with changes pending that this invocation leaves for a later push (`--max-writes`). */
  leftForLater: number;
  /**
   * The run's inputs compared with the mirror: what moved since the plan or the last push
   * invocation (non-empty only when pushed anyway, `ignoreMovedInputs`), or that it could not be
   * told (`unchecked`).
   */
  binding: BindingCheck;
}

/**
 * The one plan of a push: selects the run (named, or the latest unfinished fill run), refuses
 * what push must not do, and lists the pending changes and the exact requests. Throws the refusal
 * (a usage error: nothing was sent) for a run that does not exist, a revert run, a discarded or
 * superseded run, no open run, a run already finished (applied, partial, reverted) with nothing
 * left to push, a planned run with nothing planned and no proposal accepted, and a run whose
 * inputs a later pull moved since the plan or since its last push invocation ended (unless
 * `ignoreMovedInputs`). Reads the mirror only; no network.
 *
 * @example const plan = planPush(mirror, "20250601-101500-ab12"); plan.requests.length // pages
 */
export function planPush(
  mirror: Mirror,
  runId: string | undefined,
  options: PushPlanOptions = {},
): PushPlan {
  return pushPlanOf(mirror, selectPushRun(mirror, runId), options);
}

/** What may relax push's refusals. */
export interface PushPlanOptions {
  /** Push (or resume) a run even though a pull changed what its rules read since (default: refuse). */
  ignoreMovedInputs?: boolean;
  /** The tracker data source the push writes its entry in (the config's), if any. */
  trackerId?: string;
  /** Pages this invocation writes at most (`--max-writes`); the rest are left for later. */
  maxWrites?: number;
}

/** {@link planPush} for a run already selected (refusing it as planPush does). */
export function pushPlanOf(mirror: Mirror, run: RunRow, options: PushPlanOptions = {}): PushPlan {
  checkSomethingToPush(mirror, run);
  const all = runChanges(mirror.sqlite, run.id);
  const pending = pendingChanges(all);
  // A run left "applying" with nothing pending (it died after its last change was recorded)
  // still goes through, so that it is finished: status, summary and tracker entry.
  if (pending.length === 0 && run.status !== "planned" && run.status !== "applying") {
    throw new NotionMirrorError(
      "usage",
      `Run ${run.id} is already ${run.status}; nothing left to push.`,
      `Try: notion-mirror runs show ${run.id}`,
    );
  }
  // The changes still to send are checked against what their rules read, whether the run is
  // planned or resumed (its own writes since were recorded as each invocation ended).
  const binding =
    pending.length > 0
      ? checkPlanBinding(mirror, run, options.ignoreMovedInputs)
      : { moved: [], unchecked: false };
  const changes = pending.map(toFillChange);
  const { requests, leftForLater } = invocationRequests(
    requestsFor(changes),
    options.trackerId,
    options.maxWrites,
  );
  return {
    run,
    all,
    pending: changes,
    requests,
    maxWrites: options.maxWrites,
    leftForLater,
    binding,
  };
}

/**
 * The run push acts on: the one named, or the latest fill run not yet finished. Throws (a usage
 * error) for an unknown id, a revert run, a discarded or superseded run, or when no run is open.
 */
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
    if (run.status === "superseded") throw supersededError(run);
    return run;
  }
  const open = listRuns(mirror.sqlite).find(
    (run) => run.kind === "fill" && ["planned", "applying", "partial"].includes(run.status),
  );
  if (!open)
    throw new NotionMirrorError("usage", "No planned run to push.", "Try: notion-mirror plan");
  return open;
}

/**
 * Which of a run's changes push still settles: planned ones, and unknown ones (a lost answer,
 * settled by reading back). The one place this is decided.
 */
export function pendingChanges(rows: readonly ChangeRow[]): ChangeRow[] {
  return rows.filter((row) => row.status === "planned" || row.status === "unknown");
}

/** A fill change as the engine applies it: written only where the live value is empty. */
export function toFillChange(row: ChangeRow): EngineChange {
  return {
    changeId: row.id,
    pageId: row.pageId,
    dataSourceId: row.dataSourceId,
    propertyId: row.propertyId,
    propertyName: row.propertyName,
    propertyType: row.propertyType,
    payload: storedPayload(row.payloadJson),
    guard: { kind: "empty" },
    expected: { kind: "payload" },
  };
}
