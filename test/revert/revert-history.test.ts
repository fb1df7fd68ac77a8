import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { RevertSnapshot } from "../../src/apply/revert-history.ts";
import { restoredFields, revertSnapshots } from "../../src/apply/revert-history.ts";
import type { PostEntry, RunEntry } from "../../src/snapshot/entries.ts";
import { SnapshotWriter } from "../../src/snapshot/snapshot-file.ts";

/** A revert's snapshot, as far as history needs it: its run line and the outcomes of its writes. */
function revert(
  runId: string,
  revertsRunId: string,
  outcomes: Array<[page: string, status: PostEntry["status"], at: string]>,
): RevertSnapshot {
  return {
    dir: "/snapshots",
    file: `/snapshots/${runId}.snapshot.ndjson`,
    run: {
      type: "run",
      runId,
      kind: "revert",
      revertsRunId,
      createdAt: outcomes[0]?.[2] ?? "",
      dataSources: [],
      changes: [],
    },
    entries: outcomes.map(([pageId, status, at], index) => ({
      type: "post",
      changeId: index + 1,
      pageId,
      propertyId: "p",
      status,
      after: null,
      at,
    })),
  };
}

describe("which fields of a run its reverts have put back, from the snapshots alone", () => {
  it("a revert's applied writes restore; its conflicts and failures do not", () => {
    const restored = restoredFields("F", [
      revert("R1", "F", [
        ["a", "applied", "2026-01-01T10:00:01Z"],
        ["b", "skipped_conflict", "2026-01-01T10:00:02Z"],
        ["c", "failed", "2026-01-01T10:00:03Z"],
      ]),
    ]);
    expect([...restored]).toEqual([["a/p", "R1"]]);
  });

  it("a revert of the revert puts the run's values back, and a revert of that restores them again", () => {
    const r1 = revert("R1", "F", [
      ["a", "applied", "2026-01-01T10:00:01Z"],
      ["b", "applied", "2026-01-01T10:00:02Z"],
    ]);
    const r2 = revert("R2", "R1", [["a", "applied", "2026-01-01T11:00:00Z"]]);
    expect([...restoredFields("F", [r1, r2])]).toEqual([["b/p", "R1"]]);
    const r3 = revert("R3", "R2", [["a", "applied", "2026-01-01T12:00:00Z"]]);
    expect(new Map(restoredFields("F", [r3, r1, r2]))).toEqual(
      new Map([
        ["a/p", "R3"],
        ["b/p", "R1"],
      ]),
    );
  });

  it("a second revert of the run, after one that left conflicts, adds what it restored", () => {
    const restored = restoredFields("F", [
      revert("R1", "F", [
        ["a", "applied", "2026-01-01T10:00:01Z"],
        ["b", "skipped_conflict", "2026-01-01T10:00:02Z"],
      ]),
      revert("R1b", "F", [["b", "applied", "2026-01-01T10:30:00Z"]]),
    ]);
    expect(new Map(restored)).toEqual(
      new Map([
        ["a/p", "R1"],
        ["b/p", "R1b"],
      ]),
    );
  });

  it("the reverts of other runs say nothing about this one", () => {
    expect(
      restoredFields("F", [revert("R9", "G", [["a", "applied", "2026-01-01T10:00:01Z"]])]).size,
    ).toBe(0);
  });
});

describe("the revert snapshots in a folder", () => {
  it("are found by their first line, newest first; fill snapshots and other files are left out", () => {
    const dir = mkdtempSync(join(tmpdir(), "notion-mirror-history-"));
    try {
      const write = (run: Omit<RunEntry, "type" | "dataSources" | "changes">, changes = 0) => {
        const snapshot = SnapshotWriter.open(dir, run.runId, {
          header: {
            type: "run",
            ...run,
            dataSources: [],
            changes: Array.from({ length: changes }, (_, index) => ({
              changeId: index + 1,
              pageId: `page-${index}`,
              dataSourceId: "ds",
              propertyId: "p",
              propertyName: "Notes",
              propertyType: "rich_text",
              payload: { rich_text: [{ text: { content: "x".repeat(200) } }] },
            })),
          },
        });
        snapshot.close();
      };
      // A fill whose run line is far longer than one read.
      write(
        {
          runId: "20260101-100000-aaaa",
          kind: "fill",
          revertsRunId: null,
          createdAt: "2026-01-01T10:00:00Z",
        },
        2000,
      );
      write(
        {
          runId: "20260101-110000-bbbb",
          kind: "revert",
          revertsRunId: "20260101-100000-aaaa",
          createdAt: "2026-01-01T11:00:00Z",
        },
        3,
      );
      write({
        runId: "20260101-120000-cccc",
        kind: "revert",
        revertsRunId: "20260101-110000-bbbb",
        createdAt: "2026-01-01T12:00:00Z",
      });
      writeFileSync(join(dir, "20260101-130000-dddd.snapshot.ndjson"), "");
      writeFileSync(join(dir, "notes.txt"), "not a snapshot");
      expect(revertSnapshots([dir, `${dir}/`]).map((found) => found.run.runId)).toEqual([
        "20260101-120000-cccc",
        "20260101-110000-bbbb",
      ]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
