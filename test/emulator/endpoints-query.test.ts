import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { SeedFile } from "../../src/emulator/seed-file.ts";
import { DEMO_FACTS, DEMO_PROPERTIES } from "../../src/emulator/workspaces/demo/demo-facts.ts";
import type { EmulatorSession } from "../support/emulator.ts";
import { openEmulator } from "../support/emulator.ts";
import { demoSourceId, pagesOf } from "../support/demo-lookups.ts";

type Obj = Record<string, unknown>;
type QueryArgs = Parameters<EmulatorSession["notion"]["dataSources"]["query"]>[0];

let session: EmulatorSession;
let seed: SeedFile;
let phasesId: string;
let projectsId: string;

beforeAll(async () => {
  session = await openEmulator();
  seed = session.emulator.dump();
  phasesId = demoSourceId(seed, "phases");
  projectsId = demoSourceId(seed, "projects");
});
afterAll(() => session.stop());

async function queryAll(args: Omit<QueryArgs, "start_cursor">): Promise<Obj[]> {
  const results: Obj[] = [];
  let cursor: string | undefined;
  do {
    const answer = await session.notion.dataSources.query({ ...args, start_cursor: cursor });
    results.push(...(answer.results as Obj[]));
    expect(answer.has_more).toBe(answer.next_cursor !== null);
    cursor = answer.next_cursor ?? undefined;
  } while (cursor);
  return results;
}

const ids = (pages: Obj[]) => pages.map((page) => String(page.id));
const value = (page: Obj, name: string): unknown => {
  const property = (page.properties as Record<string, Obj>)[name];
  return property?.[String(property.type)];
};
const isEmpty = (raw: unknown) => raw === null || (Array.isArray(raw) && raw.length === 0);

describe("POST /v1/data_sources/{id}/query: filters", () => {
  it("a property filter finds exactly the pages it describes", async () => {
    const emptyStatus = await queryAll({
      data_source_id: phasesId,
      filter: { property: DEMO_PROPERTIES.phaseStatus, status: { is_empty: true } },
    });
    expect(emptyStatus).toHaveLength(DEMO_FACTS.emptyPhaseStatus);
    const emptyProject = await queryAll({
      data_source_id: phasesId,
      filter: { property: DEMO_PROPERTIES.phaseProjectId, relation: { is_empty: true } },
    });
    expect(emptyProject).toHaveLength(DEMO_FACTS.emptyPhaseProjectId);
    const emptyProjectID = await queryAll({
      data_source_id: projectsId,
      filter: { property: DEMO_PROPERTIES.projectID, rich_text: { is_empty: true } },
    });
    expect(emptyProjectID).toHaveLength(DEMO_FACTS.emptyProjectID);
  });

  it("a timestamp filter on last_edited_time compares to the minute", async () => {
    const pages = pagesOf(seed, phasesId);
    const times = pages.map((page) => String(page.last_edited_time)).sort();
    const middle = times[Math.floor(times.length / 2)] ?? "";
    const found = await queryAll({
      data_source_id: phasesId,
      filter: { timestamp: "last_edited_time", last_edited_time: { on_or_before: middle } },
    });
    const expected = pages.filter((page) => String(page.last_edited_time) <= middle);
    expect(expected.length).toBeGreaterThan(0);
    expect(expected.length).toBeLessThan(pages.length);
    expect(new Set(ids(found))).toEqual(new Set(ids(expected)));

    const after = await queryAll({
      data_source_id: phasesId,
      filter: { timestamp: "last_edited_time", last_edited_time: { after: middle } },
    });
    expect(after.length + found.length).toBe(pages.length);
  });

  it("nested and / or combine as boolean logic", async () => {
    const gate = "Gate passed";
    const found = await queryAll({
      data_source_id: phasesId,
      filter: {
        or: [
          {
            and: [
              { property: DEMO_PROPERTIES.phaseStatus, status: { is_empty: true } },
              { property: DEMO_PROPERTIES.phaseProjectId, relation: { is_empty: true } },
            ],
          },
          { property: gate, checkbox: { equals: true } },
        ],
      },
    });
    const expected = pagesOf(seed, phasesId).filter(
      (page) =>
        (isEmpty(value(page, DEMO_PROPERTIES.phaseStatus)) &&
          isEmpty(value(page, DEMO_PROPERTIES.phaseProjectId))) ||
        value(page, gate) === true,
    );
    expect(expected.length).toBeGreaterThan(0);
    expect(new Set(ids(found))).toEqual(new Set(ids(expected)));
  });

  it("refuses a filter on a property the data source does not have", async () => {
    const error = await session.notion.dataSources
      .query({ data_source_id: phasesId, filter: { property: "Nope", checkbox: { equals: true } } })
      .catch((caught: unknown) => caught);
    expect(error).toMatchObject({ status: 400, code: "validation_error" });
  });
});

