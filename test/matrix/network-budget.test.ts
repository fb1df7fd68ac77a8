import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { windowUse } from "../../bench/window-use.ts";
import { writeWindows } from "../../bench/write-window.ts";
import { pushRun, selectPushRun } from "../../src/apply/push.ts";
import { locateRevertTarget, revertRun } from "../../src/apply/revert.ts";
import { scaleWorkspace } from "../../src/emulator/index.ts";
import type { RequestEvent } from "../../src/notion/request-events.ts";
import type { PacedWorld } from "../apply/support/paced-world.ts";
import { pacedWorld } from "../apply/support/paced-world.ts";
import type { EmulatorSession } from "../support/emulator.ts";
import { openEmulator } from "../support/emulator.ts";
import { projectViolations } from "../support/invariants.ts";
import { createProject } from "../support/project.ts";

// Notion's per-connection budget as its request-limits page describes it, scaled down: 20
// requests per fixed 2-second window (never a real minute), 429 with the whole seconds to the
// reset past it. The client is given no rate: it must find the budget from Notion's answers and
// keep every window busy, with at most one 429 per window once it has learned it.

const BUDGET = 20;
const WINDOW_MS = 2_000;
const WINDOW = { kind: "window", requests: BUDGET, windowMs: WINDOW_MS } as const;

/**
 * The budget found is spent, and politely: well past a fixed pace of 3/s (30%), and no window
 * draws more 429s than the requests in flight when its budget ran out (a refusal holds every
 * request; none is sent again at once). The goals themselves, 90% of every window with at most
 * one 429 per window after the first, are the benchmark's figures (`npm run bench`, the budget
 * rows) and the simulated Notion's (test/notion/window-budget.test.ts): through real HTTP on a
 * busy machine, answers late by a second or more can make a reset predicted from them wrong.
 */
function expectWindowsSpent(entries: Parameters<typeof windowUse>[0], inFlight: number) {
  const use = windowUse(entries, BUDGET);
  expect(use.fullWindows, JSON.stringify(use.perWindow)).toBeGreaterThanOrEqual(3);
  expect(use.share, JSON.stringify(use.perWindow)).toBeGreaterThanOrEqual(0.6);
  expect(use.most429AfterFirst, JSON.stringify(use.perWindow)).toBeLessThanOrEqual(inFlight);
  return use;
}

describe("a pull under a window budget it is not told", () => {
  let session: EmulatorSession;
  // 50 data sources of 50 pages: 100 requests, five windows' worth.
  const seed = scaleWorkspace({ pages: 2_500, dataSources: 50, seed: 7 });
  beforeAll(async () => {
    session = await openEmulator({ seed, latencyMs: 20 });
  });
  afterAll(() => session.stop());

  it("spends the windows without a storm of 429s, and tells each hold truly", async () => {
    const project = createProject(session, seed);
    try {
      session.emulator.setRateLimit(WINDOW);
      session.emulator.log.clear();
      const events: RequestEvent[] = [];
      const api = project.api({ rateLimit: undefined, onEvent: (event) => events.push(event) });
      const { summary } = await project.pull({ api });
      expect(summary.dataSources.reduce((sum, source) => sum + source.livePages, 0)).toBe(2_500);
      const use = expectWindowsSpent(session.emulator.log.all(), api.concurrency);
      // The first window's 429s are the requests in flight when its budget ran out, no more.
      expect(use.first429).toBeLessThanOrEqual(api.concurrency);
      // A hold lasts no longer than the window it waits out (give or take the second a reset is
      // known to); waits for answers in flight are no hold. (That holds name the budget and the
      // window's length Notion's answers showed, on a simulated clock with answers up to 400 ms
      // late: test/notion/window-budget.test.ts. Here, on a busy machine, answers a second late
      // have had a 2 s window taken for 1 s until a reset contradicted it.)
      const holds = events.filter((event) => event.type === "hold");
      for (const hold of holds) expect(hold.delayMs).toBeLessThanOrEqual(2 * WINDOW_MS);
      expect(projectViolations(session, project)).toEqual([]);
    } finally {
      session.emulator.setRateLimit(false);
      project.remove();
    }
  }, 60_000);

  it("never goes above a ceiling, even when the window would take more", async () => {
    // 20 of the data sources: 40 requests, five seconds at the ceiling's pace.
    const project = createProject(session, {
      ...seed,
      data_sources: seed.data_sources.slice(0, 20),
    });
    try {
      session.emulator.setRateLimit({ kind: "window", requests: 100, windowMs: WINDOW_MS });
      session.emulator.log.clear();
      await project.pull({ api: project.api({ rateLimit: 8 }) });
      const arrivals = session.emulator.log.all().map((entry) => entry.at);
      expect(session.emulator.log.all().filter((entry) => entry.status === 429)).toEqual([]);
      // The gate spaces requests 1/8 s apart (a read and its write may go together: + 2). The
      // emulator stamps a request when this process gets to it: one stalled by a loaded machine
      // stamps a few of one second late into the next, hence 3 more in a second. Over the whole
      // pull, stalls only slow it down: the pace is the ceiling's.
      for (const start of arrivals) {
        const inSecond = arrivals.filter((at) => at >= start && at < start + 1_000).length;
        expect(inSecond).toBeLessThanOrEqual(8 + 2 + 3);
      }
      const spanMs = Math.max(...arrivals) - Math.min(...arrivals);
      expect(arrivals.length).toBeLessThanOrEqual((8 * spanMs) / 1000 + 2);
    } finally {
      session.emulator.setRateLimit(false);
      project.remove();
    }
  }, 60_000);
});

