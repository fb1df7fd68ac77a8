import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import type { RetryEvent } from "../../src/notion/request-events.ts";
import { WorkLog } from "../../src/cli/work-log.ts";

// The renderer of waits and progress lines, on a fake clock: what someone watching stderr sees.

let lines: string[];
let log: WorkLog;

beforeEach(() => {
  vi.useFakeTimers({ now: new Date(2026, 0, 5, 22, 12, 35) });
  lines = [];
  log = new WorkLog({
    output: (line) => lines.push(line),
    pending: () => "41 pages pending",
  });
});
afterEach(() => {
  log.stop();
  vi.useRealTimers();
});

function retry(overrides: Partial<RetryEvent> = {}): RetryEvent {
  return {
    type: "retry",
    cause: "transient",
    reason: "503 service_unavailable",
    attempt: 1,
    maxAttempts: 8,
    delayMs: 250,
    retryAfterMs: undefined,
    request: { method: "GET", path: "/v1/pages/p1" },
    at: Date.now(),
    ...overrides,
  };
}

const rateLimited = (overrides: Partial<RetryEvent> = {}) =>
  retry({
    cause: "refused",
    reason: "429 rate_limited",
    delayMs: 90_000,
    retryAfterMs: 90_000,
    request: { method: "PATCH", path: "/v1/pages/p1" },
    ...overrides,
  });

