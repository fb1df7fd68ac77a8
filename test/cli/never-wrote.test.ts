import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { planRun } from "../../src/fill/plan-run.ts";
import { listRuns } from "../../src/runs/run-store.ts";
import type { PulledWorld } from "../support/pulled-world.ts";
import { openPulledWorld } from "../support/pulled-world.ts";
import { labWorkspace } from "../revert/lab-workspace.ts";
import { cli, writeRule } from "../revert/revert-helpers.ts";

/**
 * A run that never wrote to Notion (planned, superseded, discarded) has nothing to revert, verify
 * or discard: each command says so plainly, says what to do instead, exits 2 and records nothing.
 */
let world: PulledWorld;
beforeAll(async () => {
  world = await openPulledWorld({ seed: labWorkspace().seed });
  writeRule(world.project, "lab_items.Notes", { alpha: "a", beta: "b" });
});
afterAll(() => world.close());

function runs(): Array<{ id: string; status: string }> {
  const mirror = world.project.openMirror();
  try {
    return listRuns(mirror.sqlite).map(({ id, status }) => ({ id, status }));
  } finally {
    mirror.close();
  }
}

async function planned(): Promise<string> {
  const { runId } = await planRun(world.project.config, { minConfidence: "low" });
  if (!runId) throw new Error("nothing planned");
  return runId;
}

async function expectRefused(args: string[], message: string, instead: RegExp): Promise<void> {
  const before = runs();
  const seen = world.session.emulator.log.all().length;
  const ran = await cli(world.project, args);
  expect(ran.status, ran.stderr).toBe(2);
  expect(ran.stdout).toBe("");
  expect(ran.stderr).toContain(message);
  expect(ran.stderr).toMatch(instead);
  expect(runs()).toEqual(before);
  expect(world.session.emulator.log.all().slice(seen)).toEqual([]);
}

describe("a run that never wrote to Notion", { timeout: 120_000 }, () => {
  it("planned: revert and verify say so, and point to push or runs discard", async () => {
    const runId = await planned();
    for (const action of ["revert", "verify"])
      await expectRefused(
        [action, runId],
        `Run ${runId} never wrote to Notion (status planned): nothing to ${action}.`,
        new RegExp(`notion-mirror push ${runId}.*notion-mirror runs discard ${runId}`),
      );
  });

  it("superseded: revert, verify and runs discard say so, and point to the newer plan", async () => {
    const older = await planned();
    await planned();
    expect(runs().find((run) => run.id === older)?.status).toBe("superseded");
    for (const action of ["revert", "verify"])
      await expectRefused(
        [action, older],
        `Run ${older} never wrote to Notion (status superseded): nothing to ${action}.`,
        /A newer plan replaced it/,
      );
    await expectRefused(
      ["runs", "discard", older],
      `Run ${older} never wrote to Notion (status superseded): nothing to discard.`,
      /A newer plan replaced it/,
    );
  });

  it("discarded: revert, verify and runs discard say so", async () => {
    const runId = await planned();
    const discarded = await cli(world.project, ["runs", "discard", runId]);
    expect(discarded.status, discarded.stderr).toBe(0);
    for (const action of ["revert", "verify"])
      await expectRefused(
        [action, runId],
        `Run ${runId} never wrote to Notion (status discarded): nothing to ${action}.`,
        /notion-mirror plan makes a new plan/,
      );
    await expectRefused(
      ["runs", "discard", runId],
      `Run ${runId} never wrote to Notion (status discarded): nothing to discard.`,
      /notion-mirror plan makes a new plan/,
    );
  });
});
