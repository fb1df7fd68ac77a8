import { existsSync, readFileSync } from "node:fs";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { CliChild } from "./support/cli-child.ts";
import { runCli, startCli } from "./support/cli-child.ts";
import type { PushWorld } from "./support/push-world.ts";
import {
  actedOn,
  contentOf,
  drained,
  entriesOf,
  livePage,
  lockFile,
  optionName,
  pageIn,
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

/** Kills a push with SIGKILL (no cleanup of any kind) and checks the lock it leaves behind. */
async function kill9(push: CliChild): Promise<void> {
  push.child.kill("SIGKILL");
  const ended = await push.done;
  expect(ended.signal).toBe("SIGKILL");
  const holder = JSON.parse(readFileSync(lockFile(world), "utf8")) as { pid: number };
  expect(holder.pid).toBe(push.child.pid); // stale: the next push must take it over
}

/**
 * Resumes the run (`push RUN-ID`, or the same call in this process) and checks the promises: the run ends applied; no value
 * that was not empty changed; every applied change has a pre entry written before any write of
 * its page arrived; no field was written twice (a page's only extra PATCHes are ones Notion never
 * applied, sent again once a read-back found the field still empty).
 */
async function resumeAndCheck(how: "cli" | "in-process" = "in-process"): Promise<void> {
  world.session.emulator.faults.clear();
  if (how === "cli") {
    const resumed = await runCli(world, ["push", world.runId, "--yes"]);
    expect(resumed.code, resumed.stderr).toBe(0);
  } else {
    expect((await pushInProcess(world)).status).toBe("applied");
  }
  expect(existsSync(lockFile(world))).toBe(false);

  const state = runState(world);
  expect(state.status).toBe("applied");
  expect(state.changes.map((change) => change.status)).toEqual(world.targets.map(() => "applied"));

  const now = world.session.emulator.dump();
  const targetsByPage = new Map(world.targets.map((target) => [target.pageId, target]));
  for (const before of world.atPlan.pages) {
    const target = targetsByPage.get(String(before.id));
    const except = new Set(target ? [target.propertyId] : []);
    expect(contentOf(pageIn(now, String(before.id)), except)).toEqual(contentOf(before, except));
  }

  const snapshot = snapshotOf(world);
  expect(snapshot.problems).toEqual([]);
  const pre = entriesOf(snapshot, "pre");
  for (const target of world.targets) {
    expect(optionName(propertyOf(pageIn(now, target.pageId), target.propertyId))).toBe("Active");
    const entry = pre.find((candidate) => candidate.changeId === target.changeId);
    expect(entry, `pre entry of ${target.pageId}`).toBeDefined();
    expect(optionName(entry?.before as Record<string, unknown>)).toBe(null);
    const patches = pageRequests(world, target.pageId, "PATCH");
    for (const patch of patches) expect(Date.parse(entry?.at ?? "")).toBeLessThanOrEqual(patch.at);
    expect(patches.filter((patch) => patch.applied)).toHaveLength(1);
    expect(patches.at(-1)?.applied).toBe(true);
  }
}

describe("a push killed at each step resumes without applying anything twice", () => {
  it("killed while reading pages live, before any snapshot entry", async () => {
    const rule = world.session.emulator.faults.add({
      method: "GET",
      path: "/v1/pages/*",
      action: { type: "delay", ms: 1_500 },
    });
    const push = startCli(world, ["push", world.runId, "--yes"]);
    await waitFor(() => actedOn(world, rule) >= 1, "the first live read");
    await kill9(push);
    expect(entriesOf(snapshotOf(world), "pre")).toHaveLength(0);
    await drained(world, rule);
    expect(pageRequests(world, world.targets[0]?.pageId ?? "", "PATCH")).toHaveLength(0);
    await resumeAndCheck("cli");
  });

  it("killed after the snapshot write, with the writes sent but not applied", async () => {
    const rule = world.session.emulator.faults.add({
      method: "PATCH",
      path: "/v1/pages/*",
      action: { type: "hang" },
    });
    const push = startCli(world, ["push", world.runId, "--yes"]);
    await waitFor(() => actedOn(world, rule) >= world.targets.length, "every write to hang");
    await kill9(push);
    const snapshot = snapshotOf(world);
    expect(entriesOf(snapshot, "pre")).toHaveLength(world.targets.length);
    expect(entriesOf(snapshot, "post")).toHaveLength(0);
    for (const target of world.targets)
      expect(optionName(propertyOf(livePage(world, target.pageId), target.propertyId))).toBe(null);
    await resumeAndCheck();
    // Each field was found still empty, so its write was sent once more: two PATCHes, one applied.
    for (const target of world.targets)
      expect(pageRequests(world, target.pageId, "PATCH")).toHaveLength(2);
  });

  it("killed after Notion applied the writes, before they were recorded", async () => {
    const rule = world.session.emulator.faults.add({
      method: "PATCH",
      path: "/v1/pages/*",
      action: { type: "delay", ms: 1_500 },
    });
    const push = startCli(world, ["push", world.runId, "--yes"]);
    await waitFor(() => actedOn(world, rule) >= world.targets.length, "every write to arrive");
    await kill9(push);
    await drained(world, rule); // Notion applies them although nobody hears the answers
    const snapshot = snapshotOf(world);
    expect(entriesOf(snapshot, "pre")).toHaveLength(world.targets.length);
    expect(entriesOf(snapshot, "post")).toHaveLength(0);
    expect(runState(world).status).toBe("applying");
    await resumeAndCheck();
    // Read back as already applied: not one more write.
    for (const target of world.targets)
      expect(pageRequests(world, target.pageId, "PATCH")).toHaveLength(1);
    expect(
      entriesOf(snapshotOf(world), "post").every((entry) => entry.note === "settled on resume"),
    ).toBe(true);
    const mirror = world.project.openMirror();
    try {
      const statuses = mirror.sqlite
        .prepare(
          `SELECT status FROM wt_phase_database WHERE page_id IN (${world.targets.map(() => "?").join(",")})`,
        )
        .all(...world.targets.map((target) => target.pageId)) as Array<{ status: string }>;
      expect(statuses.map((row) => row.status)).toEqual(world.targets.map(() => "Active"));
    } finally {
      mirror.close();
    }
  });
});

describe("a run stopped by an error", () => {
  it("stops only once the writes in flight are answered and recorded", async () => {
    const [first] = world.targets;
    if (!first) throw new Error("no target");
    world.session.emulator.faults.add({
      method: "PATCH",
      path: `/v1/pages/${first.pageId}`,
      action: { type: "status", status: 401 },
    });
    world.session.emulator.faults.add({
      method: "PATCH",
      path: "/v1/pages/*",
      action: { type: "delay", ms: 600 },
    });
    await expect(pushInProcess(world)).rejects.toThrow(/refused the token/);
    // When push gives up, nothing of it is still in flight: every other write was recorded.
    const post = entriesOf(snapshotOf(world), "post");
    expect(post.map((entry) => entry.pageId).sort()).toEqual(
      world.targets
        .slice(1)
        .map((target) => target.pageId)
        .sort(),
    );
    expect(existsSync(lockFile(world))).toBe(false);
    await resumeAndCheck();
  });
});
