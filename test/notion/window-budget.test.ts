import { describe, expect, it } from "vitest";
import type { BudgetHold } from "../../src/notion/rate-gate.ts";
import { RateGate } from "../../src/notion/rate-gate.ts";
import type { Arrival } from "./support/simulated-notion.ts";
import {
  fixedWindow,
  manualTime,
  perWindow,
  refusing,
  simulate,
  simulatePages,
  tokenBucket,
} from "./support/simulated-notion.ts";

// The rate gate against a simulated Notion on a manual clock: a fixed budget per window as
// Notion's request-limits page describes it (Retry-After = whole seconds to the reset), the older
// token bucket, and 429s that are no budget at all. Minutes of traffic run in milliseconds.

const HOUR = 3_600_000;

function gate(time: ReturnType<typeof manualTime>, ceiling?: number) {
  return new RateGate({ now: time.now, sleep: time.sleep, ...(ceiling ? { ceiling } : {}) });
}

/** Checks the goals over every window but the last (the work ran out there). */
function expectBudgetSpent(arrivals: readonly Arrival[], budget: number, learningWindows = 1) {
  const windows = [...perWindow(arrivals)].sort(([a], [b]) => a - b);
  const full = windows.slice(0, -1);
  expect(full.length).toBeGreaterThanOrEqual(5);
  // No window is skipped: each one the run spans takes requests.
  expect(full.map(([index]) => index)).toEqual(full.map((_, i) => i));
  for (const [index, counts] of full) {
    expect(counts.accepted, `window ${index} accepted`).toBeGreaterThanOrEqual(0.9 * budget);
    if (index >= learningWindows)
      expect(counts.refused, `window ${index} 429s`).toBeLessThanOrEqual(1);
  }
  const used = full.reduce((sum, [, counts]) => sum + counts.accepted, 0);
  expect(used / (budget * full.length)).toBeGreaterThanOrEqual(0.9);
}

