import { APIResponseError } from "@notionhq/client";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { ManualClock } from "../../src/emulator/clock.ts";
import type { SeedFile } from "../../src/emulator/seed-file.ts";
import { demoWorkspace } from "../../src/emulator/workspaces/demo/demo-workspace.ts";
import type { EmulatorSession } from "../support/emulator.ts";
import { openEmulator } from "../support/emulator.ts";
import { demoSourceId, pageWithType, pagesOf } from "../support/demo-lookups.ts";

// Notion's query cursors are session-scoped and expire (undocumented; reports say under a minute
// on a long walk). The emulator refuses a cursor older than its TTL (emulator clock), one it no
// longer remembers, and any cursor an `expire-cursor` fault picks, with Notion's own 400.

const clock = new ManualClock(new Date("2025-08-01T09:00:00.000Z"));
let session: EmulatorSession;
let seed: SeedFile;
let phasesId: string;

beforeAll(async () => {
  session = await openEmulator({ clock });
  seed = session.emulator.dump();
  phasesId = demoSourceId(seed, "phases");
});
afterEach(() => {
  session.emulator.faults.clear();
  session.emulator.setCursorTtl(60_000);
});
afterAll(() => session.stop());

const refusal = (cursor: string) => ({
  status: 400,
  code: "validation_error",
  message: `The start_cursor provided is invalid: ${cursor}`,
});

/** The cursor of the second batch of the phases, 5 at a time. */
async function secondBatchCursor(): Promise<string> {
  const first = await session.notion.dataSources.query({ data_source_id: phasesId, page_size: 5 });
  expect(first.has_more).toBe(true);
  return String(first.next_cursor);
}

const resume = (cursor: string) =>
  session.notion.dataSources.query({
    data_source_id: phasesId,
    page_size: 5,
    start_cursor: cursor,
  });

const refusedWith = (promise: Promise<unknown>) => promise.catch((error: unknown) => error);

describe("cursor age limit", () => {
  it("accepts a cursor up to 60 s old and refuses it past that, with Notion's message", async () => {
    const young = await secondBatchCursor();
    clock.advance(60_000);
    expect((await resume(young)).results).toHaveLength(5);

    const old = await secondBatchCursor();
    clock.advance(60_001);
    const error = await refusedWith(resume(old));
    expect(error).toBeInstanceOf(APIResponseError);
    expect(error).toMatchObject(refusal(old));
  });

  it("keeps cursors forever with setCursorTtl(false), and uses a shorter TTL when set", async () => {
    session.emulator.setCursorTtl(false);
    const kept = await secondBatchCursor();
    clock.advance(24 * 3_600_000);
    expect((await resume(kept)).results).toHaveLength(5);

    session.emulator.setCursorTtl(5_000);
    const short = await secondBatchCursor();
    clock.advance(5_001);
    expect(await refusedWith(resume(short))).toMatchObject(refusal(short));
  });

  it("takes the TTL from the options, and from the control API", async () => {
    const other = await openEmulator({ clock, cursorTtlMs: 1_000 });
    try {
      const sourceId = demoSourceId(other.emulator.dump(), "phases");
      const query = (cursor?: string) =>
        other.notion.dataSources.query({
          data_source_id: sourceId,
          page_size: 5,
          ...(cursor ? { start_cursor: cursor } : {}),
        });
      const cursor = String((await query()).next_cursor);
      clock.advance(1_001);
      expect(await refusedWith(query(cursor))).toMatchObject(refusal(cursor));

      const set = await fetch(`${other.emulator.url}/__emulator/limits`, {
        method: "POST",
        body: JSON.stringify({ cursorTtlMs: false }),
      });
      expect(await set.json()).toMatchObject({ cursorTtlMs: false });
      const kept = String((await query()).next_cursor);
      clock.advance(3_600_000);
      expect((await query(kept)).results).toHaveLength(5);
    } finally {
      await other.stop();
    }
  });

  it("expires search cursors too", async () => {
    const first = await session.notion.search({ page_size: 5 });
    const cursor = String(first.next_cursor);
    clock.advance(60_001);
    const error = await refusedWith(session.notion.search({ page_size: 5, start_cursor: cursor }));
    expect(error).toMatchObject(refusal(cursor));
  });

  it("refuses a well-formed cursor it never issued (or no longer remembers) instead of guessing a place", async () => {
    // Shaped like the emulator's own, naming a real page: an old emulator would resume there.
    const page = String(pagesOf(seed, phasesId)[3]?.id);
    const forged = `s:00000000-0000-4000-8000-00000000ffff:${page}`;
    expect(await refusedWith(resume(forged))).toMatchObject(refusal(forged));
    expect(await refusedWith(resume(page))).toMatchObject(refusal(page));
    const searched = await refusedWith(session.notion.search({ start_cursor: forged }));
    expect(searched).toMatchObject(refusal(forged));
  });

  it("refuses a cursor issued before the workspace was replaced", async () => {
    const cursor = await secondBatchCursor();
    session.emulator.reseed(demoWorkspace());
    expect(await refusedWith(resume(cursor))).toMatchObject(refusal(cursor));
  });
});

