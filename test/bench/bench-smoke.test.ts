import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { z } from "zod";

const ROOT = fileURLToPath(new URL("../..", import.meta.url));
const dir = mkdtempSync(join(tmpdir(), "notion-mirror-bench-smoke-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const results = z.object({
  rows: z.array(
    z.object({
      scenario: z.string(),
      figure: z.string(),
      measured: z.string(),
      bound: z.string(),
      verdict: z.enum(["met", "missed", ""]),
    }),
  ),
  figures: z.object({
    "full-pull": z.object({ requests: z.number(), bound: z.object({ total: z.number() }) }),
    incremental: z.object({
      dataSources: z.number(),
      unchanged: z.object({ requests: z.number() }),
    }),
    "demo-pull": z.object({ requests: z.number(), pages: z.number() }),
    "capped-pull": z.object({
      pages: z.number(),
      requests: z.number(),
      bound: z.object({ total: z.number() }),
      cappedWindows: z.number(),
      mirrored: z.number(),
    }),
    push: z.object({
      fills: z.number(),
      push: z.object({ pages: z.number(), requests: z.number() }),
      revert: z.object({ pages: z.number(), requests: z.number() }),
      naive: z.object({ pages: z.number(), wallMs: z.number() }),
    }),
    budget: z.array(
      z.object({
        what: z.enum(["pull", "push", "revert"]),
        rate: z.number(),
        budget: z.number(),
        ceiling: z.number().optional(),
        requests: z.number(),
        learned: z.object({ budget: z.number().optional(), windowMs: z.number().optional() }),
        use: z.object({
          windows: z.number(),
          fullWindows: z.number(),
          share: z.number(),
          most429AfterFirst: z.number(),
          first429: z.number(),
        }),
      }),
    ),
    "big-source": z.object({
      pages: z.number(),
      requests: z.number(),
      mirrored: z.number(),
      wallMs: z.number(),
      budgetBoundMs: z.number(),
    }),
    scale: z.array(
      z.object({
        pages: z.number(),
        pull: z.object({ pagesPerSecond: z.number(), peakRss: z.number() }),
        raw: z.object({ pagesPerSecond: z.number() }),
        plan: z.object({ durationMs: z.number(), changes: z.number() }),
        scan: z.object({ durationMs: z.number() }),
      }),
    ),
  }),
});

describe("npm run bench --quick", () => {
  it("runs every scenario at tiny sizes and prints one table beside its JSON", () => {
    const out = join(dir, "latest.json");
    const run = spawnSync(
      process.execPath,
      ["--import", "tsx", "bench/run.ts", "--quick", "--out", out],
      { cwd: ROOT, encoding: "utf8", timeout: 90_000 },
    );
    expect(run.stderr).not.toContain("FAILED");
    expect(run.status).toBe(0);
    expect(run.stdout).toContain("Bound / baseline");
    for (const scenario of [
      "full pull",
      "incremental pull",
      "demo pull",
      "pull past the cap",
      "push",
      "revert",
      "naive baseline",
      "scale",
      "growth",
      "budget untold",
      "the baseline",
      "share of the window budget used",
      "429s per window after the first",
      "one data source of",
    ]) {
      expect(run.stdout).toContain(scenario);
    }

    const json = results.parse(JSON.parse(readFileSync(out, "utf8")));
    expect(json.rows.some((row) => row.figure === "scenario failed")).toBe(false);
    const { figures } = json;
    // Request counts do not depend on timing: they hold at any size.
    expect(figures["full-pull"].requests).toBe(figures["full-pull"].bound.total);
    expect(figures.incremental.unchanged.requests).toBe(3 * figures.incremental.dataSources);
    expect(figures["demo-pull"].pages).toBe(105);
    expect(figures["capped-pull"].cappedWindows).toBeGreaterThan(0);
    expect(figures["capped-pull"].mirrored).toBe(figures["capped-pull"].pages);
    expect(figures["capped-pull"].requests).toBeLessThanOrEqual(figures["capped-pull"].bound.total);
    expect(figures.push.push.pages).toBe(figures.push.fills);
    expect(figures.push.revert.pages).toBe(figures.push.fills);
    expect(figures.push.naive.pages).toBe(figures.push.fills);
    // Under a window budget it is not told, each run spans windows and spends them; the fixed
    // 3/s pace of before, under the same budget, spends a fraction of each.
    const untold = figures.budget.filter((run) => run.ceiling === undefined);
    expect(untold.map((run) => run.what).sort()).toEqual(["pull", "push", "revert"]);
    for (const run of untold) {
      expect(run.use.fullWindows, run.what).toBeGreaterThanOrEqual(2);
      expect(run.requests).toBeGreaterThan(run.budget * 2);
    }
    const baseline = figures.budget.find((run) => run.ceiling === 3);
    const pulled = untold.find((run) => run.what === "pull");
    expect(baseline?.use.share).toBeLessThan(0.5);
    expect(pulled?.use.share).toBeGreaterThan(baseline?.use.share ?? 1);
    expect(figures["big-source"].mirrored).toBe(figures["big-source"].pages);
    expect(figures.scale).toHaveLength(2);
    for (const size of figures.scale) {
      expect(size.pull.pagesPerSecond).toBeGreaterThan(0);
      expect(size.raw.pagesPerSecond).toBeGreaterThan(0);
      expect(size.pull.peakRss).toBeGreaterThan(0);
      expect(size.plan.changes).toBeGreaterThan(0);
    }
  }, 120_000);
});