describe("the rate gate spends the window budget Notion gives", () => {
  it("spends 20 requests per 2 s window with at most one 429 per window after the first", async () => {
    const time = manualTime();
    const limit = fixedWindow(20, 2_000);
    const run = await simulate({
      time,
      gate: gate(time),
      limit,
      total: 400,
      workers: 8,
      roundTripMs: 10,
      untilMs: HOUR,
    });
    expectBudgetSpent(run.arrivals, 20);
    // The first window's storm is at most one refusal per request in flight.
    expect(perWindow(run.arrivals).get(0)?.refused).toBeLessThanOrEqual(8);
    // 400 requests at 20 per 2 s: 20 windows, the last one begun.
    expect(run.finishedAt).toBeLessThan(20 * 2_000);
  });

  it("keeps latency from binding a budget of 30/s at 250 ms a request (16 in flight)", async () => {
    const time = manualTime();
    const run = await simulate({
      time,
      gate: gate(time),
      limit: fixedWindow(180, 6_000),
      total: 1_800,
      workers: 16,
      roundTripMs: 250,
      untilMs: HOUR,
    });
    expectBudgetSpent(run.arrivals, 180);
    expect(run.finishedAt).toBeLessThan(10 * 6_000);
  });

  it("learns Notion's 180 requests per 60 s, then waits each reset out without a 429", async () => {
    const time = manualTime();
    const paced = gate(time);
    const run = await simulate({
      time,
      gate: paced,
      limit: fixedWindow(180, 60_000),
      total: 1_800,
      workers: 16,
      roundTripMs: 250,
      untilMs: HOUR,
    });
    expectBudgetSpent(run.arrivals, 180);
    expect(paced.learned()).toEqual({ budget: 180, windowMs: 60_000 });
    // Learning takes the first windows (the storm, the probes that confirm it and tell the
    // resets, the first aims); from the fifth on, every window is spent and then waited out.
    const later = [...perWindow(run.arrivals)].filter(([index]) => index >= 4);
    expect(later.reduce((sum, [, counts]) => sum + counts.refused, 0)).toBe(0);
  });

  it("counts requests that reach Notion after a reset in the window they land in, not in the one they left in", async () => {
    // 24 requests in flight at 1.5 s a round trip against 60 per 6 s: when the first window runs
    // out, a burst is on its way that Notion takes after the reset, in the next window. Counted in
    // the first, they made the budget look like 72, and every later window drew a storm of 429s.
    const time = manualTime();
    const paced = gate(time);
    const run = await simulate({
      time,
      gate: paced,
      limit: fixedWindow(60, 6_000),
      total: 600,
      workers: 24,
      roundTripMs: 1_500,
      untilMs: HOUR,
    });
    const windows = [...perWindow(run.arrivals)].sort(([a], [b]) => a - b);
    // The fault fired: the first window's refusals came while requests were still on their way.
    expect(windows[0]?.[1].refused).toBeGreaterThan(1);
    expect(windows[1]?.[1].accepted).toBe(60);
    for (const [index, counts] of windows.slice(1))
      expect(counts.refused, `window ${index} 429s`).toBeLessThanOrEqual(1);
    expect(paced.learned().budget).toBe(60);
    // 600 requests at 60 per 6 s: 60 s bound by the budget.
    expect(run.finishedAt).toBeLessThan(1.2 * 60_000);
  });

  it("sends each page's write one round trip after its read, the read having reserved it in the same window", async () => {
    const time = manualTime();
    const run = await simulatePages({
      time,
      gate: gate(time),
      limit: fixedWindow(20, 2_000),
      pages: 150,
      workers: 8,
      roundTripMs: 40,
      untilMs: HOUR,
    });
    expectBudgetSpent(run.arrivals, 20);
    // From the second window on, no write waited for a reset or a refusal.
    const late = run.gaps.slice(40);
    expect(Math.max(...late)).toBe(40);
  });

  it("settles every page whose second read comes in a spent window: a page's own reservation never holds it back", async () => {
    const time = manualTime();
    const run = await simulatePages({
      time,
      gate: gate(time),
      limit: fixedWindow(20, 2_000),
      pages: 150,
      workers: 8,
      roundTripMs: 40,
      readsPerPage: 2,
      untilMs: HOUR,
    });
    expect(run.settledPages).toBe(150);
    expect(run.arrivals.length).toBeGreaterThanOrEqual(450);
    expect(run.finishedAt).toBeLessThan(HOUR / 10);
  });

  it("keeps to one 429 per window with 16 pages in progress whose requests reach Notion up to 400 ms late", async () => {
    const time = manualTime();
    const run = await simulatePages({
      time,
      gate: gate(time),
      limit: fixedWindow(180, 6_000),
      pages: 600,
      workers: 16,
      roundTripMs: 250,
      jitterMs: 400,
      untilMs: HOUR,
    });
    // 16 pages at 250–650 ms a request barely outpace 30/s: windows end with a probe that may
    // cross the reset, and requests near a reset are counted in both windows to be safe.
    const windows = [...perWindow(run.arrivals)].sort(([a], [b]) => a - b);
    const full = windows.slice(0, -1);
    expect(full.length).toBeGreaterThanOrEqual(5);
    for (const [index, counts] of full.slice(1))
      expect(counts.refused, `window ${index} 429s`).toBeLessThanOrEqual(1);
    const used = full.reduce((sum, [, counts]) => sum + counts.accepted, 0);
    expect(used / (180 * full.length)).toBeGreaterThanOrEqual(0.9);
  });

  it("tells each hold as the wait for the window's reset, never as the wait for answers in flight", async () => {
    const time = manualTime();
    const holds: BudgetHold[] = [];
    const paced = new RateGate({
      now: time.now,
      sleep: time.sleep,
      onHold: (hold) => holds.push(hold),
    });
    // Answers up to 400 ms late: probes and scouts wait for them, which is no reset to tell.
    const run = await simulatePages({
      time,
      gate: paced,
      limit: fixedWindow(20, 2_000),
      pages: 150,
      workers: 8,
      roundTripMs: 40,
      jitterMs: 400,
      untilMs: HOUR,
    });
    expect(run.settledPages).toBe(150);
    expect(holds.length).toBeGreaterThan(0);
    // No hold outlasts the window it waits out (the old gate told the 30 s it gives answers).
    expect(Math.max(...holds.map((hold) => hold.delayMs))).toBeLessThanOrEqual(2_000);
    // What a hold names is what Notion's answers showed, and once learned it names both.
    for (const hold of holds) {
      if (hold.budget !== undefined) expect(hold.budget).toBe(20);
      if (hold.windowMs !== undefined) expect(hold.windowMs).toBe(2_000);
    }
    expect(holds).toContainEqual(expect.objectContaining({ budget: 20, windowMs: 2_000 }));
  });

  it("spends a token bucket (the older model) at 90% of its rate or more", async () => {
    const time = manualTime();
    const run = await simulate({
      time,
      gate: gate(time),
      limit: tokenBucket(10, 10),
      total: 300,
      workers: 8,
      roundTripMs: 20,
      untilMs: HOUR,
    });
    expect(300 / (run.finishedAt / 1000)).toBeGreaterThanOrEqual(9);
  });

  it("keeps nothing from 429s that were no budget: once they stop, requests go freely again", async () => {
    const time = manualTime();
    const paced = gate(time);
    const run = await simulate({
      time,
      gate: paced,
      limit: refusing(new Set([3, 4, 5, 6]), 1),
      total: 400,
      workers: 8,
      roundTripMs: 20,
      untilMs: HOUR,
    });
    expect(run.arrivals.filter((arrival) => arrival.refused)).toHaveLength(4);
    expect(paced.learned().budget).toBeUndefined();
    // Four pauses of 1 s, then 8 requests per 20 ms: about 1 s for the 400.
    expect(run.finishedAt).toBeLessThan(4 * 1_000 + 1_500);
  });

  it("never exceeds a ceiling below the budget Notion gives", async () => {
    const time = manualTime();
    const run = await simulate({
      time,
      gate: gate(time, 5),
      limit: fixedWindow(100, 2_000),
      total: 60,
      workers: 8,
      roundTripMs: 20,
      untilMs: HOUR,
    });
    expect(run.arrivals.filter((arrival) => arrival.refused)).toHaveLength(0);
    const times = run.arrivals.map((arrival) => arrival.at);
    for (const start of times) {
      const inSecond = times.filter((at) => at >= start && at < start + 1_000).length;
      expect(inSecond).toBeLessThanOrEqual(5 + 2);
    }
    expect(run.finishedAt).toBeGreaterThanOrEqual(((60 - 2) / 5) * 1_000);
  });
});
