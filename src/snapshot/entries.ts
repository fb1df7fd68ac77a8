/**
 * The lines of a run's snapshot file. The file alone is enough to revert the run: it names every
 * change, holds each value's pre-image (written and fsynced BEFORE the write that replaces it)
 * and, once Notion answered, the after-image.
 */
export type SnapshotEntry = RunEntry | PreEntry | PostEntry;

/** The snapshot format that writes `changeCount`; files without `format` are older. */
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
  /** {@link SNAPSHOT_FORMAT}; absent in files written by earlier versions. */
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
