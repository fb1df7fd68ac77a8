import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { SeedFile } from "../../src/emulator/seed-file.ts";
import { DEMO_PROPERTIES } from "../../src/emulator/workspaces/demo/demo-facts.ts";
import type { EmulatorSession } from "../support/emulator.ts";
import { openEmulator } from "../support/emulator.ts";
import { demoSourceId, pagesOf } from "../support/demo-lookups.ts";
import { demoWithExtraTypes } from "../support/extra-types-seed.ts";

type Obj = Record<string, unknown>;
type Properties = NonNullable<
  Parameters<EmulatorSession["notion"]["pages"]["update"]>[0]["properties"]
>;

let session: EmulatorSession;
let seed: SeedFile;
let phaseId: string;
let projectId: string;

beforeAll(async () => {
  session = await openEmulator({ seed: demoWithExtraTypes() });
  seed = session.emulator.dump();
  phaseId = String(pagesOf(seed, demoSourceId(seed, "phases"))[0]?.id);
  projectId = String(pagesOf(seed, demoSourceId(seed, "projects"))[0]?.id);
});
afterAll(() => session.stop());

const firstPage = (key: Parameters<typeof demoSourceId>[1]) =>
  String(pagesOf(seed, demoSourceId(seed, key))[0]?.id);
const withoutRequestId = (value: Obj): Obj => ({ ...value, request_id: undefined });
const read = async (pageId: string) =>
  withoutRequestId((await session.notion.pages.retrieve({ page_id: pageId })) as Obj);
const sourceOf = async (pageId: string) => {
  const page = (await session.notion.pages.retrieve({ page_id: pageId })) as Obj;
  const id = String((page.parent as Obj).data_source_id);
  return withoutRequestId(
    (await session.notion.dataSources.retrieve({ data_source_id: id })) as Obj,
  );
};

/** PATCHes, expects 400 validation_error, and checks the page and its schema did not move. */
async function expectRefused(
  pageId: string,
  properties: Properties,
  message?: string | RegExp,
): Promise<void> {
  const before = await read(pageId);
  const schemaBefore = await sourceOf(pageId);
  const error = await session.notion.pages
    .update({ page_id: pageId, properties })
    .catch((caught: unknown) => caught);
  expect(error).toMatchObject({ status: 400, code: "validation_error" });
  if (message !== undefined) expect((error as Error).message).toMatch(message);
  expect(await read(pageId)).toEqual(before);
  expect(await sourceOf(pageId)).toEqual(schemaBefore);
}

const text = (content: string) => ({ text: { content } });
const someId = "0badc0de-0000-4000-8000-000000000001";

describe("PATCH /v1/pages/{id} refuses, leaving the page unchanged", () => {
  const readOnly: Array<[string, () => string, string, Obj]> = [
    ["formula", () => firstPage("phases"), "Days planned", { formula: { number: 3 } }],
    ["rollup", () => firstPage("milestones"), "Task count", { rollup: { number: 3 } }],
    ["created_time", () => firstPage("projects"), "Created time", { created_time: "2025-01-01" }],
    ["created_by", () => firstPage("projects"), "Created by", { created_by: { id: someId } }],
    [
      "last_edited_time",
      () => firstPage("phases"),
      "Last edited time",
      { last_edited_time: "2025-01-01" },
    ],
    [
      "last_edited_by",
      () => firstPage("projects"),
      "Last edited by",
      { last_edited_by: { id: someId } },
    ],
    ["unique_id", () => firstPage("projects"), "Code", { unique_id: { number: 7 } }],
    ["button", () => firstPage("tracker"), "Run", { button: {} }],
  ];
  for (const [type, page, name, value] of readOnly) {
    it(`a write to a ${type} property (read-only)`, async () => {
      await expectRefused(page(), { [name]: value } as Properties);
    });
  }

  it("a status option that does not exist", async () => {
    await expectRefused(
      phaseId,
      { [DEMO_PROPERTIES.phaseStatus]: { status: { name: "Shelved" } } },
      /Status option "Shelved" does not exist/,
    );
  });

  it("a text object over 2000 characters and a rich text array over 100 items", async () => {
    const name = DEMO_PROPERTIES.phaseProjectCode;
    await expectRefused(phaseId, { [name]: { rich_text: [text("x".repeat(2001))] } }, /2000/);
    const items = Array.from({ length: 101 }, (_, index) => text(`part ${index}`));
    await expectRefused(phaseId, { [name]: { rich_text: items } }, /100/);
  });

  it("more than 100 relations, people or multi-select options", async () => {
    const phases = pagesOf(seed, demoSourceId(seed, "phases")).map((page) => String(page.id));
    const relations = Array.from({ length: 101 }, (_, index) => ({
      id: phases[index % phases.length] ?? "",
    }));
    const milestone = firstPage("milestones");
    await expectRefused(milestone, { Phases: { relation: relations } }, /100/);
    const people = Array.from({ length: 101 }, () => ({ id: seed.integration.bot_user_id }));
    await expectRefused(phaseId, { Lead: { people } }, /100/);
    const options = Array.from({ length: 101 }, (_, index) => ({ name: `tag ${index}` }));
    await expectRefused(projectId, { Tags: { multi_select: options } }, /100/);
  });

  it("a relation target that does not exist, or lies outside the related data source", async () => {
    const name = DEMO_PROPERTIES.phaseProjectId;
    await expectRefused(phaseId, { [name]: { relation: [{ id: someId }] } });
    await expectRefused(phaseId, { [name]: { relation: [{ id: phaseId }] } });
  });

  it("a value of the wrong type, and a property that does not exist", async () => {
    await expectRefused(
      phaseId,
      { [DEMO_PROPERTIES.phaseStatus]: { checkbox: true } },
      /is expected to be status/,
    );
    await expectRefused(phaseId, { Nope: { checkbox: true } }, /is not a property that exists/);
    await expectRefused(phaseId, { Progress: { number: "12" as unknown as number } });
  });

  it("any property write to a trashed page", async () => {
    await session.notion.pages.update({ page_id: projectId, in_trash: true });
    try {
      await expectRefused(projectId, { Budget: { number: 1 } }, /archived/);
    } finally {
      await session.notion.pages.update({ page_id: projectId, in_trash: false });
    }
  });
});

