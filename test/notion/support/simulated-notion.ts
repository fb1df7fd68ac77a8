import type { RateGate, RequestTicket } from "../../../src/notion/rate-gate.ts";

/**
 * A clock whose timers fire only when the test moves time on, in order, letting every promise
 * chain settle between two timers: a discrete-event simulation of requests and their answers.
 */
export function manualTime() {
  let now = 0;
  const timers = new Set<{ at: number; fire: () => void }>();
  const settle = () => new Promise<void>((resolve) => setImmediate(resolve));
  return {
    now: () => now,
    sleep: (ms: number, signal?: AbortSignal) =>
      new Promise<void>((resolve) => {
        const timer = { at: now + ms, fire: resolve };
        timers.add(timer);
        signal?.addEventListener(
          "abort",
          () => {
            timers.delete(timer);
            resolve();
          },
          { once: true },
        );
      }),
    /** Moves time to `to`, firing due timers in order and letting the gate act on each. */
    async advanceTo(to: number) {
      for (;;) {
        await settle();
        const due = [...timers].filter((timer) => timer.at <= to).sort((a, b) => a.at - b.at)[0];
        if (!due) break;
        timers.delete(due);
        now = Math.max(now, due.at);
        due.fire();
      }
      now = Math.max(now, to);
      await settle();
    },
  };
}

export type ManualTime = ReturnType<typeof manualTime>;

/** One request as the simulated Notion saw it. */
export interface Arrival {
  at: number;
  /** The window it fell in (0 = the first), for a window limit. */
  window: number;
  refused: boolean;
}

/**
 * Notion's per-connection limit as its request-limits page describes it: `requests` per window of
 * `windowMs`, the first window opening at the first request and the next ones following every
 * `windowMs`; past the budget a 429 with Retry-After = the whole seconds to the reset (at least 1).
 * Refused requests spend nothing.
 */
export function fixedWindow(requests: number, windowMs: number) {
  let start: number | undefined;
  const used = new Map<number, number>();
  return {
    requests,
    windowMs,
    admit(at: number): { window: number; retryAfterS?: number } {
      start ??= at;
      const window = Math.floor((at - start) / windowMs);
      const spent = used.get(window) ?? 0;
      if (spent < requests) {
        used.set(window, spent + 1);
        return { window };
      }
      const resetsAt = start + (window + 1) * windowMs;
      return { window, retryAfterS: Math.max(1, Math.ceil((resetsAt - at) / 1000)) };
    },
  };
}

/** The older model: a token bucket of `burst` tokens refilled at `perSecond`. */
export function tokenBucket(perSecond: number, burst: number) {
  let tokens = burst;
  let last: number | undefined;
  return {
    admit(at: number): { window: number; retryAfterS?: number } {
      tokens = Math.min(burst, tokens + ((at - (last ?? at)) / 1000) * perSecond);
      last = at;
      const window = Math.floor(at / 1000);
      if (tokens >= 1) {
        tokens -= 1;
        return { window };
      }
      return { window, retryAfterS: Math.max(1, Math.ceil((1 - tokens) / perSecond)) };
    },
  };
}

export interface Limit {
  admit(at: number): { window: number; retryAfterS?: number };
}

/**
 * `workers` loops each sending requests through `gate` until `total` have been accepted: a
 * request arrives half a round trip after it leaves, is answered the other half later, and a
 * refusal pauses the gate (as NotionApi does) before its ticket is settled. Returns what the
 * simulated Notion saw.
 */
export async function simulate(options: {
  time: ManualTime;
  gate: RateGate;
  limit: Limit;
  total: number;
  workers: number;
  roundTripMs: number;
  untilMs: number;
}): Promise<{ arrivals: Arrival[]; finishedAt: number }> {
  const { time, gate, limit } = options;
  const arrivals: Arrival[] = [];
  let accepted = 0;
  let finishedAt = Infinity;
  const half = options.roundTripMs / 2;
  const send = async (ticket: RequestTicket): Promise<boolean> => {
    await time.sleep(half);
    const at = time.now();
    const verdict = limit.admit(at);
    arrivals.push({ at, window: verdict.window, refused: verdict.retryAfterS !== undefined });
    await time.sleep(half);
    if (verdict.retryAfterS === undefined) {
      accepted += 1;
      if (accepted === options.total) finishedAt = time.now();
      ticket.settle({ kind: "answered" });
      return true;
    }
    const retryAfterMs = verdict.retryAfterS * 1000;
    gate.pause(retryAfterMs);
    ticket.settle({ kind: "refused", retryAfterMs, teaches: true });
    return false;
  };
  let started = 0;
  const worker = async () => {
    while (started < options.total && accepted < options.total) {
      started += 1;
      while (!(await send(await gate.acquire()))) {
        // refused: sent again once the gate lets it
      }
    }
  };
  const all = Promise.all(Array.from({ length: options.workers }, worker));
  await time.advanceTo(options.untilMs);
  await all;
  return { arrivals, finishedAt };
}

