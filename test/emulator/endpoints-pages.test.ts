import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ManualClock } from "../../src/emulator/clock.ts";
import type { SeedFile } from "../../src/emulator/seed-file.ts";
import { DEMO_PROPERTIES } from "../../src/emulator/workspaces/demo/demo-facts.ts";
import type { EmulatorSession } from "../support/emulator.ts";
import { openEmulator } from "../support/emulator.ts";
import { demoSourceId, pagesOf } from "../support/demo-lookups.ts";

type Obj = Record<string, unknown>;

const clock = new ManualClock(new Date("2025-08-04T09:41:37.512Z"));
let session: EmulatorSession;
let seed: SeedFile;
let phasesId: string;
let botId: string;

beforeAll(async () => {
  session = await openEmulator({ clock });
  seed = session.emulator.dump();
  phasesId = demoSourceId(seed, "phases");
  botId = seed.integration.bot_user_id;
});
afterAll(() => session.stop());

const properties = (page: unknown) => (page as { properties: Record<string, Obj> }).properties;
const plain = (page: unknown, name: string) =>
  ((properties(page)[name]?.rich_text ?? properties(page)[name]?.title ?? []) as Obj[])
    .map((item) => String(item.plain_text))
    .join("");
const phase = (index: number) => String(pagesOf(seed, phasesId)[index]?.id);

describe("GET /v1/pages/{id}", () => {
  it("returns the page with its parent data source and every property", async () => {
    const pageId = phase(0);
    const page = (await session.notion.pages.retrieve({ page_id: pageId })) as Obj;
    expect(page.object).toBe("page");
    expect(page.id).toBe(pageId);
    expect(page.parent).toMatchObject({ type: "data_source_id", data_source_id: phasesId });
    const source = (await session.notion.dataSources.retrieve({ data_source_id: phasesId })) as Obj;
    expect(Object.keys(properties(page)).sort()).toEqual(
      Object.keys(source.properties as Obj).sort(),
    );
  });
});

describe("PATCH /v1/pages/{id}", () => {
  it("updates the given properties and leaves the others", async () => {
    const pageId = phase(1);
    const before = await session.notion.pages.retrieve({ page_id: pageId });
    const answer = await session.notion.pages.update({
      page_id: pageId,
      properties: {
        [DEMO_PROPERTIES.phaseProjectCode]: { rich_text: [{ text: { content: "WT-PRJ-042" } }] },
        Progress: { number: 0.5 },
      },
    });
    expect(plain(answer, DEMO_PROPERTIES.phaseProjectCode)).toBe("WT-PRJ-042");
    expect(properties(answer).Progress?.number).toBe(0.5);
    const after = await session.notion.pages.retrieve({ page_id: pageId });
    expect({ ...after, request_id: undefined }).toEqual({ ...answer, request_id: undefined });
    expect(properties(after)[DEMO_PROPERTIES.phaseTitle]).toEqual(
      properties(before)[DEMO_PROPERTIES.phaseTitle],
    );
  });

  it("stamps last_edited_time (rounded down to the minute) and last_edited_by (the bot)", async () => {
    const pageId = phase(2);
    clock.set(new Date("2025-08-04T10:17:59.999Z"));
    const answer = (await session.notion.pages.update({
      page_id: pageId,
      properties: { "Gate passed": { checkbox: true } },
    })) as Obj;
    expect(answer.last_edited_time).toBe("2025-08-04T10:17:00.000Z");
    expect(answer.last_edited_by).toEqual({ object: "user", id: botId });
    expect(properties(answer)["Last edited time"]?.last_edited_time).toBe(
      "2025-08-04T10:17:00.000Z",
    );
    const original = pagesOf(seed, phasesId)[2];
    expect(answer.created_time).toBe(original?.created_time);
    expect(answer.created_by).toEqual(original?.created_by);
  });

  it("sets the icon and cover in Notion's response form, clears them with null, refuses junk", async () => {
    const pageId = phase(4);
    const set = (await session.notion.pages.update({
      page_id: pageId,
      icon: { emoji: "🛴" } as { type: "emoji"; emoji: "🛴" },
      cover: { type: "external", external: { url: "https://example.com/cover.png" } },
    })) as Obj;
    expect(set.icon).toEqual({ type: "emoji", emoji: "🛴" });
    expect(set.cover).toEqual({
      type: "external",
      external: { url: "https://example.com/cover.png" },
    });
    const before = await session.fetchRaw(`/v1/pages/${pageId}`);
    const refused = await session.fetchRaw(`/v1/pages/${pageId}`, {
      method: "PATCH",
      body: { icon: "🛴", properties: { Progress: { number: 0.1 } } },
    });
    expect(refused.status).toBe(400);
    expect(refused.json.code).toBe("validation_error");
    const after = await session.fetchRaw(`/v1/pages/${pageId}`);
    expect({ ...after.json, request_id: null }).toEqual({ ...before.json, request_id: null });
    const cleared = (await session.notion.pages.update({
      page_id: pageId,
      icon: null,
      cover: null,
    })) as Obj;
    expect(cleared).toMatchObject({ icon: null, cover: null });
  });

  it("moves a page to the trash and back with in_trash (archived kept in step)", async () => {
    const pageId = phase(3);
    const trashed = (await session.notion.pages.update({ page_id: pageId, in_trash: true })) as Obj;
    expect(trashed).toMatchObject({ in_trash: true, archived: true });
    expect(await session.notion.pages.retrieve({ page_id: pageId })).toMatchObject({
      in_trash: true,
    });
    const restored = (await session.notion.pages.update({
      page_id: pageId,
      in_trash: false,
    })) as Obj;
    expect(restored).toMatchObject({ in_trash: false, archived: false });
  });
});

describe("POST /v1/pages", () => {
  it("creates a page in a data source, stamped by the bot on the minute, then queryable", async () => {
    clock.set(new Date("2025-08-05T07:03:21.400Z"));
    const created = (await session.notion.pages.create({
      parent: { type: "data_source_id", data_source_id: phasesId },
      properties: {
        [DEMO_PROPERTIES.phaseTitle]: { title: [{ text: { content: "Rehearsal phase" } }] },
        [DEMO_PROPERTIES.phaseStatus]: { status: { name: "Active" } },
      },
    })) as Obj;
    expect(created).toMatchObject({
      object: "page",
      created_time: "2025-08-05T07:03:00.000Z",
      last_edited_time: "2025-08-05T07:03:00.000Z",
      created_by: { object: "user", id: botId },
      last_edited_by: { object: "user", id: botId },
      in_trash: false,
      parent: { type: "data_source_id", data_source_id: phasesId },
    });
    expect(plain(created, DEMO_PROPERTIES.phaseTitle)).toBe("Rehearsal phase");
    expect(String(created.url)).toContain(String(created.id).replaceAll("-", ""));

    const found = await session.notion.dataSources.query({
      data_source_id: phasesId,
      filter: { property: DEMO_PROPERTIES.phaseTitle, title: { equals: "Rehearsal phase" } },
    });
    expect(found.results.map((page) => page.id)).toEqual([created.id]);
    const read = await session.notion.pages.retrieve({ page_id: String(created.id) });
    expect({ ...read, request_id: undefined }).toEqual({ ...created, request_id: undefined });
  });

  it("refuses a parent data source that does not exist with 404", async () => {
    const error = await session.notion.pages
      .create({
        parent: { type: "data_source_id", data_source_id: "0c0ffee0-0000-4000-8000-000000000000" },
        properties: {},
      })
      .catch((caught: unknown) => caught);
    expect(error).toMatchObject({ status: 404, code: "object_not_found" });
  });
});