describe("the work log", () => {
  it("shows a long Retry-After at once with its reason, what is pending and when work resumes", () => {
    log.onRequestEvent(rateLimited());
    expect(lines).toEqual([
      "Notion asked to wait 90 s (429 rate_limited on PATCH /v1/pages/p1) — 41 pages pending; resuming at 22:14:05\n",
    ]);
  });

  it("shows one line when several requests hit the same 429, and a new one when a later wait extends it", () => {
    log.onRequestEvent(rateLimited());
    vi.advanceTimersByTime(200);
    log.onRequestEvent(rateLimited({ request: { method: "GET", path: "/v1/pages/p2" } }));
    expect(lines).toHaveLength(1);
    vi.advanceTimersByTime(9_000);
    log.onRequestEvent(rateLimited({ delayMs: 120_000, retryAfterMs: 120_000 }));
    expect(lines).toHaveLength(2);
    expect(lines[1]).toMatch(/wait 120 s .* resuming at 22:14:44/);
  });

  it("shows a long backoff Notion did not ask for as a failure with its attempt", () => {
    log.onRequestEvent(retry({ reason: "fetch failed: ECONNREFUSED", attempt: 6, delayMs: 6_400 }));
    expect(lines).toEqual([
      "GET /v1/pages/p1 failed (fetch failed: ECONNREFUSED) on attempt 6 of 8; waiting 6.4 s before retrying — 41 pages pending; resuming at 22:12:41\n",
    ]);
  });

  it("folds short retries closer than a second into the next line, naming every attempt", () => {
    log.onRequestEvent(retry({ attempt: 1 }));
    vi.advanceTimersByTime(300);
    log.onRequestEvent(retry({ attempt: 2 }));
    vi.advanceTimersByTime(300);
    log.onRequestEvent(retry({ attempt: 3, request: { method: "GET", path: "/v1/pages/p2" } }));
    expect(lines).toHaveLength(1);
    vi.advanceTimersByTime(400);
    expect(lines).toEqual([
      "GET /v1/pages/p1 failed (503 service_unavailable) on attempt 1 of 8; retrying in 0.3 s\n",
      "2 retries: 2 requests (e.g. GET /v1/pages/p1) failed (503 service_unavailable) on attempts 2, 3 of 8; retrying\n",
    ]);
  });

  it("shows a short refusal as nothing applied and sent again, spending no attempt", () => {
    const refusal = (attempt: number, path: string) =>
      rateLimited({
        reason: "429 rate_limited, public_api_request_rate_limit",
        attempt,
        maxAttempts: undefined,
        delayMs: 2_000,
        retryAfterMs: 2_000,
        request: { method: "POST", path },
      });
    log.onRequestEvent(refusal(1, "/v1/data_sources/d1/query"));
    log.onRequestEvent(refusal(1, "/v1/data_sources/d2/query"));
    log.onRequestEvent(refusal(2, "/v1/data_sources/d1/query"));
    vi.advanceTimersByTime(1_000);
    expect(lines).toEqual([
      "POST /v1/data_sources/d1/query refused (429 rate_limited, public_api_request_rate_limit), nothing applied; sending it again in 2 s, as Notion asked\n",
      "2 refusals: 2 requests (e.g. POST /v1/data_sources/d2/query) refused (429 rate_limited, public_api_request_rate_limit), nothing applied; each sent again after the wait\n",
    ]);
    expect(lines.join("")).not.toMatch(/attempt|failed/);
  });

  it("keeps the retries of different reasons apart", () => {
    log.onRequestEvent(retry());
    log.onRequestEvent(retry({ reason: "timeout" }));
    expect(lines).toHaveLength(2);
    expect(lines[1]).toMatch(/failed \(timeout\)/);
  });

  it("shows retries still folded when the work stops", () => {
    log.onRequestEvent(retry({ attempt: 1 }));
    log.onRequestEvent(retry({ attempt: 2 }));
    log.stop();
    expect(lines).toHaveLength(2);
    expect(lines[1]).toMatch(/on attempt 2 of 8/);
  });

  it("prints no progress line for work shorter than a few seconds, then at most one every few seconds", () => {
    log.progress("push: 0/41 pages done");
    vi.advanceTimersByTime(4_000);
    log.progress("push: 3/41 pages done");
    expect(lines).toEqual([]);
    vi.advanceTimersByTime(1_000);
    expect(lines).toEqual(["push: 3/41 pages done (5 s)\n"]);
    for (let page = 4; page < 20; page += 1) {
      vi.advanceTimersByTime(250);
      log.progress(`push: ${page}/41 pages done`);
    }
    expect(lines).toHaveLength(1);
    vi.advanceTimersByTime(1_000);
    expect(lines).toEqual(["push: 3/41 pages done (5 s)\n", "push: 19/41 pages done (10 s)\n"]);
  });

  it("says when nothing moved for half a minute, unless a wait it showed explains it", () => {
    log.progress("sync pull: 100 pages read");
    vi.advanceTimersByTime(5_000);
    expect(lines).toHaveLength(1);
    log.onRequestEvent(rateLimited({ delayMs: 40_000, retryAfterMs: 40_000 }));
    vi.advanceTimersByTime(44_000);
    // The wait, then its countdown, and no stall line while it runs or just after.
    expect(lines.filter((line) => !line.startsWith("still waiting"))).toHaveLength(2);
    vi.advanceTimersByTime(1_000);
    expect(lines.at(-1)).toBe("sync pull: 100 pages read (50 s; no progress for 50 s)\n");
  });

  it("counts a long wait down on a line of its own every 10 s, and stops when it ends", () => {
    log.onRequestEvent(
      rateLimited({ reason: "429 rate_limited, public_api_space_request_rate_limit" }),
    );
    vi.advanceTimersByTime(95_000);
    expect(lines).toEqual([
      "Notion asked to wait 90 s (429 rate_limited, public_api_space_request_rate_limit on PATCH /v1/pages/p1) — 41 pages pending; resuming at 22:14:05\n",
      ...[80, 70, 60, 50, 40, 30, 20, 10].map(
        (left) =>
          `still waiting: ${left} s left (429 rate_limited, public_api_space_request_rate_limit); resuming at 22:14:05\n`,
      ),
    ]);
  });

  it("counts down only waits Notion asked for, not a backoff after failures", () => {
    log.onRequestEvent(
      retry({ reason: "fetch failed: ECONNREFUSED", attempt: 7, delayMs: 25_000 }),
    );
    vi.advanceTimersByTime(30_000);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/on attempt 7 of 8; waiting 25 s before retrying/);
  });

  it("shows a wait for the window's budget with the budget and window Notion gave", () => {
    log.onRequestEvent({
      type: "hold",
      delayMs: 41_000,
      budget: 180,
      windowMs: 60_000,
      at: Date.now(),
    });
    expect(lines).toEqual([
      "Notion's budget of 180 requests per 60 s window is spent; waiting 41 s for it to reset — 41 pages pending; resuming at 22:13:16\n",
    ]);
    expect(log.notice()).toBe("waiting 41 s (window budget spent), until 22:13:16");
    vi.advanceTimersByTime(10_000);
    expect(lines[1]).toBe("still waiting: 31 s left (window budget spent); resuming at 22:13:16\n");
  });

  it("counts a wait down for a progress bar, then clears it", () => {
    log.onRequestEvent(rateLimited({ delayMs: 5_000, retryAfterMs: 5_000 }));
    expect(log.notice()).toBe("waiting 5 s (429 rate_limited), until 22:12:40");
    vi.advanceTimersByTime(3_200);
    expect(log.notice()).toBe("waiting 2 s (429 rate_limited), until 22:12:40");
    vi.advanceTimersByTime(2_000);
    expect(log.notice()).toBe("retrying after 429 rate_limited");
    vi.advanceTimersByTime(1_000);
    expect(log.notice()).toBeUndefined();
  });
});
