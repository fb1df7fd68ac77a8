import type { Mirror } from "../mirror/open-mirror.ts";
import type { NotionApi } from "../notion/notion-api.ts";
import type { CheckpointReason, PostEntry, PreEntry, SnapshotChange } from "../snapshot/entries.ts";
import { SNAPSHOT_FORMAT } from "../snapshot/entries.ts";
import { readSnapshot, snapshotPath, SnapshotWriter } from "../snapshot/snapshot-file.ts";
import { existsSync } from "node:fs";
import { discardedError } from "../runs/discard-run.ts";
import { findRun } from "../runs/run-store.ts";
import { setRunStatus } from "../runs/run-status.ts";
import { applyChanges } from "./apply-engine.ts";
import type {
  EngineChange,
  EngineProgress,
  EngineResult,
  OutcomeRecorder,
} from "./engine-types.ts";
import { mirrorRecorder } from "./mirror-recorder.ts";
import { preflight } from "./preflight.ts";
import { mirrorWitness } from "./snapshot-witness.ts";
import { refreshUnrecordedPages } from "./refresh-unrecorded-pages.ts";
import { writtenByName } from "./option-refs.ts";
import { SchemaWatch } from "./schema-watch.ts";
import { acquireWriterLock } from "./writer-lock.ts";

export interface ExecuteInput {
  runId: string;
  kind: "fill" | "revert";
  revertsRunId: string | null;
  createdAt: string;
  snapshotsDir: string;
  /** The mirror holding the run; undefined when reverting from a snapshot alone. */
  mirror: Mirror | undefined;
  api: NotionApi;
  /** Data sources to check before writing (schema unchanged since the plan); empty to skip. */
  schemaChecks: ReadonlyArray<{ dataSourceId: string; alias: string; fingerprint: string }>;
  /** Every change of the run, for the snapshot's first line. */
  runChanges: readonly SnapshotChange[];
  /** The changes still to settle. */
  changes: readonly EngineChange[];
  maxWrites?: number;
  signal?: AbortSignal;
  onProgress?: (progress: EngineProgress) => void;
  /** What the lock says about its holder ("push 2025…"). */
  command: string;
  /**
   * Called once the lock is held, before anything is read or sent, and as the invocation ends,
   * still under the lock, however it ends (push binds the run to its mirror with these).
   */
  underLock?: { begin(): void; end(): void };
}

/**
 * Runs the apply engine the way push and revert both need it: under the single-writer lock,
 * after the preflight, with the run's snapshot opened (its first line written if new, an existing
 * one checked against the mirror) and its earlier entries read, so a resumed run settles in-doubt
 * writes by reading them back. Each invocation ends its entries with a checkpoint.
 */
export async function executeRun(input: ExecuteInput): Promise<EngineResult> {
  const release = acquireWriterLock(input.snapshotsDir, input.command);
  try {
    input.underLock?.begin();
    // Checked under the lock: `runs discard` may have discarded the run since it was selected.
    const current = input.mirror && findRun(input.mirror.sqlite, input.runId);
    if (current?.status === "discarded") throw discardedError(input.runId);
    const path = snapshotPath(input.snapshotsDir, input.runId);
    const prior = existsSync(path)
      ? priorEntries(path)
      : { pre: new Map<number, PreEntry>(), post: new Map<number, PostEntry>() };
    const checked = await preflight(
      input.api,
      input.schemaChecks,
      writtenByName(input.runChanges, prior.post.values()),
    );
    // Options may move in Notion during the push: watched per change (see SchemaWatch).
    const watch = new SchemaWatch(input.api, checked.sources, input.runChanges);
    for (const settled of prior.post.values()) watch.observe(settled);
    const snapshot = SnapshotWriter.open(input.snapshotsDir, input.runId, {
      header: {
        type: "run",
        format: SNAPSHOT_FORMAT,
        runId: input.runId,
        kind: input.kind,
        revertsRunId: input.revertsRunId,
        createdAt: input.createdAt,
        dataSources: input.schemaChecks.map((source) => ({
          id: source.dataSourceId,
          alias: source.alias,
          fingerprint: source.fingerprint,
        })),
        changeCount: input.runChanges.length,
        changes: [...input.runChanges],
      },
      witness: mirrorWitness(input.mirror, input.runId),
    });
    // The checkpoint marks where this invocation's entries end (see verifySnapshot).
    let ended: CheckpointReason = "error";
    try {
      if (input.mirror)
        setRunStatus(input.mirror.sqlite, input.runId, "applying", { onlyFrom: ["planned"] });
      const recorder: OutcomeRecorder = watch.recorder(
        input.mirror
          ? mirrorRecorder(input.mirror, input.runId)
          : { record: () => undefined, pageWritten: () => undefined, writing: () => undefined },
      );
      // A crash between a snapshot entry and its mirror row: the snapshot is the truth.
      for (const change of input.changes) {
        const settled = prior.post.get(change.changeId);
        if (!settled) continue;
        recorder.record({
          changeId: change.changeId,
          pageId: change.pageId,
          propertyName: change.propertyName,
          status: settled.status,
          before: prior.pre.get(change.changeId)?.before,
          after: settled.after,
          reason: settled.note,
        });
      }
      if (input.mirror)
        await refreshUnrecordedPages(input.api, input.mirror, input.changes, prior.post, recorder);
      const result = await applyChanges({
        snapshot,
        prior,
        changes: input.changes,
        api: input.api,
        recorder,
        maxWrites: input.maxWrites,
        signal: input.signal,
        onProgress: input.onProgress,
        checks: { botId: checked.botId, since: input.createdAt, watch },
      });
      ended = input.signal?.aborted
        ? "interrupted"
        : result.deferredPages > 0
          ? "max-writes"
          : "end";
      return result;
    } finally {
      // Reached only once no write of this invocation is in flight: the engine waits for them.
      snapshot.checkpoint(ended);
      snapshot.close();
    }
  } finally {
    try {
      input.underLock?.end();
    } finally {
      release();
    }
  }
}

function priorEntries(path: string): { pre: Map<number, PreEntry>; post: Map<number, PostEntry> } {
  const pre = new Map<number, PreEntry>();
  const post = new Map<number, PostEntry>();
  for (const entry of readSnapshot(path).entries) {
    if (entry.type === "pre") pre.set(entry.changeId, entry);
    if (entry.type === "post") post.set(entry.changeId, entry);
  }
  return { pre, post };
}
