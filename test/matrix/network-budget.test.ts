import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { windowUse } from "../../bench/window-use.ts";
import { pushRun, selectPushRun } from "../../src/apply/push.ts";
import { locateRevertTarget, revertRun } from "../../src/apply/revert.ts";
import type { RequestLogEntry } from "../../src/emulator/index.ts";
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
 * The budget found is spent, and politely. How much of it (the goal is 90% or more) is the
 * benchmark's figure (`npm run bench`, the budget rows): on a busy machine the client's own work
 * may leave a window short. Here only that it goes well past a fixed pace of 3/s (30%).
 *
 * "At most one 429 per window after the first" is proven exactly on a manual clock against a
 * simulated Notion (test/notion/window-budget.test.ts, jitter included). Here, over HTTP on the
 * wall clock with 2-second windows, a loaded machine that stalls this process for a second (it
 * runs the emulator too) moves requests across a reset, and a window or two can draw more. What
 * this end-to-end run must show is that the budget was learned: a client that never learned it
 * draws about one 429 per request in flight in every window (8 to 16 here), this one at most one
 * in most windows.
 */
function expectWindowsSpent(entries: Parameters<typeof windowUse>[0]) {
  const use = windowUse(entries, BUDGET);
  const shown = JSON.stringify(use.perWindow);
  expect(use.fullWindows, shown).toBeGreaterThanOrEqual(3);
  expect(use.share, shown).toBeGreaterThanOrEqual(0.6);
  const later = use.perWindow.slice(1);
  const polite = later.filter((window) => window.refused <= 1);
  expect(polite.length, shown).toBeGreaterThanOrEqual(Math.ceil(later.length / 2));
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

  it("learns the budget and spends its windows, most after the first with a 429 at most, and tells each hold truly", async () => {
    const project = createProject(session, seed);
    try {
      session.emulator.setRateLimit(WINDOW);
      session.emulator.log.clear();
      const events: RequestEvent[] = [];
      const api = project.api({ rateLimit: undefined, onEvent: (event) => events.push(event) });
      const { summary } = await project.pull({ api });
      expect(summary.dataSources.reduce((sum, source) => sum + source.livePages, 0)).toBe(2_500);
      const use = expectWindowsSpent(session.emulator.log.all());
      // The first window's 429s are the requests in flight when its budget ran out, no more.
      expect(use.first429).toBeLessThanOrEqual(api.concurrency);
      // A hold names what Notion's answers showed, and lasts no longer than the window it waits
      // out (give or take the second a reset is known to); waits for answers in flight are no
      // hold. (That the holds name both once learned: test/notion/window-budget.test.ts.)
      const holds = events.filter((event) => event.type === "hold");
      for (const hold of holds) {
        expect(hold.delayMs).toBeLessThanOrEqual(2 * WINDOW_MS);
        if (hold.budget !== undefined) expect(hold.budget).toBe(BUDGET);
        if (hold.windowMs !== undefined) expect(hold.windowMs).toBe(WINDOW_MS);
      }
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
   * Every write that landed went right behind its own page's latest read, even when it was
   * refused before (the page is read again after the wait, and that read reserves it): in the
   * same window of the budget as that read, which a write that waited for the budget could never
   * be (it would wait for the next window), and a typical write one round trip after it. A time
   * bound on every write would also measure the machine: on a loaded one a snapshot's fsync or a
   * process left unscheduled holds a few writes for half a second, with nothing wrong in the
   * client. The median is held to a round trip plus a generous 400 ms of local work; a write that
   * waited for the next window would also wait about a second here (reads come early in a window).
   */
  function expectWritesBehindTheirReads(
    entries: ReturnType<typeof world.session.emulator.log.all>,
  ) {
    const writes = writesAfterReads(entries);
    expect(writes).toHaveLength(FILLS);
    expect(writes.filter((write) => write.window !== write.readWindow)).toEqual([]);
    const sorted = writes.map((write) => write.ms).sort((a, b) => a - b);
    expect(sorted[Math.floor(sorted.length / 2)]).toBeLessThanOrEqual(LATENCY_MS + 400);
  }

  it("push learns the budget and spends its windows, most after the first with a 429 at most, each page written once", async () => {
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
      expectWindowsSpent(entries);
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
      expectWindowsSpent(entries);
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

/**
 * Every page write Notion accepted, with the budget window it fell in, the window of its page's
 * latest read before it, and the time between the two (as the emulator saw them arrive).
 */
function writesAfterReads(entries: readonly RequestLogEntry[]) {
  const lastRead = new Map<string, RequestLogEntry>();
  const writes: Array<{ path: string; window?: number; readWindow?: number; ms: number }> = [];
  for (const entry of [...entries].sort((a, b) => a.seq - b.seq)) {
    const path = entry.path.split("?")[0] ?? "";
    if (!/^\/v1\/pages\/[^/]+$/.test(path)) continue;
    if (entry.method === "GET") lastRead.set(path, entry);
    const read = lastRead.get(path);
    if (entry.method !== "PATCH" || entry.status !== 200 || !read) continue;
    writes.push({
      path,
      window: entry.rateLimitWindow,
      readWindow: read.rateLimitWindow,
      ms: entry.at - read.at,
    });
  }
  return writes;
}
