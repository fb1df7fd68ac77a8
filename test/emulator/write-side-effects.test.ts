import type { PageObjectResponse } from "@notionhq/client";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { ManualClock } from "../../src/emulator/clock.ts";
import { IdSource } from "../../src/emulator/ids.ts";
import { recomputeDerived } from "../../src/emulator/side-effects/derived-values.ts";
import { parseFormula } from "../../src/emulator/side-effects/formula-expression.ts";
import { Workspace } from "../../src/emulator/workspace.ts";
import { demoWorkspace } from "../../src/emulator/workspaces/demo/demo-workspace.ts";
import { scaleWorkspace } from "../../src/emulator/workspaces/scale-workspace.ts";
import type { JsonObject } from "../../src/emulator/json.ts";
import type { EmulatorSession } from "../support/emulator.ts";
import { openEmulator } from "../support/emulator.ts";
import { dataSourceNamed } from "../support/demo-lookups.ts";
import { readFixture } from "../support/fixtures.ts";
import type { Crew } from "../support/two-way-workspace.ts";
import { crewWorkspace } from "../support/two-way-workspace.ts";

let session: EmulatorSession;
let crew: Crew;
const clock = new ManualClock(new Date("2026-03-02T09:15:42.000Z"));
const NOW_MINUTE = "2026-03-02T09:15:00.000Z";

beforeEach(async () => {
  crew = crewWorkspace();
  session = await openEmulator({ seed: crew.seed, clock });
});
afterEach(async () => {
  await session.stop();
});

const id = (title: string) => crew.pages[title] ?? "";

async function page(title: string): Promise<PageObjectResponse> {
  return (await session.notion.pages.retrieve({ page_id: id(title) })) as PageObjectResponse;
}

async function write(title: string, properties: Record<string, unknown>) {
  return (await session.notion.pages.update({
    page_id: id(title),
    properties: properties as never,
  })) as PageObjectResponse;
}

/** A property's inner value (`value[type]`), as the page shows it. */
function inner(value: PageObjectResponse, name: string): unknown {
  const property = value.properties[name] as unknown as JsonObject | undefined;
  if (!property) throw new Error(`no property ${name}`);
  return property[String(property.type)];
}

const relationIds = (value: PageObjectResponse, name: string) =>
  (inner(value, name) as Array<{ id: string }>).map((item) => item.id);

