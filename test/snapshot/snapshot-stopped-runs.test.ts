import { copyFileSync, readFileSync, writeFileSync } from "node:fs";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { startCli } from "../apply/support/cli-child.ts";
import type { PushWorld } from "../apply/support/push-world.ts";
import {
  actedOn,
  allPatches,
  plannedDemo,
  pushInProcess,
  runState,
  waitFor,
} from "../apply/support/push-world.ts";
import { locateRevertTarget, revertRun } from "../../src/apply/revert.ts";
import { projectViolations } from "../support/invariants.ts";
import { entriesIn, linesOf, trustOf } from "./support/trust.ts";

// A run that stopped before its end (--max-writes, Ctrl-C, a kill) has changes with no pre-image:
// they were never reached, which is not damage. With the mirror (which records how far the run
// got) its snapshot is trusted; alone, only a snapshot whose last checkpoint is final is, because
// a run that stopped at a checkpoint and an older copy of a file that went on look the same.

let world: PushWorld;
beforeAll(async () => {
  world = await plannedDemo();
}, 60_000);
beforeEach(() => world.reset());
afterAll(async () => world?.close());

const trust = (route: "alone" | "mirror") =>
  trustOf(world.project, world.runId, world.snapshotFile, route);
const total = () => world.targets.length;
const invariants = () => projectViolations(world.session, world.project);

describe("a push that stopped before its end", { timeout: 120_000 }, () => {
  it("cut by --max-writes: refused alone as unfinished; with the mirror its two writes are reverted, and the checker holds", async () => {
    await pushInProcess(world, { maxWrites: 2 });
    expect(entriesIn(world.snapshotFile).at(-1)).toMatchObject({
      type: "checkpoint",
      reason: "max-writes",
      settled: 2,
      total: total(),
      final: false,
    });
    const alone = trust("alone");
    expect(alone).toMatch(
      new RegExp(
        `ends at a checkpoint of an unfinished run \\(2 of ${total()} changes settled; --max-writes was reached\\)`,
      ),
    );
    expect(alone).toMatch(new RegExp(`revert with the mirror that holds run ${world.runId}`));
    expect(trust("mirror")).toBe("trusted");
    const mirror = world.project.openMirror();
    try {
      const target = locateRevertTarget(world.project.config.snapshotsDir, mirror, {
        runId: world.runId,
      });
      const reverted = await revertRun(
        target,
        mirror,
        world.project.api(),
        world.project.config.snapshotsDir,
      );
      expect(reverted.summary.applied).toBe(2);
    } finally {
      mirror.close();
    }
    expect(invariants()).toEqual([]);
  });

  it("resumed to the end, it is trusted alone; an older copy from before the resume is refused", async () => {
    await pushInProcess(world, { maxWrites: 2 });
    const older = `${world.snapshotFile}.older`;
    copyFileSync(world.snapshotFile, older);
    expect((await pushInProcess(world)).status).toBe("applied");
    expect(
      entriesIn(world.snapshotFile).filter((entry) => entry.type === "checkpoint"),
    ).toMatchObject([
      { reason: "max-writes", final: false },
      { reason: "end", final: true },
    ]);
    expect(trust("alone")).toBe("trusted");
    expect(trust("mirror")).toBe("trusted");
    expect(invariants()).toEqual([]);

    // The copy made while the run was stopped, brought back after it went on: what restoring an
    // older backup looks like. It is whole line by line, yet misses the second invocation.
    copyFileSync(older, world.snapshotFile);
    expect(trust("alone")).toMatch(/ends at a checkpoint of an unfinished run/);
    expect(trust("mirror")).toMatch(
      /the mirror records change \d+ as applied, but the snapshot has no pre-image for it/,
    );
  });

  it("interrupted (Ctrl-C): its checkpoint says so; trusted with the mirror, refused alone", async () => {
    // Ctrl-C before a page was started (the demo's pages all start at once, so a later one would
    // find every write already in flight, and the pass finished).
    const stop = new AbortController();
    stop.abort();
    await pushInProcess(world, { signal: stop.signal });
    expect(allPatches(world)).toHaveLength(0);
    expect(entriesIn(world.snapshotFile).at(-1)).toMatchObject({
      type: "checkpoint",
      reason: "interrupted",
      settled: 0,
      final: false,
    });
    expect(trust("mirror")).toBe("trusted");
    expect(trust("alone")).toMatch(
      new RegExp(`unfinished run \\(0 of ${total()} changes settled; it was interrupted\\)`),
    );
  });

  it("killed with writes in flight: no checkpoint; trusted with the mirror, refused alone; the resume closes it", async () => {
    const rule = world.session.emulator.faults.add({
      method: "PATCH",
      path: "/v1/pages/*",
      action: { type: "hang" },
    });
    const push = startCli(world, ["push", world.runId, "--yes"]);
    await waitFor(() => actedOn(world, rule) >= total(), "every write to hang");
    push.child.kill("SIGKILL");
    expect((await push.done).signal).toBe("SIGKILL");
    const entries = entriesIn(world.snapshotFile);
    expect(entries.some((entry) => entry.type === "checkpoint")).toBe(false);
    expect(entries.filter((entry) => entry.type === "pre")).toHaveLength(total());
    expect(trust("mirror")).toBe("trusted");
    expect(trust("alone")).toMatch(
      /does not end with a checkpoint \(its last whole line, \d+, is a pre entry\): its last lines were lost, or the run was killed/,
    );
    world.session.emulator.faults.clear();
    expect((await pushInProcess(world)).status).toBe("applied");
    expect(entriesIn(world.snapshotFile).at(-1)).toMatchObject({ type: "checkpoint", final: true });
    expect(trust("alone")).toBe("trusted");
    expect(invariants()).toEqual([]);
  });
});

describe("resuming a push whose snapshot lost lines since", { timeout: 120_000 }, () => {
  it("is refused before anything is sent, so a new checkpoint cannot hide the loss", async () => {
    await pushInProcess(world, { maxWrites: 2 });
    const lines = linesOf(world.snapshotFile);
    // The run line and one pre-image left: two changes the mirror records as applied lost their
    // outcome, one its pre-image too.
    writeFileSync(world.snapshotFile, `${lines.slice(0, 2).join("\n")}\n`);
    const damaged = readFileSync(world.snapshotFile, "utf8");
    const patches = allPatches(world).length;
    await expect(pushInProcess(world)).rejects.toThrow(
      /cannot be trusted; nothing was sent:[\s\S]*the mirror records change \d+ as applied, but the snapshot has no pre-image for it/,
    );
    expect(allPatches(world).length).toBe(patches);
    expect(readFileSync(world.snapshotFile, "utf8")).toBe(damaged);
    expect(runState(world).changes.filter((change) => change.status === "applied")).toHaveLength(2);
  });
});
