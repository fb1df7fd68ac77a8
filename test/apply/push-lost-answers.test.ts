import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { FaultAction } from "../../src/emulator/index.ts";
import type { PushWorld } from "./support/push-world.ts";
import {
  appliedPatches,
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
  waitFor,
} from "./support/push-world.ts";

let world: PushWorld;
beforeAll(async () => {
  world = await plannedDemo();
});
beforeEach(() => world.reset());
afterAll(() => world.close());

/** Arms `action` on the first PATCH of the first target page. */
function onFirstWrite(action: FaultAction) {
  const target = firstTarget(world);
  world.session.emulator.faults.add({
    method: "PATCH",
    path: `/v1/pages/${target.pageId}`,
    nth: 1,
    action,
  });
  return target;
}

function expectAllActive() {
  for (const target of world.targets)
    expect(optionName(propertyOf(livePage(world, target.pageId), target.propertyId))).toBe(
      "Active",
    );
}

describe("push settles lost answers by reading back, never by sending blind", () => {
  /** A 429 storm: three requests in a row refused with Retry-After: 1. */
  const storm = () =>
    world.session.emulator.faults.add({
      path: "/v1/**",
      from: 3,
      times: 3,
      action: { type: "status", status: 429, retryAfter: 1 },
    });

  it("gets through a 429 storm, sending no request sooner than the Retry-After it was given", async () => {
    storm();
    // One request in flight at a time, so every request after a 429 was sent after its answer.
    const result = await pushInProcess(world, { apiOptions: { concurrency: 1 } });
    expect(result.status).toBe("applied");
    expect(result.summary.applied).toBe(5);
    const log = world.session.emulator.log.all();
    const limited = log.filter((entry) => entry.status === 429);
    expect(limited).toHaveLength(3);
    for (const refused of limited) {
      const retry = log.find(
        (entry) =>
          entry.seq > refused.seq && entry.method === refused.method && entry.path === refused.path,
      );
      expect(retry, `the retry of request ${refused.seq}`).toBeDefined();
      expect(retry!.at - refused.at).toBeGreaterThanOrEqual(995);
      // Not only its retry: no request at all leaves sooner than the Retry-After.
      for (const later of log.filter((entry) => entry.seq > refused.seq))
        expect(
          later.at - refused.at,
          `request ${later.seq} after 429 ${refused.seq}`,
        ).toBeGreaterThanOrEqual(995);
    }
    for (const target of world.targets)
      expect(appliedPatches(world, target.pageId)).toHaveLength(1);
    expectAllActive();
  });

  it("keeps going through more 429s on one write than its lost-answer budget", async () => {
    const target = firstTarget(world);
    world.session.emulator.faults.add({
      method: "PATCH",
      path: `/v1/pages/${target.pageId}`,
      times: 7,
      action: { type: "status", status: 429, retryAfter: 0 },
    });
    const result = await pushInProcess(world);
    expect(result.summary.applied).toBe(5);
    expect(result.status).toBe("applied");
    // A 429 is a refusal, not a lost answer: no read-back is needed between them.
    expect(pageRequests(world, target.pageId, "GET")).toHaveLength(1);
    expect(appliedPatches(world, target.pageId)).toHaveLength(1);
  });

  it("sends a write answered 529 service_overload again after its Retry-After, more times than the lost-answer budget, never unknown", async () => {
    const target = firstTarget(world);
    world.session.emulator.faults.add({
      method: "PATCH",
      path: `/v1/pages/${target.pageId}`,
      times: 6,
      action: { type: "status", status: 529, retryAfter: 1 },
    });
    const result = await pushInProcess(world, { apiOptions: { concurrency: 1 } });
    expect(result.status).toBe("applied");
    expect(result.summary.applied).toBe(5);
    expect(runState(world).changes.map((change) => change.status)).not.toContain("unknown");
    const patches = pageRequests(world, target.pageId, "PATCH");
    expect(patches.map((entry) => `${entry.status} ${entry.code ?? ""}`)).toEqual([
      ...Array.from({ length: 6 }, () => "529 service_overload"),
      "200 ",
    ]);
    // Each sent again once the Retry-After had passed (1 s, from its answer).
    for (const [index, patch] of patches.entries()) {
      const previous = patches[index - 1];
      if (previous)
        expect(patch.at - (previous.at + previous.durationMs)).toBeGreaterThanOrEqual(995);
    }
    expect(appliedPatches(world, target.pageId)).toHaveLength(1);
    expect(result.summary.requests.rateLimited).toBe(6);
    expectAllActive();
  });

  it("reads a page again before sending a write Notion held back, and keeps what a person typed meanwhile", async () => {
    const target = firstTarget(world);
    world.session.emulator.faults.add({
      method: "PATCH",
      path: `/v1/pages/${target.pageId}`,
      nth: 1,
      action: { type: "status", status: 429, retryAfter: 2 },
    });
    const pushed = pushInProcess(world, { apiOptions: { concurrency: 1 } });
    // While the write waits out its Retry-After, a person fills the field.
    await waitFor(
      () => pageRequests(world, target.pageId, "PATCH").some((entry) => entry.status === 429),
      "the write refused",
    );
    world.session.emulator.editAsPerson({
      pageId: target.pageId,
      properties: { status: { status: { name: "On hold" } } },
    });
    const result = await pushed;
    expect(optionName(propertyOf(livePage(world, target.pageId), target.propertyId))).toBe(
      "On hold",
    );
    expect(appliedPatches(world, target.pageId)).toHaveLength(0);
    const change = runState(world).changes.find((row) => row.pageId === target.pageId);
    expect(change?.status).toBe("skipped_conflict");
    expect(change?.error).toMatch(/while the write was held back/);
    expect(result.summary.applied).toBe(4);
    // The write was not sent blind: the page was read again after the wait.
    expect(
      pageRequests(world, target.pageId).map((entry) => `${entry.method} ${entry.status}`),
    ).toEqual(["GET 200", "PATCH 429", "GET 200"]);
  });

  it("sends a write that failed before applying (500) again exactly once, after reading back", async () => {
    const target = onFirstWrite({ type: "fail-before-apply", status: 500 });
    const result = await pushInProcess(world);
    expect(result.status).toBe("applied");
    const requests = pageRequests(world, target.pageId).map(
      (entry) => `${entry.method} ${entry.status}${entry.applied ? " applied" : ""}`,
    );
    expect(requests).toEqual(["GET 200", "PATCH 500", "GET 200", "PATCH 200 applied"]);
    expectAllActive();
  });

  it("records a write applied before the connection dropped as applied, without sending it twice", async () => {
    const target = onFirstWrite({ type: "apply-then-drop" });
    const result = await pushInProcess(world);
    expect(result.status).toBe("applied");
    expect(pageRequests(world, target.pageId, "PATCH")).toHaveLength(1);
    expect(appliedPatches(world, target.pageId)).toHaveLength(1);
    expect(pageRequests(world, target.pageId, "GET")).toHaveLength(2); // live read + read back
    const post = entriesOf(snapshotOf(world), "post").find(
      (entry) => entry.changeId === target.changeId,
    );
    expect(post).toMatchObject({ status: "applied", note: "confirmed by reading back" });
    expect(optionName(post?.after as Record<string, unknown>)).toBe("Active");
    expectAllActive();
  });

  it("settles a write whose answer came back cut short (applied) without sending it twice", async () => {
    const target = onFirstWrite({ type: "truncate-body" });
    const result = await pushInProcess(world);
    expect(result.status).toBe("applied");
    expect(pageRequests(world, target.pageId, "PATCH")).toHaveLength(1);
    expectAllActive();
  });

  it("sends again once after a 409 conflict_error (Notion did not save it)", async () => {
    const target = onFirstWrite({ type: "status", status: 409 });
    const result = await pushInProcess(world);
    expect(result.status).toBe("applied");
    const patches = pageRequests(world, target.pageId, "PATCH");
    expect(patches.map((entry) => entry.status)).toEqual([409, 200]);
    expect(appliedPatches(world, target.pageId)).toHaveLength(1);
    expectAllActive();
  });

  it("settles a hung write by reading back after the timeout, then sends it once more", async () => {
    const target = onFirstWrite({ type: "hang" });
    const result = await pushInProcess(world, { apiOptions: { timeoutMs: 1_000 } });
    expect(result.status).toBe("applied");
    const requests = pageRequests(world, target.pageId).map((entry) => entry.method);
    expect(requests).toEqual(["GET", "PATCH", "GET", "PATCH"]);
    expect(appliedPatches(world, target.pageId)).toHaveLength(1);
    expectAllActive();
  });

  it("sends again once after a connection reset before Notion handled the write", async () => {
    const target = onFirstWrite({ type: "reset" });
    const result = await pushInProcess(world);
    expect(result.status).toBe("applied");
    expect(pageRequests(world, target.pageId, "PATCH")).toHaveLength(2);
    expect(appliedPatches(world, target.pageId)).toHaveLength(1);
  });

  it("leaves a write whose answer is lost every time unknown; the next push settles it", async () => {
    const target = firstTarget(world);
    const rule = world.session.emulator.faults.add({
      method: "PATCH",
      path: `/v1/pages/${target.pageId}`,
      action: { type: "reset" },
    });
    const first = await pushInProcess(world);
    expect(first.summary.applied).toBe(4);
    expect(first.summary.pending).toBe(1);
    expect(first.status).toBe("applying");
    expect(first.tracker).toBe(null);
    expect(runState(world).changes.find((row) => row.pageId === target.pageId)?.status).toBe(
      "unknown",
    );
    world.session.emulator.faults.remove(rule);
    const second = await pushInProcess(world);
    expect(second.status).toBe("applied");
    expect(second.summary.applied).toBe(5);
    expect(second.tracker?.ok).toBe(true);
    expect(appliedPatches(world, target.pageId)).toHaveLength(1);
    for (const other of world.targets.slice(1))
      expect(pageRequests(world, other.pageId, "PATCH")).toHaveLength(1);
    expectAllActive();
  });
});
