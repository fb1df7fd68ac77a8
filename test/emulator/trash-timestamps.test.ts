import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { isoMinute, ManualClock } from "../../src/emulator/clock.ts";
import type { SeedFile } from "../../src/emulator/seed-file.ts";
import { demoWorkspace } from "../../src/emulator/workspaces/demo/demo-workspace.ts";
import { scaleWorkspace } from "../../src/emulator/workspaces/scale-workspace.ts";
import type { EmulatorSession } from "../support/emulator.ts";
import { openEmulator } from "../support/emulator.ts";
import { demoSourceId, pagesOf } from "../support/demo-lookups.ts";

// Trashing or restoring a page is an edit: Notion stamps last_edited_time (to the minute), so a
// query filtered on last_edited_time sees it, with in_trash: true for the trashed side.

type Obj = Record<string, unknown>;

const clock = new ManualClock(new Date("2025-08-10T12:00:00.000Z"));
let session: EmulatorSession;
let seed: SeedFile;
let phasesId: string;

beforeAll(async () => {
  session = await openEmulator({ clock });
  seed = session.emulator.dump();
  phasesId = demoSourceId(seed, "phases");
});
afterEach(() => session.emulator.reseed(demoWorkspace()));
afterAll(() => session.stop());

const phase = (index: number) => String(pagesOf(seed, phasesId)[index]?.id);
const lastEditedProperty = (page: Obj) =>
  Object.values(page.properties as Record<string, Obj>).find(
    (value) => value.type === "last_edited_time",
  )?.last_edited_time;

/** The ids an incremental read since `since` would see, live or trashed. */
async function editedSince(since: string, inTrash: boolean | undefined): Promise<string[]> {
  const answer = await session.notion.dataSources.query({
    data_source_id: phasesId,
    page_size: 100,
    filter: { timestamp: "last_edited_time", last_edited_time: { on_or_after: since } },
    ...(inTrash === undefined ? {} : { in_trash: inTrash }),
  });
  return (answer.results as Obj[]).map((page) => String(page.id));
}

describe("trash and restore are edits", () => {
  it("trashing stamps last_edited_time to the minute; the trashed page is then seen only with in_trash", async () => {
    const pageId = phase(2);
    clock.set(new Date("2025-08-10T12:07:42.300Z"));
    const trashed = (await session.notion.pages.update({ page_id: pageId, in_trash: true })) as Obj;
    expect(trashed).toMatchObject({
      in_trash: true,
      last_edited_time: "2025-08-10T12:07:00.000Z",
    });
    expect(lastEditedProperty(trashed)).toBe("2025-08-10T12:07:00.000Z");
    const since = "2025-08-10T12:07:00.000Z";
    expect(await editedSince(since, undefined)).toEqual([]);
    expect(await editedSince(since, false)).toEqual([]);
    expect(await editedSince(since, true)).toEqual([pageId]);
  });

  it("restoring stamps it again and brings the page back to live queries", async () => {
    const pageId = phase(4);
    clock.set(new Date("2025-08-10T13:00:10.000Z"));
    await session.notion.pages.update({ page_id: pageId, in_trash: true });
    clock.set(new Date("2025-08-10T13:05:59.999Z"));
    const restored = (await session.notion.pages.update({
      page_id: pageId,
      in_trash: false,
    })) as Obj;
    expect(restored).toMatchObject({
      in_trash: false,
      last_edited_time: "2025-08-10T13:05:00.000Z",
    });
    expect(await editedSince("2025-08-10T13:05:00.000Z", undefined)).toEqual([pageId]);
    expect(await editedSince("2025-08-10T13:05:00.000Z", true)).toEqual([]);
  });

  it("accepts archived as the deprecated alias of in_trash, on writes and on queries", async () => {
    const pageId = phase(5);
    clock.set(new Date("2025-08-10T14:30:00.000Z"));
    const trashed = (
      await session.fetchRaw(`/v1/pages/${pageId}`, {
        method: "PATCH",
        body: { archived: true },
      })
    ).json;
    expect(trashed).toMatchObject({ in_trash: true, archived: true });
    expect(trashed.last_edited_time).toBe("2025-08-10T14:30:00.000Z");
    const viaAlias = await session.fetchRaw(`/v1/data_sources/${phasesId}/query`, {
      method: "POST",
      body: { archived: true },
    });
    expect((viaAlias.json.results as Obj[]).map((page) => page.id)).toEqual([pageId]);
  });

  it("a person trashing a page in the UI stamps it too, as that person", async () => {
    const pageId = phase(6);
    clock.set(new Date("2025-08-10T15:45:30.000Z"));
    session.emulator.editAsPerson({ pageId, inTrash: true });
    const read = (await session.notion.pages.retrieve({ page_id: pageId })) as Obj;
    expect(read).toMatchObject({ in_trash: true, last_edited_time: "2025-08-10T15:45:00.000Z" });
    expect((read.last_edited_by as Obj).id).not.toBe(seed.integration.bot_user_id);
    expect(await editedSince("2025-08-10T15:45:00.000Z", true)).toEqual([pageId]);
  });
});

describe("created_time on the minute", () => {
  it("holds for every page and data source of the demo and generated seeds", () => {
    for (const workspace of [demoWorkspace(), scaleWorkspace({ pages: 500 })]) {
      const stamps = [...workspace.pages, ...workspace.data_sources].flatMap((object) => [
        String(object.created_time),
        String(object.last_edited_time),
      ]);
      expect(stamps.filter((stamp) => isoMinute(new Date(stamp)) !== stamp)).toEqual([]);
    }
  });

  it("holds for a page created mid-minute", async () => {
    clock.set(new Date("2025-08-11T08:15:44.900Z"));
    const created = (await session.notion.pages.create({
      parent: { type: "data_source_id", data_source_id: phasesId },
      properties: {},
    })) as Obj;
    expect(created.created_time).toBe("2025-08-11T08:15:00.000Z");
    const queried = await session.notion.dataSources.query({
      data_source_id: phasesId,
      filter: {
        timestamp: "created_time",
        created_time: { on_or_after: "2025-08-11T08:15:00.000Z" },
      },
    });
    expect((queried.results as Obj[]).map((page) => page.id)).toEqual([created.id]);
  });
});
