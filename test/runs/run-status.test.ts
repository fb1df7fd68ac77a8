import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { NotionMirrorError } from "../../src/errors.ts";
import type { Mirror } from "../../src/mirror/open-mirror.ts";
import { openMirror } from "../../src/mirror/open-mirror.ts";
import { runListing } from "../../src/runs/run-listing.ts";
import { RUN_TRANSITIONS, setRunStatus } from "../../src/runs/run-status.ts";
import type { RunStatus } from "../../src/runs/run-store.ts";
import { findRun, insertPlannedRun } from "../../src/runs/run-store.ts";

let dir: string;
let mirror: Mirror;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "notion-mirror-runs-"));
  mirror = openMirror(join(dir, "mirror.db"));
});

afterEach(() => {
  mirror.close();
  rmSync(dir, { recursive: true, force: true });
});

const change = (pageId: string) => ({
  pageId,
  dataSourceId: "ds",
  propertyId: "p",
  propertyName: "Status",
  propertyType: "select",
  rule: "r",
  confidence: "high" as const,
  before: null,
  payload: { select: { name: "Done" } },
  natural: "Done",
});

function planned(id: string, changes = 1): void {
  insertPlannedRun(
    mirror.sqlite,
    { id, kind: "fill", createdAt: `2026-01-01T00:00:0${id.slice(-1)}Z`, plan: {} },
    Array.from({ length: changes }, (_, index) => change(`page-${index}`)),
  );
}

/** Walks run `id` from planned to `status` along allowed moves. */
function bring(id: string, status: RunStatus): void {
  const path: Record<RunStatus, RunStatus[]> = {
    planned: [],
    applying: ["applying"],
    applied: ["applying", "applied"],
    partial: ["applying", "partial"],
    reverted: ["applying", "applied", "reverted"],
    discarded: ["discarded"],
    superseded: ["superseded"],
  };
  for (const step of path[status]) setRunStatus(mirror.sqlite, id, step);
  expect(findRun(mirror.sqlite, id)?.status).toBe(status);
}

describe("a run's status", () => {
  it("moves along every allowed transition, and refuses every other one, changing nothing", () => {
    const statuses = Object.keys(RUN_TRANSITIONS) as RunStatus[];
    let n = 0;
    for (const from of statuses) {
      for (const to of statuses) {
        const id = `20260101-000000-${(n++).toString(16).padStart(4, "0")}`;
        planned(id);
        bring(id, from);
        const allowed = from === to || RUN_TRANSITIONS[from].includes(to);
        if (allowed) {
          expect(setRunStatus(mirror.sqlite, id, to)).toBe(true);
        } else {
          expect(() => setRunStatus(mirror.sqlite, id, to)).toThrow(
            expect.objectContaining({
              code: "internal",
              message: `Run ${id} is ${from}; it cannot become ${to}.`,
            }) as NotionMirrorError,
          );
        }
        expect(findRun(mirror.sqlite, id)?.status).toBe(allowed ? to : from);
      }
    }
    expect(n).toBe(49);
  });

  it("with onlyFrom, leaves a run in another status as it was", () => {
    planned("20260101-000000-0001");
    bring("20260101-000000-0001", "partial");
    expect(
      setRunStatus(mirror.sqlite, "20260101-000000-0001", "applying", { onlyFrom: ["planned"] }),
    ).toBe(false);
    expect(findRun(mirror.sqlite, "20260101-000000-0001")?.status).toBe("partial");
  });

  it("records the applied time and summary with the move, and leaves a run it does not hold", () => {
    planned("20260101-000000-0002");
    setRunStatus(mirror.sqlite, "20260101-000000-0002", "applying");
    setRunStatus(mirror.sqlite, "20260101-000000-0002", "applied", {
      appliedAt: "2026-01-02T00:00:00Z",
      summary: { applied: 1, protected: 0, failed: 0 },
    });
    expect(findRun(mirror.sqlite, "20260101-000000-0002")).toMatchObject({
      status: "applied",
      appliedAt: "2026-01-02T00:00:00Z",
      summaryJson: JSON.stringify({ applied: 1, protected: 0, failed: 0 }),
    });
    expect(setRunStatus(mirror.sqlite, "20260101-000000-ffff", "applied")).toBe(false);
  });
});

describe("the runs listing", () => {
  it("lists every run newest first, with its changes and its summary's counts", () => {
    planned("20260101-000000-0001", 3);
    planned("20260101-000000-0002", 1200);
    setRunStatus(mirror.sqlite, "20260101-000000-0001", "applying");
    setRunStatus(mirror.sqlite, "20260101-000000-0001", "partial", {
      summary: { applied: 2, protected: 0, failed: 1 },
    });
    expect(runListing(mirror.sqlite)).toEqual([
      expect.objectContaining({ id: "20260101-000000-0002", status: "planned", changes: 1200 }),
      expect.objectContaining({
        id: "20260101-000000-0001",
        status: "partial",
        changes: 3,
        applied: 2,
        protected: 0,
        failed: 1,
      }),
    ]);
    expect(runListing(mirror.sqlite)[0]?.applied).toBeUndefined();
  });
});
