/**
 * The lines of a run's snapshot file. The file alone is enough to revert the run: it names every
 * change, holds each value's pre-image (written and fsynced BEFORE the write that replaces it),
 * once Notion answered the after-image, and at the end of each invocation a checkpoint, so that a
 * file that lost its last lines can be told from a run that stopped.
 */
export type SnapshotEntry = RunEntry | PreEntry | PostEntry | CheckpointEntry;

/** The snapshot format that writes `changeCount` and checkpoints; files without `format` are older. */
export const SNAPSHOT_FORMAT = 2;

export interface SnapshotChange {
  changeId: number;
  pageId: string;
  dataSourceId: string;
  propertyId: string;
  propertyName: string;
  propertyType: string;
  /** The update payload the run sends for this property. */
  payload: unknown;
}

/** First line: what the run is, and every change it plans. */
export interface RunEntry {
  type: "run";
  /** {@link SNAPSHOT_FORMAT}; absent in files written before checkpoints existed. */
  format?: number;
  runId: string;
  kind: "fill" | "revert";
  revertsRunId: string | null;
  createdAt: string;
  dataSources: Array<{ id: string; alias: string; fingerprint: string }>;
  /** How many changes the run plans: `changes.length`, stated so that a lost one shows. */
  changeCount?: number;
  changes: SnapshotChange[];
}

/** The live value about to be replaced, durable before the write is sent. */
export interface PreEntry {
  type: "pre";
  changeId: number;
  pageId: string;
  propertyId: string;
  /** Notion's JSON of the property value read right before the write. */
  before: unknown;
  at: string;
}

/** What became of a change once Notion answered (or the read-back settled it). */
export interface PostEntry {
  type: "post";
  changeId: number;
  pageId: string;
  propertyId: string;
  status: "applied" | "skipped_conflict" | "failed";
  /** Notion's JSON of the value after the write (applied only). */
  after: unknown;
  note?: string;
  at: string;
}

/**
 * The last entry of every invocation that writes the snapshot (push or revert, first or resumed),
 * appended once no write of that invocation is in flight. A file that does not end with one lost
 * its last lines or belongs to a run that was killed; `final` says the run's pass is over (every
 * change it plans has an outcome), so nothing will be appended after it.
 */
export interface CheckpointEntry {
  type: "checkpoint";
  /** Why this invocation ended. */
  reason: CheckpointReason;
  /** Changes of the run with an outcome (a post entry) so far, out of `total`. */
  settled: number;
  total: number;
  final: boolean;
  at: string;
}

/**
 * `end`: every change given to the invocation was dealt with; `max-writes`: its write budget ran
 * out; `interrupted`: Ctrl-C; `error`: it stopped on an error (token refused, Notion unreachable,
 * the mirror or the disk failing).
 */
export type CheckpointReason = "end" | "max-writes" | "interrupted" | "error";
