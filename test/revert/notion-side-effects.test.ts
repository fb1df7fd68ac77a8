import { NothingRestoredError } from "../../src/apply/nothing-restored.ts";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { JsonObject, SeedFile } from "../../src/emulator/index.ts";
import { join } from "node:path";
import { locateRevertTarget, revertRun } from "../../src/apply/revert.ts";
import { NotionMirrorError } from "../../src/errors.ts";
import { planRun } from "../../src/fill/plan-run.ts";
import type { EmulatorSession } from "../support/emulator.ts";
import { checkInvariants, projectViolations } from "../support/invariants.ts";
import type { TestProject } from "../support/project.ts";
import type { PulledWorld } from "../support/pulled-world.ts";
import { openPulledWorld } from "../support/pulled-world.ts";
import type { Crew } from "../support/two-way-workspace.ts";
import { crewWorkspace } from "../support/two-way-workspace.ts";
import { comparable, liveValue, planAndPush, push, revert, writeRule } from "./revert-helpers.ts";

let world: PulledWorld;
let session: EmulatorSession;
let project: TestProject;
let crew: Crew;

beforeEach(async () => {
  crew = crewWorkspace();
  world = await openPulledWorld({ seed: crew.seed });
  ({ session, project } = world);
});
afterEach(() => world.close());

const id = (title: string) => crew.pages[title] ?? "";
const relation = (title: string, name: string) =>
  (liveValue(session, id(title), name).relation as JsonObject[]).map((item) => item.id);

/** The mirror's row of a page: its last_edited_time column and a view column. */
function mirrored(title: string, view: string, column: string): { edited: string; value: unknown } {
  const mirror = project.openMirror();
  try {
    const row = mirror.sqlite
      .prepare(
        `SELECT p.last_edited_time AS edited, v."${column}" AS value FROM pages AS p JOIN "${view}" AS v ON v.page_id = p.id WHERE p.id = ?`,
      )
      .get(id(title)) as { edited: string; value: unknown } | undefined;
    if (!row) throw new Error(`no mirror row for ${title}`);
    return row;
  } finally {
    mirror.close();
  }
}

function invariants(): string[] {
  return projectViolations(session, project);
}

/**
 * Plans a run that fills both sides of the two-way relation (borealis's Tasks with t4, t5's
 * Project with borealis) and pushes it one page at a time, borealis first: t5's write then adds t5
 * to borealis's Tasks by itself. Returns Notion as it was before the push, and the run's id.
 */
async function pushBothSides(): Promise<{ before: SeedFile; runId: string }> {
  const before = session.emulator.dump();
  writeRule(project, "crew_projects.Tasks", { borealis: [id("t4")] }, { ruleName: "a-tasks" });
  writeRule(project, "crew_tasks.Project", { t5: [id("borealis")] }, { ruleName: "b-project" });
  const runId = await planAndPush(project, { maxWrites: 1 });
  await push(project, runId);
  expect(relation("borealis", "Tasks")).toEqual([id("t4"), id("t5")]);
  return { before, runId };
}

