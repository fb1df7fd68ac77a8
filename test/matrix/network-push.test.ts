import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { FaultRule } from "../../src/emulator/index.ts";
import type { NotionApiOptions } from "../../src/notion/notion-api.ts";
import {
  earlyRetries,
  faultAnswers,
  requestsDuringPause,
  requestsDuringWait,
} from "./support/log-checks.ts";
import { serverErrorBursts } from "./support/server-error-bursts.ts";
import type { MatrixWorld } from "./support/matrix-world.ts";
import {
  botWrites,
  intendedValues,
  liveProperty,
  optionName,
  plannedWorld,
} from "./support/matrix-world.ts";

let world: MatrixWorld;
/** What each target holds after a push with no faults: the value every faulty push must reach. */
let intended: Map<string, string | null>;

beforeAll(async () => {
  world = await plannedWorld();
  intended = await intendedValues(world);
});
beforeEach(() => world.reset());
afterAll(() => world.close());

/** Pushes the planned run with `rules` armed; expects it finished, each page written once. */
async function pushThrough(rules: FaultRule[], api: NotionApiOptions = {}) {
  for (const rule of rules) world.session.emulator.faults.add(rule);
  const result = await world.push({ api });
  expect(result.status).toBe("applied");
  expect(result.summary.applied).toBe(world.targets.length);
  for (const target of world.targets) {
    expect(botWrites(world.session, target.pageId), `writes to ${target.pageId}`).toBe(1);
    expect(optionName(liveProperty(world.session, target.pageId, target.propertyId))).toBe(
      intended.get(target.pageId),
    );
  }
  expect(world.violations()).toEqual([]);
  return result;
}

const acted = () => world.session.emulator.faults.list().reduce((sum, rule) => sum + rule.acted, 0);
const patches = () =>
  world.session.emulator.log
    .all()
    .filter((entry) => entry.method === "PATCH" && entry.path.startsWith("/v1/pages/"));
const PAGES = "/v1/pages/*";

