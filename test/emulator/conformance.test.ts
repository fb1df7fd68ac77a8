import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { SeedFile } from "../../src/emulator/seed-file.ts";
import type { EmulatorSession } from "../support/emulator.ts";
import { openEmulator } from "../support/emulator.ts";
import { demoSourceId, longestRelation, pageWithType, pagesOf } from "../support/demo-lookups.ts";
import { demoWithExtraTypes } from "../support/extra-types-seed.ts";
import {
  FIXTURES_DIR,
  MISSING_FIXTURES_MESSAGE,
  fixturesPresent,
  listFixtures,
  readFixture,
  shapeOptionsFor,
  sourceRow,
} from "../support/fixtures.ts";
import { NOT_EMULATED, RECORDED_KINDS, propertyTypeOf } from "../support/recorded-kinds.ts";
import { shapeDiff } from "../support/shape-diff.ts";

type Obj = Record<string, unknown>;

const REPO_ROOT = fileURLToPath(new URL("../../", import.meta.url));

let session: EmulatorSession;
let seed: SeedFile;

beforeAll(async () => {
  session = await openEmulator({ seed: demoWithExtraTypes() });
  seed = session.emulator.dump();
});
afterAll(() => session.stop());

/** The shape differences between each of our answers and each recording of the kind. */
function diffsAgainst(fixtures: readonly string[], answers: unknown[]): string[] {
  const out: string[] = [];
  for (const name of fixtures) {
    const recorded = readFixture(name);
    for (const answer of answers) {
      for (const line of shapeDiff(answer, recorded, shapeOptionsFor(name)))
        out.push(`${name}: ${line}`);
    }
  }
  return [...new Set(out)];
}

const get = (path: string) => session.fetchRaw(path).then((answer) => answer.json);
const hasMention = (value: Obj) =>
  ((value.rich_text as Obj[] | undefined) ?? []).some((item) => item.type === "mention");

describe("recorded Notion responses", () => {
  it("are in the repository (test/fixtures/notion-recorded), needing nothing outside the clone", () => {
    expect(fixturesPresent(), MISSING_FIXTURES_MESSAGE).toBe(true);
    expect(FIXTURES_DIR.startsWith(REPO_ROOT)).toBe(true);
  });

  it("include every recording the conformance tests name", () => {
    const named = [...Object.values(RECORDED_KINDS).flat(), ...Object.keys(NOT_EMULATED)];
    const present = new Set(listFixtures());
    expect(named.filter((name) => !present.has(name))).toEqual([]);
  });

  it("are each listed in SOURCES.md with where it was recorded and a licence that allows redistribution", () => {
    const problems = listFixtures().flatMap((name) => {
      let row: string[];
      try {
        row = sourceRow(name);
      } catch (error) {
        return [(error as Error).message];
      }
      const [, repository, licence, location, commit, version] = row;
      if (row.length !== 6) return [`${name}: ${row.length} columns`];
      if (!repository || !location || !commit || !version) return [`${name}: incomplete row`];
      return /^MIT\b/.test(licence ?? "") ? [] : [`${name}: licence "${licence}"`];
    });
    expect(problems).toEqual([]);
  });

  it("are each classified as a kind the emulator answers, or as not emulated", () => {
    const classified = new Set([
      ...Object.values(RECORDED_KINDS).flat(),
      ...Object.keys(NOT_EMULATED),
    ]);
    const unclassified = listFixtures().filter(
      (name) => !classified.has(name) && propertyTypeOf(name) === undefined,
    );
    expect(unclassified).toEqual([]);
  });
});

