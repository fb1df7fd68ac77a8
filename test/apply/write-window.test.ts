import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { writeWindows } from "../../bench/write-window.ts";
import { pushRun, selectPushRun } from "../../src/apply/push.ts";
import { locateRevertTarget, revertRun } from "../../src/apply/revert.ts";
import type { RequestLogEntry } from "../../src/emulator/request-log.ts";
import type { PacedWorld } from "./support/paced-world.ts";
import { pacedWorld } from "./support/paced-world.ts";

const PAGES = 24;
/** One round trip: the emulator answers every request this long after it arrived. */
const LATENCY_MS = 100;
/**
 * What a page's write may take beyond one round trip after its read arrived: the answer's
 * parsing, the checks, the snapshot's fsync and the mirror's bookkeeping, on a loaded 2-core
 * machine. Far below one slot of the pace (333 ms at 3/s), so a write that waited for any other
 * request's turn fails it.
 */
const SLACK_MS = 200;

let world: PacedWorld;
beforeAll(async () => {
  world = await pacedWorld({ fills: PAGES, latencyMs: LATENCY_MS });
}, 60_000);
afterAll(() => world?.close());

/** The log's entries from `start` on, as they arrived. */
const logFrom = (start: number): RequestLogEntry[] =>
  world.session.emulator.log
    .all()
    .slice(start)
    .sort((a, b) => a.seq - b.seq);

function expectOneRoundTripPerPage(entries: readonly RequestLogEntry[]) {
  const patches = entries.filter((entry) => entry.method === "PATCH");
  expect(patches).toHaveLength(PAGES);
  const windows = writeWindows(entries);
  expect(windows).toHaveLength(PAGES);
  // Every PATCH followed a GET of its own page, by one round trip + slack at most.
  for (const window of windows) {
    expect(window).toBeGreaterThanOrEqual(LATENCY_MS);
    expect(window).toBeLessThanOrEqual(LATENCY_MS + SLACK_MS);
  }
  // And the rate limit held: the reserved write slots counted against it.
  expect(entries.filter((entry) => entry.status === 429)).toEqual([]);
}

describe("the overwrite window at Notion's pace (3/s, 100 ms round trip)", () => {
  it("push writes every page one round trip after its own live read, not after other pages' reads", async () => {
    const start = world.session.emulator.log.all().length;
    const api = world.project.api({ rateLimit: world.project.config.rateLimit });
    const mirror = world.project.openMirror();
    try {
      const result = await pushRun(
        world.project.config,
        mirror,
        api,
        selectPushRun(mirror, world.runId),
      );
      expect(result.summary.applied).toBe(PAGES);
    } finally {
      mirror.close();
    }
    const entries = logFrom(start);
    expectOneRoundTripPerPage(entries);
    // Two requests a page (live read, write), plus the token and schema checks.
    expect(api.stats.requests).toBe(2 * PAGES + 2);
  }, 120_000);

  it("revert restores every page one round trip after its own live read, too", async () => {
    const start = world.session.emulator.log.all().length;
    const api = world.project.api({ rateLimit: world.project.config.rateLimit });
    const mirror = world.project.openMirror();
    try {
      const target = locateRevertTarget(world.project.config.snapshotsDir, mirror, {
        runId: world.runId,
      });
      const result = await revertRun(target, mirror, api, world.project.config.snapshotsDir);
      expect(result.summary.applied).toBe(PAGES);
    } finally {
      mirror.close();
    }
    expectOneRoundTripPerPage(logFrom(start));
    expect(api.stats.requests).toBe(2 * PAGES + 1);
  }, 120_000);
});