describe("a two-way relation: Notion moves the other side", () => {
  it("a fill and its revert: the other side follows in Notion, its mirror row is marked stale and the next pull refreshes it", async () => {
    const before = session.emulator.dump();
    writeRule(project, "crew_tasks.Project", { t4: [id("borealis")] });
    const runId = await planAndPush(project);
    // Notion put t4 on borealis's Tasks by itself…
    expect(relation("borealis", "Tasks")).toEqual([id("t4")]);
    // …so the mirror does not claim to know borealis any more; t4 is its after-image.
    expect(mirrored("borealis", "crew_projects", "tasks").edited).toBe("");
    expect(mirrored("t4", "crew_tasks", "project")).toMatchObject({
      value: JSON.stringify([id("borealis")]),
    });
    expect(invariants()).toEqual([]);

    // A plan made now would read the stale side: refused until the mirror is pulled.
    writeRule(project, "crew_projects.Lead", { borealis: [crew.people.ben] });
    const refused = await planRun(project.config, { minConfidence: "low" }).catch(
      (error: unknown) => error,
    );
    expect(refused).toBeInstanceOf(NotionMirrorError);
    expect(refused).toMatchObject({
      code: "usage",
      message: expect.stringMatching(
        /copy of 1 page is not known to be current \(crew_projects: 1\)/,
      ),
      hint: expect.stringMatching(/sync pull/),
    });
    const { summary } = await project.pull();
    expect(summary.dataSources.every((source) => source.mode === "incremental")).toBe(true);
    expect(mirrored("borealis", "crew_projects", "tasks").value).toBe(JSON.stringify([id("t4")]));
    expect(mirrored("borealis", "crew_projects", "task_count").value).toBe(1);
    expect(invariants()).toEqual([]);

    const reverted = await revert(project, runId);
    expect(reverted.conflicts).toEqual([]);
    expect(reverted.summary.applied).toBe(1);
    // Both sides are back: the emulator is as it was before the push.
    expect(comparable(session.emulator.dump())).toEqual(comparable(before));
    expect(mirrored("borealis", "crew_projects", "tasks").edited).toBe("");
    expect(invariants()).toEqual([]);
    await project.pull();
    expect(mirrored("borealis", "crew_projects", "tasks").value).toBeNull();
    expect(mirrored("borealis", "crew_projects", "task_count").value).toBe(0);
    expect(invariants()).toEqual([]);
  });

  it("a run that fills both sides is reverted without conflicts: the side effects of its own writes are not a person's edits", async () => {
    const { before, runId } = await pushBothSides();
    expect(relation("t5", "Project")).toEqual([id("borealis")]);

    // One page at a time, borealis first: its Tasks hold t5, which the run put there.
    const first = await revert(project, runId, { maxWrites: 1 });
    expect(first.conflicts).toEqual([]);
    const rest = await revert(project, runId);
    expect(rest.conflicts).toEqual([]);
    expect(comparable(session.emulator.dump())).toEqual(comparable(before));
    expect(invariants()).toEqual([]);
  });

  it("from its snapshot alone, the revert reads the two-way relations from Notion and is not fooled either", async () => {
    const { before, runId } = await pushBothSides();
    const snapshotFile = join(project.config.snapshotsDir, `${runId}.snapshot.ndjson`);
    const fromFile = (maxWrites?: number) =>
      revertRun(
        locateRevertTarget(project.config.snapshotsDir, undefined, { snapshotFile }),
        undefined,
        project.api(),
        project.config.snapshotsDir,
        { maxWrites },
      );
    expect((await fromFile(1)).conflicts).toEqual([]);
    expect((await fromFile()).conflicts).toEqual([]);
    expect(comparable(session.emulator.dump())).toEqual(comparable(before));
    // The mirror took no part in this revert: only Notion's side and the snapshots are checked.
    expect(
      checkInvariants({ emulator: session.emulator, snapshotsDir: project.config.snapshotsDir }),
    ).toEqual([]);
  });

  it("an edit a person made on the other side since the run is still a conflict", async () => {
    writeRule(project, "crew_projects.Tasks", { borealis: [id("t4")] });
    const runId = await planAndPush(project);
    session.emulator.editAsPerson({
      pageId: id("t3"),
      userId: crew.people.ben,
      properties: { Project: { relation: [{ id: id("cygnus") }, { id: id("borealis") }] } },
    });
    expect(relation("borealis", "Tasks")).toEqual([id("t4"), id("t3")]);
    // Its one field is a conflict, so nothing can be restored: the revert refuses, naming it.
    const refused = await revert(project, runId).then(
      () => undefined,
      (error: unknown) => error,
    );
    expect(refused).toBeInstanceOf(NothingRestoredError);
    expect(
      (refused as NothingRestoredError).conflicts.map((conflict) => conflict.propertyName),
    ).toEqual(["Tasks"]);
    expect(relation("borealis", "Tasks")).toEqual([id("t4"), id("t3")]);
    expect(invariants()).toEqual([]);
  });
});

describe("rollups and formulas Notion recomputes", () => {
  it("a rollup that recomputes after a push is refreshed by the next pull and does not trip the revert", async () => {
    const before = session.emulator.dump();
    writeRule(project, "crew_tasks.Estimate", { t3: 4 });
    const runId = await planAndPush(project);
    // Notion recomputed cygnus's Points without stamping cygnus: its last edit did not move.
    expect(liveValue(session, id("cygnus"), "Points").rollup).toMatchObject({ number: 4 });
    expect(before.pages.find((page) => page.id === id("cygnus"))?.last_edited_time).toBe(
      session.emulator.dump().pages.find((page) => page.id === id("cygnus"))?.last_edited_time,
    );
    // The written page's own formula is in its after-image; the page rolling it up is stale.
    expect(mirrored("t3", "crew_tasks", "cost").value).toBe(400);
    expect(mirrored("cygnus", "crew_projects", "points").edited).toBe("");
    expect(invariants()).toEqual([]);

    await project.pull();
    expect(mirrored("cygnus", "crew_projects", "points").value).toBe(4);
    expect(mirrored("cygnus", "crew_projects", "points_x2").value).toBe(8);
    expect(invariants()).toEqual([]);

    const reverted = await revert(project, runId);
    expect(reverted.conflicts).toEqual([]);
    expect(comparable(session.emulator.dump())).toEqual(comparable(before));
    await project.pull();
    expect(mirrored("cygnus", "crew_projects", "points").value).toBe(0);
    expect(invariants()).toEqual([]);
  });
});