describe("the emulator's answers have the recorded shapes", () => {
  it("page retrieve", async () => {
    const ids = [
      longestRelation(seed).pageId,
      pageWithType(seed, "rich_text", hasMention).pageId,
      ...seed.data_sources.map((source) => String(pagesOf(seed, String(source.id))[0]?.id)),
    ];
    const answers = await Promise.all(ids.map((id) => get(`/v1/pages/${id}`)));
    expect(diffsAgainst(RECORDED_KINDS.pageRetrieve, answers)).toEqual([]);
  });

  it("page update", async () => {
    const phase = String(pagesOf(seed, demoSourceId(seed, "phases"))[1]?.id);
    const patch = (body: Obj) => session.fetchRaw(`/v1/pages/${phase}`, { method: "PATCH", body });
    const answers = [
      await patch({ properties: { "Phase type": { select: { name: "Build" } } } }),
      await patch({ properties: { status: { status: { name: "Active" } } } }),
      await patch({
        properties: { Dates: { date: { start: "2024-01-08T12:00:00Z", time_zone: "UTC" } } },
      }),
      await patch({ icon: { type: "emoji", emoji: "🛴" } }),
    ];
    expect(answers.map((answer) => answer.status)).toEqual([200, 200, 200, 200]);
    const bodies = answers.map((answer) => answer.json);
    expect(diffsAgainst(RECORDED_KINDS.pageUpdate, bodies)).toEqual([]);
  });

  it("data source retrieve", async () => {
    const answers = await Promise.all(
      seed.data_sources.map((source) => get(`/v1/data_sources/${String(source.id)}`)),
    );
    expect(diffsAgainst(RECORDED_KINDS.dataSourceRetrieve, answers)).toEqual([]);
  });

  it("database retrieve", async () => {
    const answers = await Promise.all(
      seed.databases.map((database) => get(`/v1/databases/${String(database.id)}`)),
    );
    expect(diffsAgainst(RECORDED_KINDS.databaseRetrieve, answers)).toEqual([]);
  });

  it("data source query: a first page, a last page, an empty result, a compound filter", async () => {
    const phases = demoSourceId(seed, "phases");
    const query = (body: Obj) =>
      session
        .fetchRaw(`/v1/data_sources/${phases}/query`, { method: "POST", body })
        .then((answer) => answer.json);
    const first = await query({ page_size: 30 });
    const answers = [
      first,
      await query({ page_size: 30, start_cursor: first.next_cursor }),
      await query({
        filter: { timestamp: "last_edited_time", last_edited_time: { before: "2001-01-01" } },
      }),
      await query({
        filter: {
          and: [
            { property: "Progress", number: { greater_than: 0 } },
            { timestamp: "last_edited_time", last_edited_time: { on_or_before: "2030-01-01" } },
          ],
        },
        sorts: [{ property: "Progress", direction: "descending" }],
      }),
    ];
    expect(first.has_more).toBe(true);
    expect(diffsAgainst(RECORDED_KINDS.dataSourceQuery, answers)).toEqual([]);
  });

  it("search, for pages and for data sources", async () => {
    const search = (body: Obj) =>
      session.fetchRaw("/v1/search", { method: "POST", body }).then((answer) => answer.json);
    const answers = [
      await search({ filter: { property: "object", value: "page" }, page_size: 20 }),
      await search({ filter: { property: "object", value: "data_source" }, page_size: 100 }),
    ];
    expect(diffsAgainst(RECORDED_KINDS.search, answers)).toEqual([]);
  });

  it("property items, list and single, of every recorded type", async () => {
    // A write by the integration makes "Last edited by" the bot, as in the recordings.
    const project = String(pagesOf(seed, demoSourceId(seed, "projects"))[0]?.id);
    await session.notion.pages.update({ page_id: project, properties: { Budget: { number: 1 } } });
    const after = session.emulator.dump();
    const out: string[] = [];
    const recordings = listFixtures().filter((name) => propertyTypeOf(name) !== undefined);
    expect(recordings.length).toBeGreaterThan(20);
    for (const name of recordings) {
      const type = String(propertyTypeOf(name));
      const filled = (value: Obj) =>
        !Array.isArray(value[type]) || (value[type] as unknown[]).length > 0;
      const found =
        type === "last_edited_by"
          ? { pageId: project, propertyId: "LRcE" }
          : pageWithType(after, type, filled);
      const answer = await get(`/v1/pages/${found.pageId}/properties/${found.propertyId}`);
      out.push(...diffsAgainst([name], [answer]));
    }
    expect(out).toEqual([]);
  });
});