describe("POST /v1/data_sources/{id}/query: sorts and pages", () => {
  it("sorts by a property, then by a timestamp", async () => {
    const found = await queryAll({
      data_source_id: phasesId,
      sorts: [
        { property: "Progress", direction: "descending" },
        { timestamp: "created_time", direction: "ascending" },
      ],
    });
    const keys = found.map((page) => [value(page, "Progress"), String(page.created_time)] as const);
    const filled = keys.filter(([progress]) => typeof progress === "number");
    for (let index = 1; index < filled.length; index += 1) {
      const [previous, previousTime] = filled[index - 1] ?? [0, ""];
      const [current, currentTime] = filled[index] ?? [0, ""];
      expect(Number(previous)).toBeGreaterThanOrEqual(Number(current));
      if (previous === current) expect(previousTime <= currentTime).toBe(true);
    }
    // Empty numbers come last, whatever the direction.
    const firstEmpty = keys.findIndex(([progress]) => progress === null);
    if (firstEmpty >= 0) expect(keys.slice(firstEmpty).every(([p]) => p === null)).toBe(true);
  });

  it("gives each filter of one order that order, filtered: windows of one walk agree", async () => {
    const sorts = [
      { property: "Progress", direction: "descending" as const },
      { timestamp: "created_time" as const, direction: "ascending" as const },
    ];
    const whole = ids(await queryAll({ data_source_id: phasesId, sorts }));
    const times = pagesOf(seed, phasesId)
      .map((page) => String(page.last_edited_time))
      .sort();
    const middle = times[Math.floor(times.length / 2)] ?? "";
    for (const range of [{ on_or_before: middle }, { after: middle }]) {
      const found = await queryAll({
        data_source_id: phasesId,
        sorts,
        filter: { timestamp: "last_edited_time", last_edited_time: range },
      });
      expect(found.length).toBeGreaterThan(0);
      expect(found.length).toBeLessThan(whole.length);
      const kept = new Set(ids(found));
      expect(ids(found)).toEqual(whole.filter((id) => kept.has(id)));
    }
  });

  it("accepts page_size 100 and refuses 101 with 400", async () => {
    const answer = await session.notion.dataSources.query({
      data_source_id: phasesId,
      page_size: 100,
    });
    expect(answer.results).toHaveLength(pagesOf(seed, phasesId).length);
    expect(answer.has_more).toBe(false);
    expect(answer.next_cursor).toBeNull();
    const error = await session.notion.dataSources
      .query({ data_source_id: phasesId, page_size: 101 })
      .catch((caught: unknown) => caught);
    expect(error).toMatchObject({ status: 400, code: "validation_error" });
  });

  it("walks every page with start_cursor / next_cursor / has_more, in one order", async () => {
    const whole = await session.notion.dataSources.query({ data_source_id: phasesId });
    const first = await session.notion.dataSources.query({
      data_source_id: phasesId,
      page_size: 7,
    });
    expect(first.results).toHaveLength(7);
    expect(first.has_more).toBe(true);
    expect(first.next_cursor).toEqual(expect.any(String));
    const walked = await queryAll({ data_source_id: phasesId, page_size: 7 });
    expect(ids(walked)).toEqual(ids(whole.results as Obj[]));
    expect(new Set(ids(walked)).size).toBe(pagesOf(seed, phasesId).length);
  });

  it("misses no unchanged page when a person edits the next page between two requests", async () => {
    const sorts = [{ timestamp: "last_edited_time" as const, direction: "ascending" as const }];
    const first = await session.notion.dataSources.query({
      data_source_id: phasesId,
      page_size: 10,
      sorts,
    });
    const walked = ids(first.results as Obj[]);
    const whole = ids(await queryAll({ data_source_id: phasesId, sorts }));
    const next = whole[10] ?? "";
    // The edit moves the next page to the end of the order.
    session.emulator.editAsPerson({ pageId: next, properties: { Progress: { number: 0.75 } } });
    let cursor = first.next_cursor ?? undefined;
    while (cursor) {
      const answer = await session.notion.dataSources.query({
        data_source_id: phasesId,
        page_size: 10,
        sorts,
        start_cursor: cursor,
      });
      walked.push(...ids(answer.results as Obj[]));
      cursor = answer.next_cursor ?? undefined;
    }
    expect(new Set(walked)).toEqual(new Set(whole));
    expect(walked).toHaveLength(whole.length);
    expect(walked[walked.length - 1]).toBe(next);
  });

  it("refuses a start_cursor it never gave out", async () => {
    const error = await session.notion.dataSources
      .query({ data_source_id: phasesId, start_cursor: "not-a-cursor" })
      .catch((caught: unknown) => caught);
    expect(error).toMatchObject({ status: 400, code: "validation_error" });
  });
});

describe("POST /v1/data_sources/{id}/query: filter_properties and in_trash", () => {
  it("returns only the properties named by filter_properties (ids or names)", async () => {
    const source = (await session.notion.dataSources.retrieve({
      data_source_id: phasesId,
    })) as { properties: Record<string, { id: string }> };
    const statusId = source.properties[DEMO_PROPERTIES.phaseStatus]?.id ?? "";
    const answer = await session.notion.dataSources.query({
      data_source_id: phasesId,
      filter_properties: [statusId, DEMO_PROPERTIES.phaseTitle],
    });
    expect(answer.results).toHaveLength(pagesOf(seed, phasesId).length);
    for (const page of answer.results as Obj[]) {
      expect(Object.keys(page.properties as Obj).sort()).toEqual(
        [DEMO_PROPERTIES.phaseTitle, DEMO_PROPERTIES.phaseStatus].sort(),
      );
    }
  });

  it("refuses filter_properties naming no property", async () => {
    const error = await session.notion.dataSources
      .query({ data_source_id: phasesId, filter_properties: ["no such property"] })
      .catch((caught: unknown) => caught);
    expect(error).toMatchObject({ status: 400, code: "validation_error" });
  });

  it("leaves trashed pages out unless in_trash is true, then shows only them", async () => {
    const [victim] = pagesOf(seed, phasesId);
    const pageId = String(victim?.id);
    await session.notion.pages.update({ page_id: pageId, in_trash: true });
    try {
      const live = await queryAll({ data_source_id: phasesId });
      expect(ids(live)).not.toContain(pageId);
      expect(live).toHaveLength(pagesOf(seed, phasesId).length - 1);
      const trashed = await queryAll({ data_source_id: phasesId, in_trash: true });
      expect(ids(trashed)).toEqual([pageId]);
      expect(trashed[0]?.in_trash).toBe(true);
    } finally {
      await session.notion.pages.update({ page_id: pageId, in_trash: false });
    }
  });
});
