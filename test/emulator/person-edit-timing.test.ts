import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { ManualClock } from "../../src/emulator/clock.ts";
import { demoWorkspace } from "../../src/emulator/workspaces/demo/demo-workspace.ts";
import { firstWritableTextPage } from "../support/demo-lookups.ts";
import type { EmulatorSession } from "../support/emulator.ts";
import { openEmulator } from "../support/emulator.ts";

// Two ways an edit can reach a client "late": the query index trails the write (visibleAfterMs),
// or the edit carries a time earlier than when it was made (backdateMs). Both are person-edit
// options, through the control API, in-process, and in mutate fault rules.

type Obj = Record<string, unknown>;

const clock = new ManualClock(new Date("2025-07-29T10:05:10Z"));
let session: EmulatorSession;
let pageId: string;
let property: string;
let dataSourceId: string;

beforeAll(async () => {
  session = await openEmulator({ clock });
  ({ pageId, property, dataSourceId } = firstWritableTextPage(session.emulator.dump()));
});
afterEach(() => {
  session.emulator.reseed(demoWorkspace());
  session.emulator.faults.clear();
});
afterAll(() => session.stop());

const note = (content: string) => ({ [property]: { rich_text: [{ text: { content } }] } });
const textOf = (page: Obj): string =>
  (
    ((page.properties as Record<string, Obj>)[property]?.rich_text ?? []) as Array<{
      plain_text: string;
    }>
  )
    .map((item) => item.plain_text)
    .join("");

/** The page as a query of its data source answers it (sorted, filtered on last_edited_time). */
async function queried(onOrAfter?: string): Promise<Obj | undefined> {
  const answer = await session.notion.dataSources.query({
    data_source_id: dataSourceId,
    page_size: 100,
    sorts: [{ timestamp: "last_edited_time", direction: "ascending" }],
    ...(onOrAfter
      ? { filter: { timestamp: "last_edited_time", last_edited_time: { on_or_after: onOrAfter } } }
      : {}),
  });
  return (answer.results as Obj[]).find((page) => page.id === pageId);
}

async function searched(): Promise<Obj | undefined> {
  const workspace = session.emulator.workspace();
  const answer = await session.notion.search({
    query: workspace.pageTitle(workspace.pages.get(pageId) ?? {}),
    filter: { property: "object", value: "page" },
    page_size: 100,
  });
  return (answer.results as Obj[]).find((page) => page.id === pageId);
}

describe("an edit the query index has not caught up with (visibleAfterMs)", () => {
  it("is in GET at once, but queries and search show the page as before until the time has passed", async () => {
    const before = await session.notion.pages.retrieve({ page_id: pageId });
    session.emulator.editAsPerson({ pageId, properties: note("late"), visibleAfterMs: 90_000 });

    const live = (await session.notion.pages.retrieve({ page_id: pageId })) as Obj;
    expect(textOf(live)).toBe("late");
    expect(live.last_edited_time).toBe("2025-07-29T10:05:00.000Z");
    const stale = await queried();
    expect(stale && textOf(stale)).toBe(textOf(before as Obj));
    expect(stale?.last_edited_time).toBe((before as Obj).last_edited_time);
    expect(await queried("2025-07-29T10:05:00.000Z")).toBeUndefined();
    expect((await searched())?.last_edited_time).toBe((before as Obj).last_edited_time);

    clock.advance(89_000);
    expect(await queried("2025-07-29T10:05:00.000Z")).toBeUndefined();
    clock.advance(1_000);
    const caughtUp = await queried("2025-07-29T10:05:00.000Z");
    expect(caughtUp && textOf(caughtUp)).toBe("late");
    expect(caughtUp?.last_edited_time).toBe("2025-07-29T10:05:00.000Z");
    expect(textOf((await searched()) ?? {})).toBe("late");
  });

  it("a second lagging edit keeps the first version in queries until the later time", async () => {
    const before = (await session.notion.pages.retrieve({ page_id: pageId })) as Obj;
    session.emulator.editAsPerson({ pageId, properties: note("one"), visibleAfterMs: 10_000 });
    clock.advance(5_000);
    session.emulator.editAsPerson({ pageId, properties: note("two"), visibleAfterMs: 10_000 });
    clock.advance(6_000);
    expect(textOf((await queried()) ?? {})).toBe(textOf(before));
    clock.advance(4_000);
    expect(textOf((await queried()) ?? {})).toBe("two");
  });

  it("works in a mutate fault rule and through the control API, which refuses a bad value", async () => {
    session.emulator.faults.add({
      method: "GET",
      path: "/v1/users/me",
      nth: 1,
      action: {
        type: "mutate",
        edit: { pageId, properties: note("ruled"), visibleAfterMs: 1_000 },
      },
    });
    await session.notion.users.me({});
    expect(textOf((await session.notion.pages.retrieve({ page_id: pageId })) as Obj)).toBe("ruled");
    expect(textOf((await queried()) ?? {})).not.toBe("ruled");
    clock.advance(1_000);
    expect(textOf((await queried()) ?? {})).toBe("ruled");

    const control = (body: unknown) =>
      fetch(`${session.emulator.url}/__emulator/edits`, {
        method: "POST",
        body: JSON.stringify(body),
      });
    const refused = await control({ pageId, properties: note("x"), visibleAfterMs: -1 });
    expect(refused.status).toBe(400);
    expect(((await refused.json()) as Obj).error).toMatch(/visibleAfterMs must be a number/);
    expect(() =>
      session.emulator.faults.add({
        action: { type: "mutate", edit: { pageId, backdateMs: Number.NaN } },
      }),
    ).toThrow(/backdateMs must be a number/);
    const accepted = await control({ pageId, properties: note("over http"), visibleAfterMs: 500 });
    expect(accepted.status).toBe(200);
    expect(textOf((await queried()) ?? {})).toBe("ruled");
  });
});

describe("an edit stamped in the past (backdateMs)", () => {
  it("carries a last_edited_time that far back, rounded down to the minute, and is queried by it", async () => {
    clock.set(new Date("2025-07-29T10:07:10Z"));
    const answer = await fetch(`${session.emulator.url}/__emulator/edits`, {
      method: "POST",
      body: JSON.stringify({ pageId, properties: note("skewed"), backdateMs: 150_000 }),
    });
    expect(answer.status).toBe(200);
    const live = (await session.notion.pages.retrieve({ page_id: pageId })) as Obj;
    expect(textOf(live)).toBe("skewed");
    expect(live.last_edited_time).toBe("2025-07-29T10:04:00.000Z");
    expect(await queried("2025-07-29T10:05:00.000Z")).toBeUndefined();
    expect(textOf((await queried("2025-07-29T10:04:00.000Z")) ?? {})).toBe("skewed");
    const journal = session.emulator.workspace().journal.all().at(-1);
    expect(journal).toMatchObject({ pageId, actor: "person" });
  });
});
