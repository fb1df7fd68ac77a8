import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import type { SeedFile } from "../../src/emulator/seed-file.ts";
import { scaleWorkspace } from "../../src/emulator/workspaces/scale-workspace.ts";
import type { EmulatorSession } from "../support/emulator.ts";
import { openEmulator } from "../support/emulator.ts";

// One query (one filter and sort) walks at most `queryResultLimit` results through its cursor
// chain, as Notion's 10,000: scaled down here to a few dozen on a 90-page data source.

type Obj = Record<string, unknown>;
type Answer = {
  results: Obj[];
  has_more: boolean;
  next_cursor: string | null;
  request_status?: unknown;
};

const PAGES = 90;
const CAP = 35;
const CAPPED = { type: "incomplete", incomplete_reason: "query_result_limit_reached" };
const COMPLETE = { type: "complete" };

/** 90 pages in one data source, three to a created_time minute (a window boundary falls inside one). */
function seedWithSharedMinutes(): SeedFile {
  const seed = scaleWorkspace({ pages: PAGES, dataSources: 1, seed: 5 });
  seed.pages.forEach((page, index) => {
    const minute = new Date(Date.UTC(2025, 6, 1, 9, Math.floor(index / 3))).toISOString();
    page.created_time = minute;
    for (const value of Object.values(page.properties as Record<string, Obj>)) {
      if (value.type === "created_time") value.created_time = minute;
    }
  });
  return seed;
}

let session: EmulatorSession;
let sourceId: string;

beforeAll(async () => {
  session = await openEmulator({ seed: seedWithSharedMinutes(), queryResultLimit: CAP });
  sourceId = String(session.emulator.dump().data_sources[0]?.id);
});
afterEach(() => session.emulator.setQueryResultLimit(CAP));
afterAll(() => session.stop());

const ids = (results: Obj[]) => results.map((page) => String(page.id));
const byCreated = [{ timestamp: "created_time" as const, direction: "ascending" as const }];

/** Every batch of one query's cursor chain, following next_cursor to its end. */
async function walk(query: (cursor: string | undefined) => Promise<unknown>): Promise<Answer[]> {
  const batches: Answer[] = [];
  let cursor: string | undefined;
  do {
    const answer = (await query(cursor)) as Answer;
    batches.push(answer);
    cursor = answer.next_cursor ?? undefined;
  } while (cursor);
  return batches;
}

const walkQuery = (extra: Record<string, unknown> = {}, pageSize = 10) =>
  walk((cursor) =>
    session.notion.dataSources.query({
      data_source_id: sourceId,
      page_size: pageSize,
      sorts: byCreated,
      ...extra,
      ...(cursor ? { start_cursor: cursor } : {}),
    }),
  );

/** The whole data source in created_time order, read with the cap lifted. */
async function everyPage(): Promise<string[]> {
  session.emulator.setQueryResultLimit(1_000);
  try {
    return (await walkQuery({}, 100)).flatMap((batch) => ids(batch.results));
  } finally {
    session.emulator.setQueryResultLimit(CAP);
  }
}

