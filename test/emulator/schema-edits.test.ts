import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { EmulatorSession } from "../support/emulator.ts";
import { openEmulator } from "../support/emulator.ts";
import type { TasksWorkspace } from "../matrix/support/tasks-workspace.ts";
import { tasksWorkspace } from "../matrix/support/tasks-workspace.ts";

type Obj = Record<string, unknown>;

let tasks: TasksWorkspace;
let session: EmulatorSession;

beforeAll(async () => {
  tasks = tasksWorkspace(3);
  session = await openEmulator({ seed: tasks.seed });
});
beforeEach(() => {
  session.emulator.faults.clear();
  session.emulator.reseed(structuredClone(tasks.seed));
});
afterAll(() => session.stop());

const control = (body: unknown) =>
  session.fetchRaw("/__emulator/schema-edits", { method: "POST", body });

async function schemaOptions(property: string): Promise<Array<{ id: string; name: string }>> {
  const source = (await session.notion.dataSources.retrieve({
    data_source_id: tasks.dataSourceId,
  })) as unknown as { properties: Record<string, Obj> };
  const value = source.properties[property] as Obj;
  return (value[String(value.type)] as { options: Array<{ id: string; name: string }> }).options;
}

async function pageValue(pageId: string, property: string): Promise<unknown> {
  const page = (await session.notion.pages.retrieve({ page_id: pageId })) as unknown as {
    properties: Record<string, Obj>;
  };
  const value = page.properties[property] as Obj;
  return value[String(value.type)];
}

describe("schema edits as if by a person (control API)", () => {
  it("renames an option: same id, every page holding it shows the new name, page timestamps kept", async () => {
    const [low] = (await schemaOptions("Priority")).filter((option) => option.name === "Low");
    const before = session.emulator.workspace().pages.get(tasks.filledPage)?.last_edited_time;
    const answer = await control({
      dataSourceId: tasks.dataSourceId,
      property: "Priority",
      renameOption: { from: "Low", to: "Someday" },
    });
    expect(answer.status).toBe(200);
    const options = await schemaOptions("Priority");
    expect(options.find((option) => option.id === low?.id)?.name).toBe("Someday");
    expect(options.map((option) => option.name)).not.toContain("Low");
    expect(await pageValue(tasks.filledPage, "Priority")).toMatchObject({
      id: low?.id,
      name: "Someday",
    });
    expect(session.emulator.workspace().pages.get(tasks.filledPage)?.last_edited_time).toBe(before);
    const source = session.emulator.workspace().dataSources.get(tasks.dataSourceId);
    expect((source?.last_edited_by as Obj).id).toBe(tasks.personId);
  });

  it("removes an option: gone from the schema and from every page (select empty, multi-select without it)", async () => {
    for (const [property, option] of [
      ["Priority", "Low"],
      ["Labels", "ops"],
      ["Stage", "Doing"],
    ] as const) {
      const answer = await control({
        dataSourceId: tasks.dataSourceId,
        property,
        removeOption: option,
      });
      expect(answer.status, JSON.stringify(answer.json)).toBe(200);
      expect((await schemaOptions(property)).map((entry) => entry.name)).not.toContain(option);
    }
    expect(await pageValue(tasks.filledPage, "Priority")).toBeNull();
    expect(await pageValue(tasks.filledPage, "Labels")).toEqual([]);
    expect(await pageValue(tasks.filledPage, "Stage")).toBeNull();
  });

  it("adds an option with a new id", async () => {
    const answer = await control({
      dataSourceId: tasks.dataSourceId,
      property: "Labels",
      addOption: { name: "mobile", color: "pink" },
    });
    expect(answer.status).toBe(200);
    const added = (await schemaOptions("Labels")).find((option) => option.name === "mobile");
    expect(added?.id).toEqual(expect.any(String));
  });

  it("refuses an unknown option, a name already taken, and an edit that does two things", async () => {
    const base = { dataSourceId: tasks.dataSourceId, property: "Priority" };
    expect((await control({ ...base, removeOption: "Nope" })).status).toBe(400);
    expect((await control({ ...base, renameOption: { from: "Low", to: "High" } })).status).toBe(
      400,
    );
    const both = await control({ ...base, removeOption: "Low", addOption: { name: "x" } });
    expect(both.status).toBe(400);
    expect(String(both.json.error)).toMatch(/exactly one/);
    expect((await schemaOptions("Priority")).map((option) => option.name)).toEqual([
      "Low",
      "High",
      "Urgent",
    ]);
  });

  it("a mutate fault renames an option mid-run: after the n-th write is answered", async () => {
    session.emulator.faults.add({
      method: "PATCH",
      path: "/v1/pages/*",
      nth: 1,
      action: {
        type: "mutate",
        when: "after",
        schemaEdit: {
          dataSourceId: tasks.dataSourceId,
          property: "Priority",
          renameOption: { from: "High", to: "P1" },
        },
      },
    });
    const [first, second] = tasks.emptyPages;
    const written = (await session.notion.pages.update({
      page_id: String(first),
      properties: { Priority: { select: { name: "High" } } },
    })) as unknown as { properties: Record<string, Obj> };
    // The answer was sent before the rename; the page now shows the renamed option.
    expect(written.properties.Priority?.select).toMatchObject({ name: "High" });
    expect(await pageValue(String(first), "Priority")).toMatchObject({ name: "P1" });
    // A later write by the old name creates a second option, as Notion does.
    await session.notion.pages.update({
      page_id: String(second),
      properties: { Priority: { select: { name: "High" } } },
    });
    expect((await schemaOptions("Priority")).map((option) => option.name)).toEqual([
      "Low",
      "P1",
      "Urgent",
      "High",
    ]);
  });

  it("refuses a mutate fault whose schema edit is malformed", async () => {
    const answer = await session.fetchRaw("/__emulator/faults", {
      method: "POST",
      body: { action: { type: "mutate", schemaEdit: { dataSourceId: tasks.dataSourceId } } },
    });
    expect(answer.status).toBe(400);
  });
});
