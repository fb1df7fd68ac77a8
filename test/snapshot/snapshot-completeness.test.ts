import { readFileSync, writeFileSync } from "node:fs";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { locateRevertTarget, revertRun } from "../../src/apply/revert.ts";
import type { RunEntry, SnapshotEntry } from "../../src/snapshot/entries.ts";
import { snapshotPath } from "../../src/snapshot/snapshot-file.ts";
import type { PushWorld } from "../apply/support/push-world.ts";
import { allPatches, plannedDemo, pushInProcess } from "../apply/support/push-world.ts";
import { projectViolations } from "../support/invariants.ts";
import { encodeAll, entriesIn, linesOf, trustOf } from "./support/trust.ts";

// A finished push's snapshot, damaged in every way that keeps each remaining line sound: revert
// must notice with the mirror (which records what the run did) and without it (the file alone
// must show that nothing is missing), and say why.

let world: PushWorld;
let pristine: string;
let lines: string[];

beforeAll(async () => {
  world = await plannedDemo();
  await pushInProcess(world);
  pristine = readFileSync(world.snapshotFile, "utf8");
  lines = linesOf(world.snapshotFile);
}, 60_000);
afterAll(async () => world?.close());
afterEach(() => writeFileSync(world.snapshotFile, pristine));

const trust = (route: "alone" | "mirror") =>
  trustOf(world.project, world.runId, world.snapshotFile, route);
const withText = (text: string) => writeFileSync(world.snapshotFile, text);

describe("the snapshot of a finished push", () => {
  it("states its change count and ends with a final checkpoint; it is trusted alone and with the mirror", () => {
    const entries = entriesIn(world.snapshotFile);
    const run = entries[0] as RunEntry;
    expect(run).toMatchObject({ type: "run", format: 2, changeCount: world.targets.length });
    expect(run.changes.map((change) => change.changeId)).toEqual(
      world.targets.map((target) => target.changeId),
    );
    expect(entries.at(-1)).toMatchObject({
      type: "checkpoint",
      reason: "end",
      settled: world.targets.length,
      total: world.targets.length,
      final: true,
    });
    expect(entries.filter((entry) => entry.type === "checkpoint")).toHaveLength(1);
    expect(trust("alone")).toBe("trusted");
    expect(trust("mirror")).toBe("trusted");
  });

  it("cut at any line boundary, it is refused alone, and with the mirror unless only its checkpoint went", () => {
    expect(lines.length).toBe(2 * world.targets.length + 2);
    for (let kept = 1; kept < lines.length; kept += 1) {
      withText(`${lines.slice(0, kept).join("\n")}\n`);
      const alone = trust("alone");
      expect(alone, `${kept} lines kept`).toMatch(/cannot be trusted; nothing was sent/);
      expect(alone, `${kept} lines kept`).toMatch(/does not end with a checkpoint/);
      expect(alone).toMatch(
        /hint: Restore the complete file from a backup, or revert with the mirror/,
      );
      const withMirror = trust("mirror");
      if (kept === lines.length - 1) {
        // Every pre-image and outcome the mirror records is still there: nothing is missing.
        expect(withMirror).toBe("trusted");
      } else {
        expect(withMirror, `${kept} lines kept`).toMatch(
          /the mirror records change \d+ as applied, but the snapshot has no (pre-image|outcome) for it/,
        );
      }
    }
  });

  it("with any one line removed, it is refused alone and with the mirror", () => {
    for (let gone = 0; gone < lines.length - 1; gone += 1) {
      withText(`${lines.filter((_, index) => index !== gone).join("\n")}\n`);
      for (const route of ["alone", "mirror"] as const) {
        const verdict = trust(route);
        expect(verdict, `line ${gone + 1} removed, ${route}`).toMatch(
          gone === 0 ? /line 1 is not the run description/ : /sequence \d+, expected \d+/,
        );
      }
    }
  });

  it("with an outcome removed and the lines renumbered to hide it, the checkpoint's counts give it away", () => {
    const entries = entriesIn(world.snapshotFile);
    const lost = entries.findIndex((entry) => entry.type === "post");
    withText(encodeAll(entries.filter((_, index) => index !== lost)));
    const alone = trust("alone");
    expect(alone).toMatch(
      new RegExp(
        `the checkpoint counts ${world.targets.length} of ${world.targets.length} changes settled \\(final\\), but the lines before it settle ${world.targets.length - 1} of ${world.targets.length}`,
      ),
    );
    expect(alone).toMatch(/hint: Restore the file from a backup; notion-mirror never reverts/);
    expect(trust("mirror")).toMatch(/as applied, but the snapshot has no outcome for it/);
  });

  it("with a change taken out of its run description, the count and the mirror give it away", () => {
    const entries = entriesIn(world.snapshotFile);
    const run = entries[0] as RunEntry;
    const [dropped, ...rest] = run.changes;
    withText(encodeAll([{ ...run, changes: rest }, ...entries.slice(1)]));
    const alone = trust("alone");
    expect(alone).toMatch(
      new RegExp(`counts ${run.changes.length} changes but lists ${run.changes.length - 1}`),
    );
    expect(alone).toMatch(
      new RegExp(`a pre-image for change ${dropped?.changeId}, which the run does not list`),
    );
    expect(trust("mirror")).toMatch(
      new RegExp(
        `the mirror's run has change ${dropped?.changeId}, which the snapshot does not list`,
      ),
    );
  });

  it("written as before checkpoints existed, it is trusted with the mirror and refused alone, saying why", () => {
    const entries = entriesIn(world.snapshotFile).flatMap((entry): SnapshotEntry[] => {
      if (entry.type === "checkpoint") return [];
      if (entry.type !== "run") return [entry];
      const { format: _format, changeCount: _count, ...older } = entry;
      return [older];
    });
    withText(encodeAll(entries));
    expect(trust("mirror")).toBe("trusted");
    const alone = trust("alone");
    expect(alone).toMatch(/written by an earlier version of notion-mirror/);
    expect(alone).toMatch(
      new RegExp(
        `hint: Restore the complete file from a backup, or revert with the mirror that holds run ${world.runId}`,
      ),
    );
  });
});