describe("network faults during a push", () => {
  it("push waits out a 429 storm as Retry-After says, never retrying sooner, and writes each page once", async () => {
    const result = await pushThrough([
      { path: "/v1/**", from: 3, times: 4, action: { type: "status", status: 429, retryAfter: 1 } },
    ]);
    expect(acted()).toBe(4);
    expect(result.summary.requests.rateLimited).toBe(4);
    expect(earlyRetries(world.session.emulator.log.all(), 1000)).toEqual([]);
  });

  it("push sends no request at all while a 429's Retry-After runs (one request at a time)", async () => {
    await pushThrough(
      [{ path: PAGES, nth: 2, action: { type: "status", status: 429, retryAfter: 1 } }],
      { concurrency: 1 },
    );
    expect(acted()).toBe(1);
    expect(requestsDuringPause(world.session.emulator.log.all(), 1000)).toEqual([]);
  });

  it("push backs off on 429s without Retry-After and writes each page once", async () => {
    const result = await pushThrough([
      { method: "PATCH", path: PAGES, times: 4, action: { type: "status", status: 429 } },
    ]);
    expect(acted()).toBe(4);
    expect(result.summary.requests.rateLimited).toBe(4);
  });

  it("push gets through bursts of 500, 502, 503 and 504 on reads and writes, writing each page once", async () => {
    const bursts = serverErrorBursts();
    await pushThrough(bursts.rules);
    expect(acted()).toBe(bursts.answers.length);
    expect(faultAnswers(world.session.emulator.log.all())).toEqual(bursts.answers);
  });

  it("push holds every page's requests while a 503's Retry-After runs, then settles the write by reading back", async () => {
    // Two at a time, 100 ms a request: the other pages are still to be read and written when
    // the first write is answered.
    world.session.emulator.setLatency(100);
    try {
      await pushThrough(
        [
          {
            method: "PATCH",
            path: PAGES,
            nth: 1,
            action: { type: "status", status: 503, retryAfter: 3 },
          },
        ],
        { concurrency: 2 },
      );
    } finally {
      world.session.emulator.setLatency(0);
    }
    expect(acted()).toBe(1);
    expect(
      requestsDuringWait(world.session.emulator.log.all(), {
        status: 503,
        waitMs: 3_000,
        graceMs: 500,
      }),
    ).toEqual([]);
  });

  it("push sends a write answered 529 service_overload again after its Retry-After, writing each page once", async () => {
    const result = await pushThrough([
      {
        method: "PATCH",
        path: PAGES,
        times: 3,
        action: { type: "status", status: 529, retryAfter: 1 },
      },
    ]);
    expect(acted()).toBe(3);
    expect(result.summary.requests.rateLimited).toBe(3);
    expect(
      requestsDuringWait(world.session.emulator.log.all(), {
        status: 529,
        waitMs: 1_000,
        graceMs: 300,
      }),
    ).toEqual([]);
    expect(world.violations()).toEqual([]);
  });

  it("push reads a page again before sending a write Notion held back: a value a person typed meanwhile is kept", async () => {
    const [first] = world.targets;
    if (!first) throw new Error("no target");
    world.session.emulator.faults.add({
      method: "PATCH",
      path: `/v1/pages/${first.pageId}`,
      nth: 1,
      action: { type: "status", status: 429, retryAfter: 2 },
    });
    const pushed = world.push({ api: { concurrency: 1 } });
    const refused = () =>
      patches().some((entry) => entry.status === 429 && entry.path.includes(first.pageId));
    for (let waited = 0; !refused(); waited += 20) {
      if (waited > 20_000) throw new Error("the write was never refused");
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    world.session.emulator.editAsPerson({
      pageId: first.pageId,
      properties: { status: { status: { name: "On hold" } } },
    });
    const result = await pushed;
    expect(acted()).toBe(1);
    expect(result.summary.applied).toBe(world.targets.length - 1);
    expect(optionName(liveProperty(world.session, first.pageId, first.propertyId))).toBe("On hold");
    expect(botWrites(world.session, first.pageId)).toBe(0);
    expect(world.violations()).toEqual([]);
  });

  it("push reads a page again before a write that another request's Retry-After held back: a value a person typed meanwhile is kept", async () => {
    const [first, second] = world.targets;
    if (!first || !second) throw new Error("two targets needed");
    // The first page's read is answered late; the second's is refused at once, and its
    // Retry-After holds every request: the first page's write too, long after its read.
    world.session.emulator.faults.add({
      method: "GET",
      path: `/v1/pages/${first.pageId}`,
      nth: 1,
      action: { type: "delay", ms: 300 },
    });
    world.session.emulator.faults.add({
      method: "GET",
      path: `/v1/pages/${second.pageId}`,
      nth: 1,
      action: { type: "status", status: 429, retryAfter: 2 },
    });
    const pushed = world.push({ api: { concurrency: 2 } });
    const read = () =>
      world.session.emulator.log
        .all()
        .some((entry) => entry.method === "GET" && entry.path.includes(first.pageId));
    for (let waited = 0; !read(); waited += 20) {
      if (waited > 20_000) throw new Error("the first page was never read");
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    world.session.emulator.editAsPerson({
      pageId: first.pageId,
      properties: { status: { status: { name: "On hold" } } },
    });
    const result = await pushed;
    expect(acted()).toBe(2);
    expect(optionName(liveProperty(world.session, first.pageId, first.propertyId))).toBe("On hold");
    expect(botWrites(world.session, first.pageId)).toBe(0);
    expect(result.summary.applied).toBe(world.targets.length - 1);
    expect(world.violations()).toEqual([]);
  });

  it("push sends a write again after a connection reset before Notion handled it, once", async () => {
    await pushThrough([{ method: "PATCH", path: PAGES, times: 3, action: { type: "reset" } }]);
    expect(acted()).toBe(3);
    expect(patches().filter((entry) => entry.applied === true)).toHaveLength(world.targets.length);
  });

  it("push settles a write applied before its connection dropped by reading back, not resending", async () => {
    await pushThrough([
      { method: "PATCH", path: PAGES, times: 2, action: { type: "apply-then-drop" } },
    ]);
    expect(patches()).toHaveLength(world.targets.length);
  });

  it("push settles writes whose answers came back truncated without sending them twice", async () => {
    await pushThrough([
      { method: "PATCH", path: PAGES, times: 2, action: { type: "truncate-body" } },
      { method: "GET", path: PAGES, nth: 3, action: { type: "truncate-body" } },
    ]);
    expect(acted()).toBe(3);
    expect(patches()).toHaveLength(world.targets.length);
  });

  it("push times out a hung write, reads back, and sends it once more", async () => {
    await pushThrough(
      [
        { method: "PATCH", path: PAGES, nth: 1, action: { type: "hang" } },
        { method: "GET", path: PAGES, nth: 3, action: { type: "hang" } },
      ],
      { timeoutMs: 500 },
    );
    expect(acted()).toBe(2);
  });

  it("push sends a write again after a 409 conflict_error (Notion did not save it)", async () => {
    await pushThrough([
      { method: "PATCH", path: PAGES, times: 2, action: { type: "status", status: 409 } },
    ]);
    expect(
      patches()
        .map((entry) => entry.status)
        .filter((status) => status === 409),
    ).toHaveLength(2);
  });
});
