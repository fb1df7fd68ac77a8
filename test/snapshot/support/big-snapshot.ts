import { appendFileSync, readFileSync } from "node:fs";
import type { PreEntry, RunEntry } from "../../../src/snapshot/entries.ts";
import { SnapshotWriter, snapshotPath } from "../../../src/snapshot/snapshot-file.ts";

/** Changes in the big run, and the size of each pre-image's text: ~32 MB in all. */
const CHANGES = 2_000;
const TEXT_BYTES = 8_000;

/** The first line of the big run's snapshot: every change it plans. */
export function bigRunEntry(runId: string): RunEntry {
  const changes = Array.from({ length: CHANGES }, (_, index) => ({
    changeId: index + 1,
    pageId: `00000000-0000-4000-8000-${String(index).padStart(12, "0")}`,
    dataSourceId: "00000000-0000-4000-8000-d00000000001",
    propertyId: "notes",
    propertyName: "Notes",
    propertyType: "rich_text",
    payload: { rich_text: [{ type: "text", text: { content: "filled" } }] },
  }));
  return {
    type: "run",
    format: 2,
    runId,
    kind: "fill",
    revertsRunId: null,
    createdAt: "2025-11-26T18:05:12.000Z",
    dataSources: [{ id: "00000000-0000-4000-8000-d00000000001", alias: "big", fingerprint: "f" }],
    changeCount: changes.length,
    changes,
  };
}

/**
 * Writes a ~32 MB snapshot of a run that was killed while appending: every pre-image whole, then
 * half of one more line with no newline (a torn tail). Returns the file's bytes.
 */
export function writeTornBigSnapshot(dir: string, runId: string): Buffer {
  const writer = SnapshotWriter.open(dir, runId, { header: bigRunEntry(runId) });
  const text = "x".repeat(TEXT_BYTES);
  const pres: PreEntry[] = Array.from({ length: CHANGES }, (_, index) => ({
    type: "pre",
    changeId: index + 1,
    pageId: `00000000-0000-4000-8000-${String(index).padStart(12, "0")}`,
    propertyId: "notes",
    before: {
      id: "notes",
      type: "rich_text",
      rich_text: [{ type: "text", text: { content: `${index} ${text}` }, plain_text: text }],
    },
    at: "2025-11-26T18:05:13.000Z",
  }));
  writer.append(pres);
  writer.close();
  const path = snapshotPath(dir, runId);
  appendFileSync(path, '{"sha256":"0123456789abcdef","body":"{\\"seq\\":2002,\\"type\\":\\"po');
  return readFileSync(path);
}
