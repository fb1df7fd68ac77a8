import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { FaultRule } from "../../src/emulator/index.ts";
import type { NotionApiOptions } from "../../src/notion/notion-api.ts";
import { earlyRetries, faultAnswers } from "./support/log-checks.ts";
import { serverErrorBursts } from "./support/server-error-bursts.ts";
import type { MatrixWorld } from "./support/matrix-world.ts";
import { botWrites, liveProperty, optionName, plannedWorld } from "./support/matrix-world.ts";

let world: MatrixWorld;

beforeAll(async () => {
  world = await plannedWorld();
});
beforeEach(async () => {
  world.reset();
  const pushed = await world.push();
  expect(pushed.status).toBe("applied");
  world.session.emulator.log.clear();
});
afterAll(() => world.close());

/** Reverts the pushed run with `rules` armed; expects every target empty again, written once more. */
async function revertThrough(rules: FaultRule[], api: NotionApiOptions = {}) {
  for (const rule of rules) world.session.emulator.faults.add(rule);
  const result = await world.revert({ api });
  expect(result.status).toBe("applied");
  expect(result.conflicts).toEqual([]);
  expect(result.summary.applied).toBe(world.targets.length);
  for (const target of world.targets) {
    expect(botWrites(world.session, target.pageId), `writes to ${target.pageId}`).toBe(2);
    expect(optionName(liveProperty(world.session, target.pageId, target.propertyId))).toBe(null);
  }
  expect(world.violations()).toEqual([]);
  return result;
}

const PAGES = "/v1/pages/*";
const acted = () => world.session.emulator.faults.list().reduce((sum, rule) => sum + rule.acted, 0);

describe("network faults during a revert", () => {
  it("revert waits out a 429 storm as Retry-After says and restores every value once", async () => {
    const result = await revertThrough([
      { path: "/v1/**", from: 3, times: 3, action: { type: "status", status: 429, retryAfter: 1 } },
    ]);
    expect(result.summary.requests.rateLimited).toBe(3);
    expect(earlyRetries(world.session.emulator.log.all(), 1000)).toEqual([]);
  });

  it("revert backs off on 429s without Retry-After and restores every value once", async () => {
    await revertThrough([
      { method: "PATCH", path: PAGES, times: 3, action: { type: "status", status: 429 } },
    ]);
    expect(acted()).toBe(3);
  });

  it("revert gets through bursts of 500, 502, 503 and 504 and restores every value once", async () => {
    const bursts = serverErrorBursts();
    await revertThrough(bursts.rules);
    expect(acted()).toBe(bursts.answers.length);
    expect(faultAnswers(world.session.emulator.log.all())).toEqual(bursts.answers);
  });

  it("revert settles reset connections, before and after Notion applied the write", async () => {
    await revertThrough([
      { method: "PATCH", path: PAGES, nth: 1, action: { type: "reset" } },
      { method: "PATCH", path: PAGES, nth: 3, action: { type: "apply-then-drop" } },
    ]);
    expect(acted()).toBe(2);
  });

  it("revert settles truncated answers without restoring twice", async () => {
    await revertThrough([
      { method: "PATCH", path: PAGES, times: 2, action: { type: "truncate-body" } },
    ]);
    expect(acted()).toBe(2);
  });

  it("revert times out a hung write, reads back and restores it once", async () => {
    await revertThrough([{ method: "PATCH", path: PAGES, nth: 2, action: { type: "hang" } }], {
      timeoutMs: 500,
    });
    expect(acted()).toBe(1);
  });

  it("revert sends a restore again after a 409 conflict_error", async () => {
    await revertThrough([
      { method: "PATCH", path: PAGES, times: 2, action: { type: "status", status: 409 } },
    ]);
    expect(acted()).toBe(2);
  });
});