describe("two-way relations: Notion updates the other side", () => {
  it("a write that relates a task to a project puts the task on the project's synced property, stamped by the writer", async () => {
    const before = await page("borealis");
    await write("t4", { Project: { relation: [{ id: id("borealis") }] } });
    const after = await page("borealis");
    expect(relationIds(after, "Tasks")).toEqual([id("t4")]);
    expect(before.last_edited_time).toBe("2025-06-01T10:00:00.000Z");
    expect(after.last_edited_time).toBe(NOW_MINUTE);
    expect(after.last_edited_by.id).toBe(crew.botId);
    expect(inner(after, "Edited")).toBe(NOW_MINUTE);
    expect((inner(after, "Editor") as { id: string }).id).toBe(crew.botId);
    // The journal tells the integration's own write from what Notion did by itself.
    const journal = session.emulator.workspace().journal.all();
    expect(journal.map((entry) => [entry.actor, entry.pageId])).toEqual([
      ["bot", id("t4")],
      ["notion", id("borealis")],
    ]);
    expect(journal[0]?.changes.map((change) => change.name)).toEqual(["Project"]);
    expect(journal[1]?.changes.map((change) => change.name)).toEqual(["Tasks", "Task count"]);
  });

  it("moving a task takes it off the old project and appends it to the new one", async () => {
    await write("t3", { Project: { relation: [{ id: id("apollo") }] } });
    expect(relationIds(await page("cygnus"), "Tasks")).toEqual([]);
    expect(relationIds(await page("apollo"), "Tasks")).toEqual([id("t1"), id("t2"), id("t3")]);
    await write("t1", { Project: { relation: [] } });
    expect(relationIds(await page("apollo"), "Tasks")).toEqual([id("t2"), id("t3")]);
  });

  it("a write on the project's side relates the tasks back, and its answer holds the recomputed rollups", async () => {
    const answer = await write("borealis", {
      Tasks: { relation: [{ id: id("t4") }, { id: id("t5") }] },
    });
    expect(inner(answer, "Task count")).toEqual({ type: "number", number: 2, function: "count" });
    expect(inner(answer, "Points")).toEqual({ type: "number", number: 8, function: "sum" });
    expect(inner(answer, "Points x2")).toEqual({ type: "number", number: 16 });
    for (const task of ["t4", "t5"]) {
      const value = await page(task);
      expect(relationIds(value, "Project")).toEqual([id("borealis")]);
      expect(value.last_edited_by.id).toBe(crew.botId);
    }
  });

  it("a person's edit syncs the other side too, stamped by that person", async () => {
    session.emulator.editAsPerson({
      pageId: id("t5"),
      userId: crew.people.ben,
      properties: { Project: { relation: [{ id: id("cygnus") }] } },
    });
    const cygnus = await page("cygnus");
    expect(relationIds(cygnus, "Tasks")).toEqual([id("t3"), id("t5")]);
    expect(cygnus.last_edited_by.id).toBe(crew.people.ben);
    expect(inner(cygnus, "Points")).toEqual({ type: "number", number: 8, function: "sum" });
  });

  it("the demo's milestones follow their tasks, their task count with them", async () => {
    await session.stop();
    session = await openEmulator({ clock });
    const dump = session.emulator.dump();
    const inSource = (title: string) => (candidate: JsonObject) =>
      (candidate.parent as JsonObject).data_source_id === dataSourceNamed(dump, title).id;
    const task = dump.pages
      .filter(inSource("WT Tasks"))
      .find(
        (candidate) =>
          ((candidate.properties as JsonObject).Milestone as { relation: unknown[] }).relation
            .length === 0,
      );
    const milestone = dump.pages.find(inSource("WT Milestones"));
    if (!task || !milestone) throw new Error("the demo has a task without milestone");
    const read = async () =>
      (await session.notion.pages.retrieve({
        page_id: String(milestone.id),
      })) as PageObjectResponse;
    const before = await read();
    await session.notion.pages.update({
      page_id: String(task.id),
      properties: { Milestone: { relation: [{ id: String(milestone.id) }] } },
    });
    const after = await read();
    expect(relationIds(after, "Tasks")).toEqual([...relationIds(before, "Tasks"), task.id]);
    const count = (value: PageObjectResponse) =>
      (inner(value, "Task count") as { number: number }).number;
    expect(count(after)).toBe(count(before) + 1);
  });
});

describe("rollups and formulas recompute", () => {
  it("a rollup over a relation follows a related page's write, without stamping the page that holds it", async () => {
    const answer = await write("t1", { Estimate: { number: 10 } });
    expect(inner(answer, "Cost")).toEqual({ type: "number", number: 1000 });
    const apollo = await page("apollo");
    expect(inner(apollo, "Points")).toEqual({ type: "number", number: 15, function: "sum" });
    expect(inner(apollo, "Points x2")).toEqual({ type: "number", number: 30 });
    expect(apollo.last_edited_time).toBe("2025-06-01T10:00:00.000Z");
    expect(apollo.last_edited_by.id).toBe(crew.people.ada);
    // The property endpoint serves the recomputed value in the recorded rollup shape.
    const item = (await session.notion.pages.properties.retrieve({
      page_id: id("apollo"),
      property_id: crew.properties["projects.Points"] ?? "",
    })) as unknown as { property_item: { rollup: JsonObject } };
    const shape = readFixture("un_property_item_list_rollup__rollup.json") as {
      property_item: { rollup: JsonObject };
    };
    expect(Object.keys(item.property_item.rollup).sort()).toEqual(
      Object.keys(shape.property_item.rollup).sort(),
    );
    expect(item.property_item.rollup.number).toBe(15);
  });

  it("arithmetic over an empty number is empty, and concatenation follows the title", async () => {
    expect(inner(await write("t4", { Estimate: { number: 2 } }), "Cost")).toEqual({
      type: "number",
      number: 200,
    });
    expect(inner(await write("t4", { Estimate: { number: null } }), "Cost")).toEqual({
      type: "number",
      number: null,
    });
    const renamed = await write("t4", { Name: { title: [{ text: { content: "Paint" } }] } });
    expect(inner(renamed, "Label")).toEqual({ type: "string", string: "Paint task" });
  });

  it("a formula the emulator cannot compute is left as stored", async () => {
    const answer = await write("t1", { Estimate: { number: 10 }, Done: { checkbox: true } });
    expect(inner(answer, "Urgency")).toEqual({ type: "number", number: 3 });
  });

  it("formula and rollup values Notion reports as unsupported are served as such, before and after writes", async () => {
    expect(inner(await page("t1"), "Forecast")).toEqual({ type: "unsupported", unsupported: {} });
    const answer = await write("t1", { Estimate: { number: 4 } });
    expect(inner(answer, "Forecast")).toEqual({ type: "unsupported", unsupported: {} });
    expect(inner(await page("apollo"), "Forecasts")).toEqual({
      type: "unsupported",
      unsupported: {},
      function: "show_original",
    });
  });

  it("a new page gets its formulas computed and its related pages updated", async () => {
    const created = (await session.notion.pages.create({
      parent: { data_source_id: crew.tasksId },
      properties: {
        Name: { title: [{ text: { content: "t6" } }] },
        Estimate: { number: 1.5 },
        Project: { relation: [{ id: id("cygnus") }] },
      },
    })) as PageObjectResponse;
    expect(inner(created, "Cost")).toEqual({ type: "number", number: 150 });
    expect(inner(created, "Label")).toEqual({ type: "string", string: "t6 task" });
    const cygnus = await page("cygnus");
    expect(relationIds(cygnus, "Tasks")).toEqual([id("t3"), created.id]);
    expect(inner(cygnus, "Points")).toEqual({ type: "number", number: 1.5, function: "sum" });
  });
});

