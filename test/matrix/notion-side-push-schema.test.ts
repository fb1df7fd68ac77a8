import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { SchemaEdit } from "../../src/emulator/index.ts";
import { projectViolations } from "../support/invariants.ts";
import { changeStatuses } from "./support/matrix-world.ts";
import type { TasksWorld } from "./support/tasks-world.ts";
import { DEFAULT_CONCURRENCY } from "../../src/notion/notion-api.ts";
import { tasksWorld } from "./support/tasks-world.ts";

// Notion's schema moves while a push is under way: a person renames, removes or adds a select
// option after the preflight compared the plan's fingerprint. A write that names an option Notion
// no longer has makes Notion create it, so the promise under test: no option the plan did not
// allow is ever created, and the changes the move affects are refused, not written.

let world: TasksWorld;

beforeAll(async () => {
  // Three times the pages the engine has in progress at once, so that a move lands mid-run.
  world = await tasksWorld(3 * IN_FLIGHT);
});
beforeEach(() => world.reset());
afterAll(() => world.close());

/** Makes `edit` (as a person) right after Notion has answered the `nth` page write. */
function afterWrite(nth: number, edit: Omit<SchemaEdit, "dataSourceId">): void {
  world.session.emulator.faults.add({
    method: "PATCH",
    path: "/v1/pages/*",
    nth,
    action: {
      type: "mutate",
      when: "after",
      schemaEdit: { dataSourceId: world.tasks.dataSourceId, ...edit },
    },
  });
}

/**
 * Pages the engine has in progress at once (its default): the writes that can be under way when
 * a move happens, and so the most that can go out before the watch learns of it.
 */
const IN_FLIGHT = DEFAULT_CONCURRENCY;
/** The page writes after the `nth`, (with `status`, when given). */
const patchesAfter = (nth: number, status?: number) =>
  world.session.emulator.log
    .all()
    .filter((entry) => entry.method === "PATCH" && entry.path.startsWith("/v1/pages/"))
    .slice(nth)
    .filter((entry) => status === undefined || entry.status === status).length;

const fired = () =>
  world.session.emulator.log.all().filter((entry) => entry.method === "PATCH" && entry.fault);
const names = (property: string) => world.options(property).map((option) => option.name);
const rows = (runId: string) => changeStatuses(world.project, runId);

/** The checker, once a full pull has brought the mirror level with the schema change. */
async function violations(): Promise<string[]> {
  await world.project.pull({ full: true });
  return projectViolations(world.session, world.project);
}

describe("a select option moves in Notion before the push", () => {
  it("renamed between plan and push: the preflight refuses (re-plan), nothing sent", async () => {
    const runId = await world.plan({ property: "Priority", value: "High" });
    world.session.emulator.editSchemaAsPerson({
      dataSourceId: world.tasks.dataSourceId,
      property: "Priority",
      renameOption: { from: "High", to: "P1" },
    });
    await expect(world.push(runId)).rejects.toThrow(/schema of tasks changed since the plan/);
    expect(patchesAfter(0)).toBe(0);
    expect(names("Priority")).toEqual(["Low", "P1", "Urgent"]);
  });
});