describe("PATCH /v1/pages/{id} accepts", () => {
  it("an unknown select or multi_select name, creating the option in the schema", async () => {
    const answer = (await session.notion.pages.update({
      page_id: phaseId,
      properties: { "Phase type": { select: { name: "Warranty", color: "pink" } } },
    })) as { properties: Record<string, { select: { id: string; name: string } }> };
    const chosen = answer.properties["Phase type"]?.select;
    expect(chosen?.name).toBe("Warranty");
    const schema = (await sourceOf(phaseId)) as {
      properties: Record<string, { select: { options: Array<Obj> } }>;
    };
    expect(schema.properties["Phase type"]?.select.options).toContainEqual(
      expect.objectContaining({ id: chosen?.id, name: "Warranty", color: "pink" }),
    );

    await session.notion.pages.update({
      page_id: projectId,
      properties: { Tags: { multi_select: [{ name: "rehearsal" }, { name: "dry-run" }] } },
    });
    const projects = (await sourceOf(projectId)) as {
      properties: Record<string, { multi_select: { options: Array<{ name: string }> } }>;
    };
    const names = projects.properties.Tags?.multi_select.options.map((option) => option.name);
    expect(names).toEqual(expect.arrayContaining(["rehearsal", "dry-run"]));
  });

  it("clearing with null and []", async () => {
    const milestone = firstPage("milestones");
    const cleared = (await session.notion.pages.update({
      page_id: phaseId,
      properties: {
        [DEMO_PROPERTIES.phaseStatus]: { status: null },
        [DEMO_PROPERTIES.phaseProjectCode]: { rich_text: [] },
        [DEMO_PROPERTIES.phaseProjectId]: { relation: [] },
        "Phase type": { select: null },
        Lead: { people: [] },
        Dates: { date: null },
        Progress: { number: null },
      },
    })) as { properties: Record<string, Obj> };
    const value = (name: string) => {
      const property = cleared.properties[name];
      return property?.[String(property.type)];
    };
    expect(value(DEMO_PROPERTIES.phaseStatus)).toBeNull();
    expect(value(DEMO_PROPERTIES.phaseProjectCode)).toEqual([]);
    expect(value(DEMO_PROPERTIES.phaseProjectId)).toEqual([]);
    expect(cleared.properties[DEMO_PROPERTIES.phaseProjectId]?.has_more).toBe(false);
    for (const name of ["Phase type", "Dates", "Progress"]) expect(value(name)).toBeNull();
    expect(value("Lead")).toEqual([]);

    const noPhases = (await session.notion.pages.update({
      page_id: milestone,
      properties: { Phases: { relation: [] }, Tasks: { relation: [] } },
    })) as { properties: Record<string, { relation: unknown[] }> };
    expect(noPhases.properties.Phases?.relation).toEqual([]);
    expect(await read(phaseId)).toEqual(withoutRequestId(cleared));
  });
});