/**
 * Like {@link simulate}, but each task is a page: its read through a lane (reserving the write's
 * slot), then its write through the same lane one round trip later, as the apply engine does.
 * Returns each page's read → write gap as Notion saw the two arrive.
 */
export async function simulatePages(options: {
  time: ManualTime;
  gate: RateGate;
  limit: Limit;
  pages: number;
  workers: number;
  roundTripMs: number;
  /**
   * Up to this much more on the way in, varying from request to request (the same each run): a
   * busy server that counts a request later than it left.
   */
  jitterMs?: number;
  /**
   * Reads of each page before its write (default 1): the later ones are a page's reads in
   * progress, as a read back after a lost answer or a relation past 25 items.
   */
  readsPerPage?: number;
  untilMs: number;
}): Promise<{ arrivals: Arrival[]; gaps: number[]; finishedAt: number; settledPages: number }> {
  const { time, gate, limit } = options;
  const arrivals: Arrival[] = [];
  const gaps: number[] = [];
  const half = options.roundTripMs / 2;
  let finishedAt = 0;
  let sent = 0;
  const send = async (pacer: { acquire(): Promise<RequestTicket> }): Promise<number> => {
    for (;;) {
      const ticket = await pacer.acquire();
      sent += 1;
      // A fixed spread over [0, jitterMs): the golden ratio's fractional multiples.
      const jitter = (options.jitterMs ?? 0) * ((sent * 0.6180339887) % 1);
      await time.sleep(half + jitter);
      const at = time.now();
      const verdict = limit.admit(at);
      arrivals.push({ at, window: verdict.window, refused: verdict.retryAfterS !== undefined });
      await time.sleep(half);
      if (verdict.retryAfterS === undefined) {
        ticket.settle({ kind: "answered" });
        return at;
      }
      gate.pause(verdict.retryAfterS * 1000);
      ticket.settle({ kind: "refused", retryAfterMs: verdict.retryAfterS * 1000, teaches: true });
    }
  };
  let next = 0;
  let settledPages = 0;
  const worker = async () => {
    while (next < options.pages) {
      next += 1;
      const lane = gate.lane();
      let read = await send(lane.reads);
      for (let more = 1; more < (options.readsPerPage ?? 1); more += 1)
        read = await send(lane.reads);
      const write = await send(lane.writes);
      lane.close();
      gaps.push(write - read);
      settledPages += 1;
      finishedAt = Math.max(finishedAt, time.now());
    }
  };
  const all = Promise.all(Array.from({ length: options.workers }, worker));
  await time.advanceTo(options.untilMs);
  // Pages still unsettled when the clock ran out are stuck for good: say so rather than wait.
  if (settledPages === options.pages) await all;
  return { arrivals, gaps, finishedAt, settledPages };
}

/** Per window of the limit: requests accepted and refused. */
export function perWindow(
  arrivals: readonly Arrival[],
): Map<number, { accepted: number; refused: number }> {
  const windows = new Map<number, { accepted: number; refused: number }>();
  for (const arrival of arrivals) {
    const counts = windows.get(arrival.window) ?? { accepted: 0, refused: 0 };
    if (arrival.refused) counts.refused += 1;
    else counts.accepted += 1;
    windows.set(arrival.window, counts);
  }
  return windows;
}

/**
 * No budget at all, but the `refused` arrivals (1-based) answered 429 with Retry-After
 * `retryAfterS`, as a fault rule (or a passing limit) would: nothing the gate should keep.
 */
export function refusing(refused: ReadonlySet<number>, retryAfterS: number): Limit {
  let count = 0;
  return {
    admit(at: number) {
      count += 1;
      const window = Math.floor(at / 1000);
      return refused.has(count) ? { window, retryAfterS } : { window };
    },
  };
}
