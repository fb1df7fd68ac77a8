import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { findRun } from "../../src/runs/run-store.ts";
import type { ReviewWorld } from "./review-world.ts";
import { reviewWorld } from "./review-world.ts";

let world: ReviewWorld;
beforeAll(async () => {
  world = await reviewWorld();
});
afterAll(async () => {
  await world?.stop();
});

interface ShownRun {
  review: Array<{ rule: string; count: number }>;
  decisions: Array<{ rule: string; accepted: number; rejected: number; forReview: number }>;
}

async function shown(runId: string): Promise<ShownRun> {
  const ran = await world.cli("runs", "show", runId, "--json");
  expect(ran.code, ran.stderr).toBe(0);
  return JSON.parse(ran.stdout) as ShownRun;
}

describe("a run's proposals are stored once", () => {
  it("plan_json keeps only their count; runs show counts them from the stored proposals, decisions included", async () => {
    const planned = await world.cli("plan");
    const runId = /^Planned run (\S+)\./m.exec(planned.stdout)?.[1] ?? "";
    const plan = world.withMirror(
      (mirror) => JSON.parse(findRun(mirror.sqlite, runId)?.planJson ?? "{}") as object,
    );
    expect(plan).not.toHaveProperty("review");
    expect(plan).toHaveProperty("reviewCount", 49);

    const rejected = await world.cli("review", runId, "--reject", "project-id-from-code");
    expect(rejected.code, rejected.stderr).toBe(0);
    const report = await shown(runId);
    expect(report.review).toEqual([
      { rule: "phase-project-by-code", count: 33 },
      { rule: "project-id-from-code", count: 16 },
    ]);
    expect(report.decisions).toMatchObject([
      { rule: "phase-project-by-code", accepted: 0, rejected: 0, forReview: 33 },
      { rule: "project-id-from-code", accepted: 0, rejected: 16, forReview: 0 },
    ]);
  });

  it("still reads a run planned before proposals had their own rows, from the list its plan_json kept", async () => {
    const legacyId = "20240101-000000-0abc";
    world.withMirror((mirror) =>
      mirror.sqlite
        .prepare(
          "INSERT INTO runs (id, kind, status, created_at, plan_json) VALUES (?, 'fill', 'superseded', '2024-01-01T00:00:00.000Z', ?)",
        )
        .run(
          legacyId,
          JSON.stringify({
            minConfidence: "high",
            rules: [],
            review: [{ rule: "old-links" }, { rule: "old-links" }, { rule: "old-ids" }],
            changeCount: 0,
          }),
        ),
    );
    const report = await shown(legacyId);
    expect(report.review).toEqual([
      { rule: "old-links", count: 2 },
      { rule: "old-ids", count: 1 },
    ]);
    expect(report.decisions).toEqual([]);
  });
});
