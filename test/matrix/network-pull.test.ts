import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import type { FaultRule } from "../../src/emulator/index.ts";
import type { NotionApiOptions } from "../../src/notion/notion-api.ts";
import type { EmulatorSession } from "../support/emulator.ts";
import { openEmulator } from "../support/emulator.ts";
import { projectViolations } from "../support/invariants.ts";
import type { TestProject } from "../support/project.ts";
import { createProject } from "../support/project.ts";
import { earlyRetries, requestsDuringPause, requestsDuringWait } from "./support/log-checks.ts";
import { mirrorContent } from "./support/matrix-world.ts";

let session: EmulatorSession;
let reference: string;
const projects: TestProject[] = [];

function newProject(): TestProject {
  const project = createProject(session);
  projects.push(project);
  return project;
}

/**
 * A first pull of a fresh project with `rules` armed. Returns the pull's request stats, how often
 * the rules acted, and the invariant checker's verdict.
 */
async function pullThrough(rules: FaultRule[], api: NotionApiOptions = {}) {
  session.emulator.log.clear();
  for (const rule of rules) session.emulator.faults.add(rule);
  const project = newProject();
  const { summary, api: used } = await project.pull({ api: project.api(api) });
  const acted = session.emulator.faults.list().reduce((sum, rule) => sum + rule.acted, 0);
  const violations = projectViolations(session, project);
  return { project, summary, stats: used.stats, acted, violations };
}

beforeAll(async () => {
  session = await openEmulator();
  const project = newProject();
  await project.pull();
  reference = mirrorContent(project);
});
afterEach(() => session.emulator.faults.clear());
afterAll(async () => {
  for (const project of projects) project.remove();
  await session.stop();
});

const QUERY = "/v1/data_sources/*/query";

describe("network faults during a pull", () => {
  it("pull waits out a 429 storm as Retry-After says, never retrying sooner, and completes", async () => {
    const run = await pullThrough([
      { path: "/v1/**", from: 3, times: 4, action: { type: "status", status: 429, retryAfter: 1 } },
    ]);
    expect(run.acted).toBe(4);
    expect(run.stats.rateLimited).toBe(4);
    expect(earlyRetries(session.emulator.log.all(), 1000)).toEqual([]);
    expect(mirrorContent(run.project)).toBe(reference);
    expect(run.violations).toEqual([]);
  });

  it("pull sends no request at all while a 429's Retry-After runs (one request at a time)", async () => {
    const run = await pullThrough(
      [{ path: QUERY, nth: 2, action: { type: "status", status: 429, retryAfter: 1 } }],
      { concurrency: 1 },
    );
    expect(run.acted).toBe(1);
    expect(requestsDuringPause(session.emulator.log.all(), 1000)).toEqual([]);
    expect(mirrorContent(run.project)).toBe(reference);
    expect(run.violations).toEqual([]);
  });

  it("pull backs off on 429s without Retry-After and completes", async () => {
    const run = await pullThrough([
      { path: QUERY, times: 5, action: { type: "status", status: 429 } },
    ]);
    expect(run.acted).toBe(5);
    expect(run.stats.rateLimited).toBe(5);
    expect(mirrorContent(run.project)).toBe(reference);
    expect(run.violations).toEqual([]);
  });

  it("pull retries through bursts of 500, 502, 503 and 504 and completes", async () => {
    const run = await pullThrough(
      [500, 502, 503, 504].map((status, index) => ({
        path: index % 2 === 0 ? QUERY : "/v1/data_sources/*",
        from: 1 + index,
        times: 3,
        action: { type: "status" as const, status },
      })),
    );
    const answered = session.emulator.log.all().map((entry) => entry.status);
    for (const status of [500, 502, 503, 504])
      expect(answered.filter((seen) => seen === status).length, `${status}s`).toBeGreaterThan(0);
    expect(run.stats.transientFailures).toBe(answered.filter((seen) => seen >= 500).length);
    expect(mirrorContent(run.project)).toBe(reference);
    expect(run.violations).toEqual([]);
  });

  /**
   * A pull whose second schema read is answered `status` with a Retry-After of 3 s, at 600 ms a
   * request, so that the other data sources' walks have their next requests to send inside the
   * wait; and the requests that arrived while it ran (those within 300 ms of the answer had left
   * before the client could read it).
   */
  async function pullHeldBy(status: number) {
    session.emulator.setLatency(600);
    try {
      const run = await pullThrough([
        {
          path: "/v1/data_sources/*",
          nth: 2,
          action: { type: "status", status, retryAfter: 3 },
        },
      ]);
      const held = requestsDuringWait(session.emulator.log.all(), { status, waitMs: 3_000 });
      return { run, held };
    } finally {
      session.emulator.setLatency(0);
    }
  }

  it("pull holds every request while a 503's Retry-After runs, not only the one it answered", async () => {
    const { run, held } = await pullHeldBy(503);
    expect(run.acted).toBe(1);
    expect(held).toEqual([]);
    expect(mirrorContent(run.project)).toBe(reference);
    expect(run.violations).toEqual([]);
  }, 30_000);

  it("pull waits out a 529 service_overload as it does a 429, every request held, and completes", async () => {
    const { run, held } = await pullHeldBy(529);
    expect(run.acted).toBe(1);
    expect(run.stats.rateLimited).toBe(1);
    expect(run.stats.transientFailures).toBe(0);
    expect(held).toEqual([]);
    expect(mirrorContent(run.project)).toBe(reference);
    expect(run.violations).toEqual([]);
  }, 30_000);

  it("pull retries reset connections and completes", async () => {
    const run = await pullThrough([{ path: QUERY, from: 2, times: 3, action: { type: "reset" } }]);
    expect(run.acted).toBe(3);
    expect(run.stats.transientFailures).toBe(3);
    expect(mirrorContent(run.project)).toBe(reference);
    expect(run.violations).toEqual([]);
  });

  it("pull retries truncated bodies and completes", async () => {
    const run = await pullThrough([
      { path: QUERY, from: 2, times: 2, action: { type: "truncate-body" } },
      { path: "/v1/data_sources/*", nth: 3, action: { type: "truncate-body" } },
    ]);
    expect(run.acted).toBe(3);
    expect(run.stats.transientFailures).toBe(3);
    expect(mirrorContent(run.project)).toBe(reference);
    expect(run.violations).toEqual([]);
  });

  it("pull times out a hung request, asks again and completes", async () => {
    const run = await pullThrough([{ path: QUERY, from: 2, times: 2, action: { type: "hang" } }], {
      timeoutMs: 500,
    });
    expect(run.acted).toBe(2);
    expect(run.stats.transientFailures).toBeGreaterThanOrEqual(2);
    expect(mirrorContent(run.project)).toBe(reference);
    expect(run.violations).toEqual([]);
  });

  it("pull retries a 409 conflict_error on a read and completes", async () => {
    const run = await pullThrough([
      { path: QUERY, from: 2, times: 2, action: { type: "status", status: 409 } },
    ]);
    expect(run.acted).toBe(2);
    expect(run.stats.transientFailures).toBe(2);
    expect(mirrorContent(run.project)).toBe(reference);
    expect(run.violations).toEqual([]);
  });
});