describe("the expire-cursor fault", () => {
  it("lets a request without a cursor pass uncounted, then refuses the next cursor with Notion's 400", async () => {
    const id = session.emulator.faults.add({
      method: "POST",
      path: "/v1/data_sources/*/query",
      nth: 1,
      action: { type: "expire-cursor" },
    });
    const cursor = await secondBatchCursor();
    const before = session.emulator.faults.list().find((rule) => rule.id === id);
    expect(before).toMatchObject({ seen: 0, acted: 0 });

    const error = await refusedWith(resume(cursor));
    expect(error).toMatchObject(refusal(cursor));
    expect(session.emulator.faults.list().find((rule) => rule.id === id)).toMatchObject({
      acted: 1,
    });
    const logged = session.emulator.log.all().at(-1);
    expect(logged).toMatchObject({ status: 400, fault: id, code: "validation_error" });

    // The cursor is gone for good, as an expired one is; a fresh walk works.
    expect(await refusedWith(resume(cursor))).toMatchObject(refusal(cursor));
    const again = await secondBatchCursor();
    expect((await resume(again)).results).toHaveLength(5);
  });

  it("counts nth among requests that carry a cursor, and works over the control API", async () => {
    const added = await fetch(`${session.emulator.url}/__emulator/faults`, {
      method: "POST",
      body: JSON.stringify({
        method: "POST",
        path: "/v1/data_sources/*/query",
        nth: 2,
        action: { type: "expire-cursor" },
      }),
    });
    expect(added.status).toBe(200);
    const { id } = (await added.json()) as { id: string };

    const first = await session.notion.dataSources.query({
      data_source_id: phasesId,
      page_size: 3,
    });
    const second = await resume(String(first.next_cursor)); // the first with a cursor: passes
    expect(second.results).toHaveLength(5);
    const cursor = String(second.next_cursor);
    expect(await refusedWith(resume(cursor))).toMatchObject(refusal(cursor));
    const rule = session.emulator.faults.list().find((live) => live.id === id);
    expect(rule).toMatchObject({ seen: 2, acted: 1 });
  });

  it("refuses the position cursor of the property endpoint (a query-string cursor) the same way", async () => {
    const { pageId, propertyId } = pageWithType(seed, "title");
    session.emulator.faults.add({
      method: "GET",
      path: "/v1/pages/*/properties/*",
      action: { type: "expire-cursor" },
      times: 1,
    });
    const plain = await session.notion.pages.properties.retrieve({
      page_id: pageId,
      property_id: propertyId,
    });
    expect(plain.object).toBe("list");
    const error = await refusedWith(
      session.notion.pages.properties.retrieve({
        page_id: pageId,
        property_id: propertyId,
        start_cursor: "0",
      }),
    );
    expect(error).toMatchObject(refusal("0"));
  });
});

describe("Notion's cursor message everywhere a cursor is refused", () => {
  it("users and the property endpoint word it as Notion does", async () => {
    const users = await refusedWith(session.notion.users.list({ start_cursor: "nobody" }));
    expect(users).toMatchObject(refusal("nobody"));
    const { pageId, propertyId } = pageWithType(seed, "title");
    const property = await refusedWith(
      session.notion.pages.properties.retrieve({
        page_id: pageId,
        property_id: propertyId,
        start_cursor: "nowhere",
      }),
    );
    expect(property).toMatchObject(refusal("nowhere"));
  });
});
