import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { JsonObject } from "../../src/emulator/index.ts";
import { NotionApi } from "../../src/notion/notion-api.ts";
import { runCli } from "./support/cli-child.ts";
import type { PushWorld } from "./support/push-world.ts";
import {
  CANARY_TOKEN,
  entriesOf,
  firstTarget,
  livePage,
  optionName,
  pageRequests,
  plannedDemo,
  propertyOf,
  pushInProcess,
  runState,
  snapshotOf,
} from "./support/push-world.ts";
import { startRecordingProxy } from "./support/recording-proxy.ts";

type Obj = Record<string, unknown>;

const statusOf = (world: PushWorld, index: number) => {
  const target = world.targets[index];
  if (!target) throw new Error(`no target ${index}`);
  return optionName(propertyOf(livePage(world, target.pageId), target.propertyId));
};

const textOf = (value: Obj) =>
  (value.rich_text as Array<{ plain_text: string }>).map((item) => item.plain_text).join("");

/**
 * Arms a person's edit of `properties` on the first target page, made just before Notion handles
 * that page's first `method` request; returns the target.
 */
function personEditsFirstTarget(world: PushWorld, method: "GET" | "PATCH", properties: JsonObject) {
  const first = firstTarget(world);
  world.session.emulator.faults.add({
    method,
    path: `/v1/pages/${first.pageId}`,
    nth: 1,
    action: { type: "mutate", edit: { pageId: first.pageId, properties } },
  });
  return first;
}

describe("push protects what people type", () => {
  let world: PushWorld;
  beforeAll(async () => {
    world = await plannedDemo();
  });
  beforeEach(() => world.reset());
  afterAll(() => world.close());

  it("keeps a value a person filled between plan and push: protected, exit 3", async () => {
    const first = firstTarget(world);
    world.session.emulator.editAsPerson({
      pageId: first.pageId,
      properties: { status: { status: { name: "On hold" } } },
    });
    const push = await runCli(world, ["push", world.runId, "--yes"]);
    expect(push.code, push.stderr).toBe(3);
    expect(push.stdout).toMatch(/4 applied on 4 pages, 1 protected from overwrite/);
    expect(statusOf(world, 0)).toBe("On hold");
    for (let index = 1; index < world.targets.length; index += 1)
      expect(statusOf(world, index)).toBe("Active");
    expect(pageRequests(world, first.pageId, "PATCH")).toHaveLength(0);
    const change = runState(world).changes.find((row) => row.pageId === first.pageId);
    expect(change?.status).toBe("skipped_conflict");
    expect(change?.error).toMatch(/filled since the plan/);
    const snapshot = snapshotOf(world);
    expect(entriesOf(snapshot, "pre").map((entry) => entry.pageId)).not.toContain(first.pageId);
    expect(entriesOf(snapshot, "post").find((entry) => entry.pageId === first.pageId)?.status).toBe(
      "skipped_conflict",
    );
    expect(push.stdout + push.stderr).not.toContain(CANARY_TOKEN);
  });

  it("protects a value a person fills just before the live read", async () => {
    const first = personEditsFirstTarget(world, "GET", { status: { status: { name: "On hold" } } });
    const result = await pushInProcess(world);
    expect(result.summary.protected).toBe(1);
    expect(result.summary.applied).toBe(4);
    expect(statusOf(world, 0)).toBe("On hold");
    expect(pageRequests(world, first.pageId, "PATCH")).toHaveLength(0);
  });

  it("sends only the planned properties: another property a person edits meanwhile is untouched", async () => {
    // The person edits projectCode while the write is on its way (just before Notion handles it).
    const first = personEditsFirstTarget(world, "PATCH", {
      projectCode: { rich_text: [{ text: { content: "TYPED-BY-A-PERSON" } }] },
    });
    const proxy = await startRecordingProxy(world.session.emulator.url);
    try {
      const api = new NotionApi(
        { token: CANARY_TOKEN, baseUrl: proxy.url },
        { rateLimit: Infinity, maxBackoffMs: 50, timeoutMs: 5_000 },
      );
      const result = await pushInProcess(world, { api });
      expect(result.summary.applied).toBe(5);
      const patches = proxy.requests.filter((request) => request.method === "PATCH");
      expect(patches).toHaveLength(5);
      for (const patch of patches) {
        const body = JSON.parse(patch.body) as { properties: Record<string, unknown> };
        expect(Object.keys(body)).toEqual(["properties"]);
        expect(Object.keys(body.properties)).toEqual([first.propertyId]);
      }
    } finally {
      await proxy.stop();
    }
    const properties = livePage(world, first.pageId).properties as Record<string, Obj>;
    expect(textOf(properties.projectCode ?? {})).toBe("TYPED-BY-A-PERSON");
    expect(statusOf(world, 0)).toBe("Active");
  });

  // Notion has no conditional write, so the live read and the PATCH are one round trip apart:
  // a person's value that lands inside that window (after the GET, before the PATCH is handled)
  // is the one race left. The engine keeps it to that single round trip, and the snapshot still
  // holds the pre-image the engine saw, so the run stays exactly revertible.
  it("the one race left: a person's value landing inside the single GET→PATCH round trip is overwritten", async () => {
    const first = personEditsFirstTarget(world, "PATCH", {
      status: { status: { name: "On hold" } },
    });
    const result = await pushInProcess(world);
    // The person's edit did land, inside the round trip, before the write overwrote it.
    expect(world.session.emulator.faults.list().map((rule) => rule.acted)).toEqual([1]);
    expect(result.summary.applied).toBe(5);
    expect(statusOf(world, 0)).toBe("Active");
    // The window is one round trip: one GET, then at once the PATCH, nothing else for the page.
    const requests = pageRequests(world, first.pageId).map((entry) => entry.method);
    expect(requests).toEqual(["GET", "PATCH"]);
    const pre = entriesOf(snapshotOf(world), "pre").find((entry) => entry.pageId === first.pageId);
    expect(optionName(pre?.before as Obj)).toBe(null);
  });

  it("fails a page trashed since the plan, with the reason, and writes the others", async () => {
    const first = firstTarget(world);
    world.session.emulator.editAsPerson({ pageId: first.pageId, inTrash: true });
    const result = await pushInProcess(world);
    expect(result.summary.failed).toBe(1);
    expect(result.summary.applied).toBe(4);
    expect(result.status).toBe("partial");
    expect(pageRequests(world, first.pageId, "PATCH")).toHaveLength(0);
    const change = runState(world).changes.find((row) => row.pageId === first.pageId);
    expect(change).toMatchObject({ status: "failed", error: "the page is in the trash" });
    expect(statusOf(world, 0)).toBe(null);
  });

  it("fails a page deleted since the plan, and writes the others", async () => {
    const first = firstTarget(world);
    const seed = world.session.emulator.dump();
    world.session.emulator.reseed({
      ...seed,
      pages: seed.pages.filter((page) => page.id !== first.pageId),
    });
    const result = await pushInProcess(world);
    expect(result.summary.failed).toBe(1);
    expect(result.summary.applied).toBe(4);
    const change = runState(world).changes.find((row) => row.pageId === first.pageId);
    expect(change?.status).toBe("failed");
    expect(change?.error).toMatch(/no longer exists/);
    expect(pageRequests(world, first.pageId, "PATCH")).toHaveLength(0);
  });
});