/**
 * No ceiling; 8 pages at a time, which spend 20 requests per 2 s many times over, and keep the
 * queue of snapshot fsyncs between a page's read and its write short on a loaded machine.
 */
const WRITER = { rateLimit: undefined, concurrency: 8 };

describe("a push and its revert under a window budget they are not told", () => {
  const FILLS = 45;
  const LATENCY_MS = 30;
  let world: PacedWorld;
  beforeAll(async () => {
    world = await pacedWorld({ fills: FILLS, latencyMs: LATENCY_MS, rate: 1000 });
  }, 60_000);
  afterAll(() => world?.close());

  const violations = () => projectViolations(world.session, world.project);

  /** Runs `work` under the window budget from a fresh window; returns the log of the run. */
  async function underBudget(work: () => Promise<void>) {
    world.session.emulator.setRateLimit(WINDOW);
    world.session.emulator.log.clear();
    try {
      await work();
    } finally {
      world.session.emulator.setRateLimit(false);
    }
    return [...world.session.emulator.log.all()];
  }

  /**
   * Every write that landed went one round trip after its own page's latest read, even when it
   * was refused before (the page is read again after the wait, and that read reserves it): never
   * a window's reset later, queued behind other pages' reads. (What a busy machine adds to the
   * round trip, a snapshot's fsync among it, is allowed for; the 300 ms p99 goal is the bench's.)
   */
  function expectWritesBehindTheirReads(
    entries: ReturnType<typeof world.session.emulator.log.all>,
  ) {
    const landed = entries.filter(
      (entry) => entry.method === "GET" || (entry.method === "PATCH" && entry.status === 200),
    );
    const windows = writeWindows(landed);
    expect(windows).toHaveLength(FILLS);
    expect(Math.max(...windows)).toBeLessThanOrEqual(LATENCY_MS + WINDOW_MS / 2);
  }

  it("push spends the windows without a storm of 429s, each page written once", async () => {
    const mirror = world.project.openMirror();
    try {
      const entries = await underBudget(async () => {
        const result = await pushRun(
          world.project.config,
          mirror,
          world.project.api(WRITER),
          selectPushRun(mirror, world.runId),
        );
        expect(result.summary.applied).toBe(FILLS);
      });
      // Each page in progress has at most its read and its write on the way.
      expectWindowsSpent(entries, 2 * WRITER.concurrency);
      expectWritesBehindTheirReads(entries);
      expect(violations()).toEqual([]);
      const written = entries.filter((entry) => entry.method === "PATCH" && entry.applied);
      expect(new Set(written.map((entry) => entry.path)).size).toBe(FILLS);
      expect(written).toHaveLength(FILLS);
    } finally {
      mirror.close();
    }
  }, 60_000);

  it("revert does the same, and every value is restored once", async () => {
    const mirror = world.project.openMirror();
    try {
      const entries = await underBudget(async () => {
        const target = locateRevertTarget(world.project.config.snapshotsDir, mirror, {
          runId: world.runId,
        });
        const result = await revertRun(
          target,
          mirror,
          world.project.api(WRITER),
          world.project.config.snapshotsDir,
        );
        expect(result.summary.applied).toBe(FILLS);
      });
      // Each page in progress has at most its read and its write on the way.
      expectWindowsSpent(entries, 2 * WRITER.concurrency);
      expectWritesBehindTheirReads(entries);
      expect(violations()).toEqual([]);
      expect(entries.filter((entry) => entry.method === "PATCH" && entry.applied)).toHaveLength(
        FILLS,
      );
    } finally {
      mirror.close();
    }
  }, 60_000);
});