describe("the per-query result limit on data source queries", () => {
  it("stops a full walk at the cap: the batch that reaches it says has_more false, next_cursor null", async () => {
    const all = await everyPage();
    expect(all).toHaveLength(PAGES);
    const batches = await walkQuery();
    expect(batches.map((batch) => batch.results.length)).toEqual([10, 10, 10, 5]);
    const last = batches.at(-1);
    expect(last).toMatchObject({ has_more: false, next_cursor: null, request_status: CAPPED });
    expect(batches.flatMap((batch) => ids(batch.results))).toEqual(all.slice(0, CAP));
  });

  it("marks every batch of a capped query incomplete, not only the last", async () => {
    const batches = await walkQuery();
    expect(batches.map((batch) => batch.request_status)).toEqual(batches.map(() => CAPPED));
    expect(batches.slice(0, -1).every((batch) => batch.has_more)).toBe(true);
  });

  it("ends exactly at the cap when a batch boundary falls on it (page_size 7: five batches of 7)", async () => {
    const batches = await walkQuery({}, 7);
    expect(batches.map((batch) => batch.results.length)).toEqual([7, 7, 7, 7, 7]);
    expect(batches.at(-1)).toMatchObject({ has_more: false, next_cursor: null });
  });

  it("answers complete on every batch of a query whose matches fit under the cap, or equal it", async () => {
    const all = await everyPage();
    const under = await walkQuery({
      filter: {
        timestamp: "created_time",
        created_time: { on_or_after: "2025-07-01T09:20:00.000Z" },
      },
    });
    expect(under.flatMap((batch) => ids(batch.results))).toEqual(all.slice(60));
    expect(under.map((batch) => batch.request_status)).toEqual(under.map(() => COMPLETE));

    // Minutes 19 to 29 hold 33 pages: a cap of exactly 33 holds nothing back, 32 does.
    const after18 = {
      filter: { timestamp: "created_time", created_time: { after: "2025-07-01T09:18:00.000Z" } },
    };
    session.emulator.setQueryResultLimit(33);
    const atCap = await walkQuery(after18);
    expect(atCap.flatMap((batch) => ids(batch.results))).toEqual(all.slice(57));
    expect(atCap.map((batch) => batch.request_status)).toEqual(atCap.map(() => COMPLETE));
    session.emulator.setQueryResultLimit(32);
    const overCap = await walkQuery(after18);
    expect(overCap.flatMap((batch) => ids(batch.results))).toEqual(all.slice(57, 89));
    expect(overCap.map((batch) => batch.request_status)).toEqual(overCap.map(() => CAPPED));
  });

  it("gives a new query (a created_time window from the last row on) its own budget, so windows read everything", async () => {
    const all = await everyPage();
    const seen: string[] = [];
    let from: string | undefined;
    let windows = 0;
    for (;;) {
      windows += 1;
      const batches = await walkQuery(
        from ? { filter: { timestamp: "created_time", created_time: { on_or_after: from } } } : {},
      );
      const rows = batches.flatMap((batch) => batch.results);
      for (const id of ids(rows)) if (!seen.includes(id)) seen.push(id);
      if ((batches.at(-1)?.request_status as Obj | undefined)?.type === "complete") break;
      from = String(rows.at(-1)?.created_time);
      expect(windows).toBeLessThan(10);
    }
    expect(windows).toBe(3);
    expect(seen).toEqual(all);
  });

  it("ends the walk with an empty incomplete batch when pages added before a cursor push it past the cap", async () => {
    const newestFirst = [{ timestamp: "created_time" as const, direction: "descending" as const }];
    const query = (cursor?: string) =>
      session.notion.dataSources.query({
        data_source_id: sourceId,
        page_size: 10,
        sorts: newestFirst,
        ...(cursor ? { start_cursor: cursor } : {}),
      });
    try {
      let answer = await query();
      for (let batch = 1; batch < 3; batch += 1) answer = await query(answer.next_cursor ?? "");
      const cursor = String(answer.next_cursor); // resumes at position 30 of 35
      for (let i = 0; i < 8; i += 1) {
        await session.notion.pages.create({
          parent: { type: "data_source_id", data_source_id: sourceId },
          properties: {},
        });
      }
      // Eight newer pages sort first: the cursor's page is now at position 38.
      const past = await query(cursor);
      expect(past).toMatchObject({
        results: [],
        has_more: false,
        next_cursor: null,
        request_status: CAPPED,
      });
    } finally {
      session.emulator.reseed(seedWithSharedMinutes());
    }
  });

  it("puts request_status on every answer: empty, filtered, sorted by a property", async () => {
    const empty = await session.notion.dataSources.query({
      data_source_id: sourceId,
      filter: { property: "Name", title: { equals: "no such item" } },
    });
    expect(empty).toMatchObject({ results: [], has_more: false, request_status: COMPLETE });
    const sorted = await session.notion.dataSources.query({
      data_source_id: sourceId,
      sorts: [{ property: "Name", direction: "descending" }],
    });
    expect(sorted.results).toHaveLength(CAP);
    expect(sorted).toMatchObject({ has_more: false, next_cursor: null, request_status: CAPPED });
    const trashed = await session.notion.dataSources.query({
      data_source_id: sourceId,
      in_trash: true,
    });
    expect(trashed).toMatchObject({ request_status: COMPLETE });
  });

  it("is 10,000 unless set, and can be set over the control API", async () => {
    const plain = await openEmulator({ seed: seedWithSharedMinutes() });
    try {
      const whole = await plain.notion.dataSources.query({
        data_source_id: String(plain.emulator.dump().data_sources[0]?.id),
        page_size: 100,
      });
      expect(whole).toMatchObject({ has_more: false, request_status: COMPLETE });
      expect(whole.results).toHaveLength(PAGES);
      expect(plain.emulator.limits()).toEqual({ queryResultLimit: 10_000, cursorTtlMs: 60_000 });

      const set = await fetch(`${plain.emulator.url}/__emulator/limits`, {
        method: "POST",
        body: JSON.stringify({ queryResultLimit: 20 }),
      });
      expect(set.status).toBe(200);
      expect(await set.json()).toEqual({ queryResultLimit: 20, cursorTtlMs: 60_000 });
      const capped = await plain.notion.dataSources.query({
        data_source_id: String(plain.emulator.dump().data_sources[0]?.id),
        page_size: 100,
      });
      expect(capped.results).toHaveLength(20);
      expect(capped).toMatchObject({ has_more: false, request_status: CAPPED });

      for (const bad of [{ queryResultLimit: 0 }, { queryResultLimit: 2.5 }, { cursorTtlMs: -1 }]) {
        const refused = await fetch(`${plain.emulator.url}/__emulator/limits`, {
          method: "POST",
          body: JSON.stringify(bad),
        });
        expect(refused.status).toBe(400);
      }
      expect(plain.emulator.limits()).toEqual({ queryResultLimit: 20, cursorTtlMs: 60_000 });
    } finally {
      await plain.stop();
    }
  });
});

describe("the per-query result limit on search", () => {
  it("stops a search walk at the cap, every batch marked incomplete", async () => {
    const batches = await walk((cursor) =>
      session.notion.search({
        filter: { property: "object", value: "page" },
        page_size: 10,
        ...(cursor ? { start_cursor: cursor } : {}),
      }),
    );
    expect(batches.map((batch) => batch.results.length)).toEqual([10, 10, 10, 5]);
    expect(batches.at(-1)).toMatchObject({ has_more: false, next_cursor: null });
    expect(batches.map((batch) => batch.request_status)).toEqual(batches.map(() => CAPPED));
  });

  it("answers complete when the matches fit", async () => {
    const sources = await session.notion.search({
      filter: { property: "object", value: "data_source" },
    });
    expect(sources.results).toHaveLength(1);
    expect(sources).toMatchObject({ has_more: false, request_status: COMPLETE });
  });
});