describe("the built-in workspaces", () => {
  it("hold the formula and rollup values the emulator computes, so a write recomputes only what it changes", () => {
    for (const seed of [demoWorkspace(), scaleWorkspace({ pages: 1500 }), crewWorkspace().seed]) {
      const workspace = new Workspace(seed, clock, new IdSource(1));
      const recomputed = [...workspace.pages.values()].flatMap((value) =>
        recomputeDerived(workspace, value).map((change) => `${String(value.id)} ${change.name}`),
      );
      expect(recomputed).toEqual([]);
    }
  });
});

describe("the formulas the emulator evaluates", () => {
  const ref = (id: string) =>
    `{{notion:block_property:${id}:3839ce7b-60a4-8168-ba4d-000b1ee50a86:4bb9ce7b-60a4-817c-8dc5-0003eac3b97a}}`;

  it("reads references, numbers, text, + - * / and parentheses", () => {
    expect(parseFormula(`(${ref("dDR%3B")} - 1.5) * -2`)).toEqual({
      kind: "binary",
      op: "*",
      left: {
        kind: "binary",
        op: "-",
        left: { kind: "property", id: "dDR%3B" },
        right: { kind: "number", value: 1.5 },
      },
      right: { kind: "negate", operand: { kind: "number", value: 2 } },
    });
    expect(parseFormula(`${ref("title")} + " \\"done\\""`)).toEqual({
      kind: "binary",
      op: "+",
      left: { kind: "property", id: "title" },
      right: { kind: "string", value: ' "done"' },
    });
  });

  it("leaves the recorded formulas that call functions or methods to Notion", () => {
    const recordedExpressions = Object.values(
      readFixture("un_data_source_formula_2025-09-03.json").properties as Record<
        string,
        JsonObject
      >,
    ).flatMap((property) =>
      property.type === "formula" ? [String((property.formula as JsonObject).expression)] : [],
    );
    const parsed = recordedExpressions.map((expression) => parseFormula(expression) !== undefined);
    // Date: a bare reference; String, Checkbox and Number: format(), .includes(), .length().
    expect(parsed.filter(Boolean)).toHaveLength(1);
    expect(parseFormula(recordedExpressions[0] ?? "")).toEqual({ kind: "property", id: "CNpy" });
    expect(parseFormula("if({{notion:block_property:a:b:c}}, 0, 1)")).toBeUndefined();
    expect(parseFormula(`now() > ${ref("a")}`)).toBeUndefined();
    expect(parseFormula(`${ref("a")} *`)).toBeUndefined();
  });
});
