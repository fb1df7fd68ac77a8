import { APIResponseError } from "@notionhq/client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { SeedFile } from "../../src/emulator/seed-file.ts";
import { DEMO_DATA_SOURCES } from "../../src/emulator/workspaces/demo/demo-facts.ts";
import type { EmulatorSession } from "../support/emulator.ts";
import { openEmulator } from "../support/emulator.ts";

let session: EmulatorSession;
let seed: SeedFile;

beforeAll(async () => {
  session = await openEmulator();
  seed = session.emulator.dump();
});
afterAll(() => session.stop());

type Found = { object: string; id: string; last_edited_time?: string };

async function searchAll(
  body: Parameters<EmulatorSession["notion"]["search"]>[0],
): Promise<{ results: Found[]; requests: number }> {
  const results: Found[] = [];
  let cursor = body.start_cursor ?? undefined;
  let requests = 0;
  do {
    const answer = await session.notion.search({ ...body, start_cursor: cursor });
    requests += 1;
    results.push(...(answer.results as Found[]));
    expect(answer.has_more).toBe(answer.next_cursor !== null);
    cursor = answer.next_cursor ?? undefined;
  } while (cursor);
  return { results, requests };
}

const isOrdered = (times: string[], direction: "ascending" | "descending") =>
  times.every((time, index) => {
    const previous = times[index - 1];
    if (previous === undefined) return true;
    return direction === "ascending" ? previous <= time : previous >= time;
  });

describe("POST /v1/search", () => {
  it("finds only data sources with the data_source filter", async () => {
    const answer = await session.notion.search({
      filter: { property: "object", value: "data_source" },
    });
    expect(answer.object).toBe("list");
    expect(answer.type).toBe("page_or_data_source");
    expect(answer.results.map((item) => item.object)).toEqual(
      seed.data_sources.map(() => "data_source"),
    );
    expect(new Set(answer.results.map((item) => item.id))).toEqual(
      new Set(seed.data_sources.map((source) => source.id)),
    );
  });

  it("finds only pages with the page filter, across cursor pages", async () => {
    const { results } = await searchAll({
      filter: { property: "object", value: "page" },
      page_size: 100,
    });
    expect(results.every((item) => item.object === "page")).toBe(true);
    expect(results).toHaveLength(seed.pages.length);
  });

  it("sorts by last_edited_time in either direction", async () => {
    for (const direction of ["ascending", "descending"] as const) {
      const { results } = await searchAll({
        sort: { timestamp: "last_edited_time", direction },
        page_size: 100,
      });
      const times = results.map((item) => String(item.last_edited_time));
      expect(isOrdered(times, direction), direction).toBe(true);
      expect(times[0]).not.toBe(times[times.length - 1]);
    }
  });

  it("matches the query text against titles, case-insensitively", async () => {
    const answer = await session.notion.search({
      query: "wt phase",
      filter: { property: "object", value: "data_source" },
    });
    expect(answer.results).toHaveLength(1);
    const [only] = answer.results;
    expect(only && "title" in only ? only.title.map((item) => item.plain_text).join("") : "").toBe(
      DEMO_DATA_SOURCES.phases,
    );

    const none = await session.notion.search({ query: "no title holds this text" });
    expect(none.results).toEqual([]);
    expect(none.has_more).toBe(false);
    expect(none.next_cursor).toBeNull();
  });

  it("walks every result with a small page_size, without duplicates or misses", async () => {
    const { results, requests } = await searchAll({ page_size: 7 });
    const ids = results.map((item) => item.id);
    const everything = [...seed.data_sources, ...seed.pages].map((item) => String(item.id));
    expect(new Set(ids).size).toBe(ids.length);
    expect(new Set(ids)).toEqual(new Set(everything));
    expect(requests).toBe(Math.ceil(everything.length / 7));
  });

  it("misses nothing unchanged when the next result is edited between two requests", async () => {
    const sort = { timestamp: "last_edited_time" as const, direction: "ascending" as const };
    const filter = { property: "object" as const, value: "page" as const };
    const whole = (await searchAll({ filter, sort })).results.map((item) => item.id);
    const first = await session.notion.search({ filter, sort, page_size: 10 });
    const walked = first.results.map((item) => item.id);
    const next = whole[10] ?? "";
    session.emulator.editAsPerson({ pageId: next, inTrash: false });
    const rest = await searchAll({ filter, sort, page_size: 10, start_cursor: first.next_cursor });
    walked.push(...rest.results.map((item) => item.id));
    expect(walked).toHaveLength(whole.length);
    expect(new Set(walked)).toEqual(new Set(whole));
    expect(walked[walked.length - 1]).toBe(next);
  });

  it("refuses a filter on an object kind it does not know with 400 validation_error", async () => {
    const error = await session.notion
      .search({ filter: { property: "object", value: "database" as "page" } })
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(APIResponseError);
    expect(error).toMatchObject({ status: 400, code: "validation_error" });
  });

  it("refuses a page_size over 100", async () => {
    const error = await session.notion
      .search({ page_size: 101 })
      .catch((caught: unknown) => caught);
    expect(error).toMatchObject({ status: 400, code: "validation_error" });
  });
});
