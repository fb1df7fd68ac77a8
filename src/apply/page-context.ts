import type { NotionApi } from "../notion/notion-api.ts";
import type { Pacer } from "../notion/rate-gate.ts";
import type { PostEntry, PreEntry } from "../snapshot/entries.ts";
import type { SnapshotWriter } from "../snapshot/snapshot-file.ts";
import type { ChangeOutcome, EngineChange, OutcomeRecorder } from "./engine-types.ts";
import type { LiveChecks } from "./page-values.ts";

/** An outcome without what the change itself says (its ids and name). */
export type Settled = Omit<ChangeOutcome, "changeId" | "pageId" | "propertyName">;

/** What settling one page needs from the engine's invocation. */
export interface PageContext {
  api: NotionApi;
  snapshot: SnapshotWriter;
  recorder: OutcomeRecorder;
  /** Pre-images an earlier invocation appended (those changes may have been sent). */
  prior: ReadonlyMap<number, PreEntry>;
  checks?: LiveChecks;
  /** Lost answers per page write before its outcome is left unknown (settled on resume). */
  maxWriteAttempts: number;
  /** Settles a change: its post entry (when given) appended, its outcome recorded and counted. */
  settle(change: EngineChange, outcome: Settled, post?: PostEntry): void;
  /** A write is about to leave this machine. */
  sending(): void;
}

/** The requests of one page, paced under the rate limit (see NotionApi.lane). */
export interface PageLane {
  reads: Pacer;
  writes: Pacer;
  again(): void;
}

/** The snapshot's after-image entry of a change. */
export function postEntry(
  change: EngineChange,
  status: PostEntry["status"],
  after: unknown,
  note?: string,
): PostEntry {
  return {
    type: "post",
    changeId: change.changeId,
    pageId: change.pageId,
    propertyId: change.propertyId,
    status,
    after: after ?? null,
    ...(note ? { note } : {}),
    at: new Date().toISOString(),
  };
}

/** The snapshot's pre-image entry of a change (durable before its write is sent). */
export function preEntry(change: EngineChange, before: unknown): PreEntry {
  return {
    type: "pre",
    changeId: change.changeId,
    pageId: change.pageId,
    propertyId: change.propertyId,
    before,
    at: new Date().toISOString(),
  };
}