describe("a select option moves in Notion during a push", () => {
  it("renamed: the old name is never created again; the changes not yet written are refused as renamed", async () => {
    const high = world.options("Priority").find((option) => option.name === "High");
    const runId = await world.plan({ property: "Priority", value: "High" });
    afterWrite(2, { property: "Priority", renameOption: { from: "High", to: "P1" } });
    const result = await world.push(runId);
    expect(fired()).toHaveLength(1);
    expect(names("Priority")).toEqual(["Low", "P1", "Urgent"]);
    for (const pageId of world.tasks.emptyPages) {
      const value = world.value(pageId, "Priority") as { id: string } | null;
      if (value !== null) expect(value.id).toBe(high?.id);
    }
    const refused = rows(runId).filter((row) => row.status === "failed");
    expect(refused.length).toBeGreaterThan(0);
    for (const row of refused) expect(row.error).toMatch(/"High" of Priority was renamed to "P1"/);
    expect(result.summary.applied + refused.length).toBe(world.tasks.emptyPages.length);
    expect(patchesAfter(2)).toBeLessThanOrEqual(IN_FLIGHT);
    expect(result.status).toBe("partial");
    expect(await violations()).toEqual([]);
  });

  it("removed: it is not created again; the changes not yet written are refused as removed", async () => {
    const runId = await world.plan({ property: "Priority", value: "High" });
    afterWrite(2, { property: "Priority", removeOption: "High" });
    const result = await world.push(runId);
    expect(fired()).toHaveLength(1);
    expect(names("Priority")).toEqual(["Low", "Urgent"]);
    for (const pageId of world.tasks.emptyPages) expect(world.value(pageId, "Priority")).toBeNull();
    const refused = rows(runId).filter((row) => row.status === "failed");
    expect(refused.length).toBeGreaterThan(0);
    expect(
      refused.some((row) => /option "High" of Priority was removed/.test(row.error ?? "")),
    ).toBe(true);
    // Notion refuses the removed option's id for the writes in flight; the watch, the rest.
    expect(patchesAfter(2, 400)).toBeLessThanOrEqual(IN_FLIGHT);
    expect(result.summary.applied + refused.length).toBe(world.tasks.emptyPages.length);
    expect(await violations()).toEqual([]);
  });

  it("added: the plan's values are unaffected, every page written, no option created", async () => {
    const runId = await world.plan({ property: "Priority", value: "Urgent" });
    afterWrite(2, { property: "Priority", addOption: { name: "Someday" } });
    const result = await world.push(runId);
    expect(fired()).toHaveLength(1);
    expect(names("Priority")).toEqual(["Low", "High", "Urgent", "Someday"]);
    expect(result.summary.applied).toBe(world.tasks.emptyPages.length);
    expect(result.status).toBe("applied");
    expect(await violations()).toEqual([]);
  });

  it("a multi-select option renamed: the old name is never created again", async () => {
    const runId = await world.plan({ property: "Labels", value: '["ops","web"]' });
    afterWrite(3, { property: "Labels", renameOption: { from: "web", to: "frontend" } });
    await world.push(runId);
    expect(fired()).toHaveLength(1);
    expect(names("Labels")).toEqual(["ops", "frontend"]);
    const refused = rows(runId).filter((row) => row.status === "failed");
    expect(refused.length).toBeGreaterThan(0);
    for (const row of refused) expect(row.error).toMatch(/"web" of Labels was renamed/);
    expect(await violations()).toEqual([]);
  });

  it("a status option renamed: the changes not yet written are refused (Notion would refuse the name)", async () => {
    const runId = await world.plan({ property: "Stage", value: "Doing" });
    afterWrite(2, { property: "Stage", renameOption: { from: "Doing", to: "In flight" } });
    await world.push(runId);
    expect(fired()).toHaveLength(1);
    expect(names("Stage")).toEqual(["Not started", "In flight", "Done"]);
    const refused = rows(runId).filter((row) => row.status === "failed");
    expect(refused.length).toBeGreaterThan(0);
    for (const row of refused) expect(row.error).toMatch(/"Doing" of Stage was renamed/);
    expect(await violations()).toEqual([]);
  });
});

describe("an option a rule is allowed to create", () => {
  it("is created once and reused; renamed between two parts of the run, it is not created again", async () => {
    const runId = await world.plan({ property: "Labels", value: "mobile", allowNewOption: true });
    const first = await world.push(runId, { maxWrites: 3 });
    expect(first.summary.applied).toBe(3);
    expect(names("Labels")).toEqual(["ops", "web", "mobile"]);
    world.session.emulator.editSchemaAsPerson({
      dataSourceId: world.tasks.dataSourceId,
      property: "Labels",
      renameOption: { from: "mobile", to: "phone" },
    });
    const rest = await world.push(runId);
    expect(names("Labels")).toEqual(["ops", "web", "phone"]);
    expect(rest.summary.applied).toBe(3);
    const refused = rows(runId).filter((row) => row.status === "failed");
    expect(refused).toHaveLength(world.tasks.emptyPages.length - 3);
    for (const row of refused)
      expect(row.error).toMatch(
        /option "mobile" this run created in Labels was renamed to "phone"/,
      );
    expect(await violations()).toEqual([]);
  });
});