describe("the snapshot of a revert run", () => {
  it("is checked the same way: trusted whole, refused cut, alone and with the mirror", async () => {
    const mirror = world.project.openMirror();
    let revertRunId: string;
    try {
      const target = locateRevertTarget(world.project.config.snapshotsDir, mirror, {
        runId: world.runId,
      });
      const patches = allPatches(world).length;
      revertRunId = (
        await revertRun(target, mirror, world.project.api(), world.project.config.snapshotsDir)
      ).revertRunId;
      expect(allPatches(world).length).toBeGreaterThan(patches);
    } finally {
      mirror.close();
    }
    const file = snapshotPath(world.project.config.snapshotsDir, revertRunId);
    const trustRevert = (route: "alone" | "mirror") =>
      trustOf(world.project, revertRunId, file, route);
    expect(entriesIn(file).at(-1)).toMatchObject({ type: "checkpoint", final: true });
    expect(trustRevert("alone")).toBe("trusted");
    expect(trustRevert("mirror")).toBe("trusted");
    const whole = linesOf(file);
    writeFileSync(file, `${whole.slice(0, -3).join("\n")}\n`);
    // Alone, a revert snapshot cut at its end looks like a revert that did not finish: it is
    // continued (every page read live again), never reverted itself.
    const alone = locateRevertTarget(undefined, undefined, { snapshotFile: file });
    expect(alone.runId).toBe(world.runId);
    expect(alone.resumes?.runId).toBe(revertRunId);
    // The mirror knows the revert finished: the lost outcomes are damage, and it is refused.
    expect(trustRevert("mirror")).toMatch(/the snapshot has no outcome for it/);
    writeFileSync(file, `${whole.join("\n")}\n`);
    expect(trustRevert("alone")).toBe("trusted");
  });
});

it("refusing the damaged copies sent nothing, and the checker holds", () => {
  expect(allPatches(world)).toHaveLength(world.targets.length * 2);
  expect(projectViolations(world.session, world.project)).toEqual([]);
});
