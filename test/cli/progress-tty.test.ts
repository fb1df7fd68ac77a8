import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { applyProgressDisplay } from "../../src/cli/apply-progress.ts";
import { pullProgressDisplay } from "../../src/cli/progress.ts";
import type { RetryEvent } from "../../src/notion/request-events.ts";

// On a terminal the bars redraw their lines in place: a wait must show without a line being
// written into (and then over) a bar.

let written: string[];
const saved = {
  write: process.stderr.write,
  isTTY: process.stderr.isTTY,
  columns: process.stderr.columns,
  ci: process.env.CI,
};

beforeEach(() => {
  written = [];
  delete process.env.CI;
  Object.defineProperty(process.stderr, "isTTY", { value: true, configurable: true });
  Object.defineProperty(process.stderr, "columns", { value: 200, configurable: true });
  process.stderr.write = ((chunk: string | Uint8Array) => {
    written.push(String(chunk));
    return true;
  }) as typeof process.stderr.write;
});
afterEach(() => {
  process.stderr.write = saved.write;
  Object.defineProperty(process.stderr, "isTTY", { value: saved.isTTY, configurable: true });
  Object.defineProperty(process.stderr, "columns", { value: saved.columns, configurable: true });
  if (saved.ci === undefined) delete process.env.CI;
  else process.env.CI = saved.ci;
});

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

const wait429 = (): RetryEvent => ({
  type: "retry",
  cause: "refused",
  reason: "429 rate_limited",
  attempt: 1,
  maxAttempts: undefined,
  delayMs: 5_000,
  retryAfterMs: 5_000,
  request: { method: "PATCH", path: "/v1/pages/p1" },
  at: Date.now(),
});

const progress = (pagesDone: number) => ({
  pagesDone,
  pagesTotal: 5,
  pagesWritten: pagesDone,
  applied: pagesDone,
  protected: 0,
  failed: 0,
});

describe("waits on a terminal", () => {
  it("a push bar shows the wait at its end, counting down, and no line is written into it", async () => {
    const display = applyProgressDisplay("push r1", { pagesTotal: 5 });
    try {
      // Before the bar is drawn, a wait is a line of its own.
      display.onRequestEvent(wait429());
      expect(written.join("")).toMatch(/^Notion asked to wait 5 s .* 5 pages pending; /);
      const before = written.length;
      display.onProgress(progress(1));
      display.onRequestEvent(wait429());
      await sleep(1_300);
      const drawn = written.slice(before).join("");
      expect(drawn).not.toContain("Notion asked");
      expect(drawn).toMatch(
        /push r1 \| .* \| 1\/5 pages \| 1 applied, 0 protected, 0 failed \| .* \| waiting 5 s \(429 rate_limited\), until \d\d:\d\d:\d\d/,
      );
      expect(drawn).toMatch(/waiting 4 s \(429 rate_limited\)/);
    } finally {
      display.stop();
    }
  });

  it("pull bars print a wait above themselves, whole, instead of inside a bar", async () => {
    const display = pullProgressDisplay({ dataSources: 2 });
    try {
      display.onProgress({ alias: "wt_projects", pages: 100, expected: 300, done: false });
      await sleep(150);
      const before = written.length;
      display.onRequestEvent(wait429());
      expect(written.length).toBe(before); // held until the bars redraw
      await sleep(300);
      const drawn = written.slice(before).join("");
      expect(drawn).toMatch(
        /Notion asked to wait 5 s \(429 rate_limited on PATCH \/v1\/pages\/p1\) — 2 of 2 data sources still to pull \(100 pages read so far\); resuming at \d\d:\d\d:\d\d\n/,
      );
      // ...and the bar is drawn again after it, on its own line.
      expect(drawn.slice(drawn.indexOf("resuming at"))).toMatch(/\n.*wt_projects\s+\|/);
    } finally {
      display.stop();
    }
  });
});
