import { describe, expect, it } from "vitest";
import type { Json, JsonObject } from "../../src/emulator/json.ts";
import { isObject } from "../../src/emulator/json.ts";
import type { SeedFile } from "../../src/emulator/seed-file.ts";
import {
  DEMO_CANONICAL_SOURCES,
  DEMO_DATA_SOURCES,
  DEMO_FACTS,
  DEMO_PAGE_COUNTS,
  DEMO_PROPERTIES,
} from "../../src/emulator/workspaces/demo/demo-facts.ts";
import { demoWorkspace } from "../../src/emulator/workspaces/demo/demo-workspace.ts";
import { scaleWorkspace } from "../../src/emulator/workspaces/scale-workspace.ts";
import { MISSING_FIXTURES_MESSAGE, fixturesPresent, readFixture } from "../support/fixtures.ts";
import { shapeDiff, withoutKeys } from "../support/shape-diff.ts";

const P = DEMO_PROPERTIES;

function obj(value: Json | undefined): JsonObject {
  if (!isObject(value)) throw new Error(`expected an object, got ${JSON.stringify(value)}`);
  return value;
}

function arr(value: Json | undefined): Json[] {
  if (!Array.isArray(value)) throw new Error(`expected an array, got ${JSON.stringify(value)}`);
  return value;
}

function plain(items: Json | undefined): string {
  return arr(items)
    .map((item) => String(obj(item).plain_text))
    .join("");
}

function titleOf(object: JsonObject): string {
  return plain(object.title);
}

function sourceByTitle(seed: SeedFile, title: string): JsonObject {
  const found = seed.data_sources.find((source) => titleOf(source) === title);
  if (!found) throw new Error(`no data source ${title}`);
  return found;
}

function pagesOf(seed: SeedFile, source: JsonObject): JsonObject[] {
  return seed.pages.filter((page) => obj(page.parent).data_source_id === source.id);
}

function prop(page: JsonObject, name: string): JsonObject {
  return obj(obj(page.properties)[name]);
}

function valueOf(page: JsonObject, name: string): Json {
  const property = prop(page, name);
  return property[String(property.type)] ?? null;
}

function isEmptyValue(value: Json): boolean {
  return value === null || (Array.isArray(value) && value.length === 0);
}

const demo = demoWorkspace();
const phases = pagesOf(demo, sourceByTitle(demo, DEMO_DATA_SOURCES.phases));
const projects = pagesOf(demo, sourceByTitle(demo, DEMO_DATA_SOURCES.projects));

describe("demo workspace", () => {
  it("has twelve canonical data sources holding 105 pages, plus the tracker", () => {
    expect(demo.data_sources).toHaveLength(13);
    expect(demo.databases).toHaveLength(13);
    const canonical = DEMO_CANONICAL_SOURCES.map((key) =>
      sourceByTitle(demo, DEMO_DATA_SOURCES[key]),
    );
    expect(canonical).toHaveLength(DEMO_FACTS.canonicalDataSources);
    const records = canonical.reduce((sum, source) => sum + pagesOf(demo, source).length, 0);
    expect(records).toBe(DEMO_FACTS.records);
    for (const [key, title] of Object.entries(DEMO_DATA_SOURCES)) {
      expect(pagesOf(demo, sourceByTitle(demo, title)).length, title).toBe(
        DEMO_PAGE_COUNTS[key as keyof typeof DEMO_DATA_SOURCES],
      );
    }
    const tracker = pagesOf(demo, sourceByTitle(demo, DEMO_DATA_SOURCES.tracker));
    expect(tracker.map((page) => plain(valueOf(page, P.trackerRunId)))).toEqual(
      DEMO_FACTS.trackerRunIds,
    );
  });

  it("leaves exactly the fields of the WT-8.0.4 report empty", () => {
    expect(phases.filter((page) => valueOf(page, P.phaseStatus) === null)).toHaveLength(
      DEMO_FACTS.emptyPhaseStatus,
    );
    expect(phases.filter((page) => isEmptyValue(valueOf(page, P.phaseProjectId)))).toHaveLength(
      DEMO_FACTS.emptyPhaseProjectId,
    );
    expect(projects.filter((page) => isEmptyValue(valueOf(page, P.projectID)))).toHaveLength(
      DEMO_FACTS.emptyProjectID,
    );
    expect(projects.filter((page) => isEmptyValue(valueOf(page, P.projectKeyTasks)))).toHaveLength(
      0,
    );
    expect(prop(phases[0] ?? {}, P.phaseStatus).type).toBe("status");
    expect(prop(phases[0] ?? {}, P.phaseProjectId).type).toBe("relation");
    expect(prop(projects[0] ?? {}, P.projectID).type).toBe("rich_text");
  });

  it("lets projectCode = projectID (and the title prefix) link each unlinked phase to one project", () => {
    const unlinked = phases.filter((page) => isEmptyValue(valueOf(page, P.phaseProjectId)));
    let matched = 0;
    for (const phase of unlinked) {
      const code = plain(valueOf(phase, P.phaseProjectCode));
      const byCode = projects.filter((project) => plain(valueOf(project, P.projectID)) === code);
      const byTitle = projects.filter((project) =>
        plain(valueOf(phase, P.phaseTitle)).startsWith(
          `${plain(valueOf(project, P.projectTitle))} — `,
        ),
      );
      expect(byCode, code).toHaveLength(1);
      expect(byTitle.map((p) => p.id)).toEqual(byCode.map((p) => p.id));
      matched += 1;
    }
    expect(matched).toBe(DEMO_FACTS.matchablePhaseProjectId);
  });

  it("has a page with more than 25 relations, in full", () => {
    const longest = Math.max(
      ...demo.pages.flatMap((page) =>
        Object.values(obj(page.properties)).map((p) =>
          obj(p).type === "relation" ? arr(obj(p).relation).length : 0,
        ),
      ),
    );
    expect(longest).toBe(DEMO_FACTS.maxRelationLength);
    expect(longest).toBeGreaterThan(25);
  });

  it("uses every writable and read-only property type with a value", () => {
    const used = new Set<string>();
    for (const page of demo.pages) {
      for (const value of Object.values(obj(page.properties))) {
        const property = obj(value);
        const inner = property[String(property.type)] ?? null;
        if (!isEmptyValue(inner) && inner !== false) used.add(String(property.type));
      }
    }
    const types = [
      "title",
      "rich_text",
      "number",
      "select",
      "multi_select",
      "status",
      "date",
      "people",
      "files",
      "checkbox",
      "url",
      "email",
      "phone_number",
      "relation",
    ];
    const readOnly = [
      "formula",
      "rollup",
      "created_time",
      "created_by",
      "last_edited_time",
      "last_edited_by",
      "unique_id",
    ];
    for (const type of [...types, ...readOnly]) expect(used, type).toContain(type);
  });

  it("uses annotations, links, user and page mentions, date ranges and UTC offsets", () => {
    const items = demo.pages.flatMap((page) =>
      Object.values(obj(page.properties)).flatMap((p) => {
        const property = obj(p);
        return property.type === "rich_text" || property.type === "title"
          ? arr(property[String(property.type)]).map(obj)
          : [];
      }),
    );
    expect(
      items.some((item) =>
        Object.entries(obj(item.annotations)).some(([k, v]) =>
          k === "color" ? v !== "default" : v === true,
        ),
      ),
    ).toBe(true);
    expect(
      items.some(
        (item) =>
          item.type === "text" && item.href !== null && obj(obj(item.text).link).url === item.href,
      ),
    ).toBe(true);
    expect(items.some((item) => item.type === "mention" && obj(item.mention).type === "user")).toBe(
      true,
    );
    expect(items.some((item) => item.type === "mention" && obj(item.mention).type === "page")).toBe(
      true,
    );
    const dates = demo.pages.flatMap((page) =>
      Object.values(obj(page.properties)).flatMap((p) =>
        obj(p).type === "date" && obj(p).date !== null ? [obj(obj(p).date)] : [],
      ),
    );
    expect(dates.some((d) => d.end === null)).toBe(true);
    expect(dates.some((d) => d.end !== null)).toBe(true);
    expect(
      dates.some(
        (d) =>
          /T\d\d:\d\d:\d\d\.\d{3}[+-]\d\d:\d\d$/.test(String(d.start)) &&
          !String(d.start).endsWith("+00:00"),
      ),
    ).toBe(true);
  });

  it("has one bot user for the integration and 5–8 people", () => {
    const bots = demo.users.filter((user) => user.type === "bot");
    expect(bots.map((bot) => bot.id)).toEqual([demo.integration.bot_user_id]);
    expect(obj(bots[0]?.bot).owner).toEqual({ type: "workspace", workspace: true });
    const people = demo.users.filter((user) => user.type === "person");
    expect(people.length).toBeGreaterThanOrEqual(5);
    expect(people.length).toBeLessThanOrEqual(8);
  });

  it("describes the tracker and the backfill data sources as documented", () => {
    const schema = (title: string) =>
      Object.fromEntries(
        Object.values(obj(sourceByTitle(demo, title).properties)).map((p) => [
          obj(p).name,
          obj(p).type,
        ]),
      );
    expect(schema(DEMO_DATA_SOURCES.tracker)).toEqual({
      Task: "title",
      Status: "status",
      "Records Affected": "number",
      "Execution Mode": "select",
      Notes: "rich_text",
      "Run ID": "rich_text",
      Date: "date",
    });
    expect(schema(DEMO_DATA_SOURCES.phases)).toMatchObject({
      status: "status",
      projectId: "relation",
      projectCode: "rich_text",
    });
    expect(schema(DEMO_DATA_SOURCES.projects)).toMatchObject({
      projectID: "rich_text",
      keyTasks: "rich_text",
    });
  });

  it("is deterministic", () => {
    expect(demoWorkspace()).toEqual(demo);
  });

  it("keeps page and data source timestamps on the minute in July 2025", () => {
    for (const object of [...demo.pages, ...demo.data_sources]) {
      for (const key of ["created_time", "last_edited_time"]) {
        expect(String(object[key])).toMatch(/^2025-07-\d\dT\d\d:\d\d:00\.000Z$/);
      }
      expect(String(object.created_time) <= String(object.last_edited_time)).toBe(true);
    }
  });

  it("stamps each database to the millisecond (+00:00) within its data source's minute", () => {
    for (const database of demo.databases) {
      const source = demo.data_sources.find(
        (candidate) => candidate.id === obj(arr(database.data_sources)[0]).id,
      );
      if (!source) throw new Error(`database ${String(database.id)} has no data source`);
      for (const key of ["created_time", "last_edited_time"]) {
        const stamped = String(database[key]);
        expect(stamped).toMatch(/^2025-07-\d\dT\d\d:\d\d:\d\d\.\d{3}\+00:00$/);
        expect(Math.floor(Date.parse(stamped) / 60_000) * 60_000).toBe(
          Date.parse(String(source[key])),
        );
      }
    }
  });
});

/** Checks every page against its schema, every relation target, and two-way relations. */
function checkConsistency(seed: SeedFile): void {
  const sources = new Map(seed.data_sources.map((source) => [String(source.id), source]));
  const pageSource = new Map(
    seed.pages.map((page) => [String(page.id), String(obj(page.parent).data_source_id)]),
  );
  const pagesById = new Map(seed.pages.map((page) => [String(page.id), page]));
  const userIds = new Set(seed.users.map((user) => String(user.id)));
  for (const database of seed.databases) {
    for (const entry of arr(database.data_sources))
      expect(sources.has(String(obj(entry).id))).toBe(true);
  }
  for (const page of seed.pages) {
    const source = sources.get(String(obj(page.parent).data_source_id));
    if (!source) throw new Error(`page ${String(page.id)} has no data source`);
    expect(obj(page.parent).database_id).toBe(obj(source.parent).database_id);
    const schema = obj(source.properties);
    const properties = obj(page.properties);
    expect(Object.keys(properties)).toEqual(Object.keys(schema));
    for (const [name, raw] of Object.entries(properties)) {
      const value = obj(raw);
      const declared = obj(schema[name]);
      expect([value.id, value.type]).toEqual([declared.id, declared.type]);
      if (value.type === "relation") {
        const config = obj(declared.relation);
        expect(value.has_more).toBe(false);
        for (const target of arr(value.relation).map((t) => String(obj(t).id))) {
          expect(pageSource.get(target), `${name} → ${target}`).toBe(config.data_source_id);
          if (config.type === "dual_property") {
            const synced = String(obj(config.dual_property).synced_property_name);
            const back = arr(obj(obj(pagesById.get(target)?.properties)[synced]).relation).map(
              (t) => obj(t).id,
            );
            expect(back).toContain(page.id);
          }
        }
      }
      if (value.type === "people") {
        for (const user of arr(value.people)) expect(userIds.has(String(obj(user).id))).toBe(true);
      }
      if (value.type === "select" || value.type === "status") {
        const option = value[String(value.type)] ?? null;
        if (option !== null) {
          const options = arr(obj(declared[String(value.type)]).options).map((o) => obj(o).id);
          expect(options).toContain(obj(option).id);
        }
      }
    }
    expect(userIds.has(String(obj(page.created_by).id))).toBe(true);
  }
}

describe("workspace consistency", () => {
  it("demo pages match their schemas and relations point into their target data sources", () => {
    checkConsistency(demo);
  });

  it("scale pages match their schemas and relations point into their target data sources", () => {
    checkConsistency(scaleWorkspace({ pages: 1000 }));
  });
});

describe("shapes match recorded Notion responses", () => {
  it("finds the recorded fixtures beside the repo", () => {
    expect(fixturesPresent(), MISSING_FIXTURES_MESSAGE).toBe(true);
  });

  it("data sources match GET /v1/data_sources (2025-09-03)", () => {
    const recorded = readFixture("un_data_source_all_property_types_2025-09-03.json");
    const out: string[] = [];
    for (const source of demo.data_sources) {
      out.push(
        ...shapeDiff(
          withoutKeys(source, "database_parent"),
          withoutKeys(recorded, "database_parent"),
        ),
      );
      expect(source.database_parent).toEqual({ type: "workspace", workspace: true });
    }
    expect(out).toEqual([]);
  });

  it("databases match GET /v1/databases (2025-09-03)", () => {
    const recorded = readFixture("py_database_retrieve.json");
    const out: string[] = [];
    for (const database of demo.databases) {
      out.push(...shapeDiff(withoutKeys(database, "parent"), withoutKeys(recorded, "parent")));
      expect(database.parent).toEqual({ type: "workspace", workspace: true });
    }
    expect(out).toEqual([]);
  });

  it("pages match GET /v1/pages and the recorded property values", () => {
    const envelope = readFixture("un_page_retrieve_2025-09-03.json");
    const allTypes = obj(
      arr(readFixture("un_ds_query_all_property_types_page.json").results as Json)[0],
    );
    const mentions = readFixture("un_page_rich_text_100_items_with_user_mentions.json");
    const out: string[] = [];
    for (const page of demo.pages) {
      out.push(
        ...shapeDiff(
          withoutKeys(page, "parent", "properties"),
          withoutKeys(envelope, "parent", "properties"),
        ),
        ...shapeDiff(page.parent, allTypes.parent),
        ...shapeDiff({ properties: page.properties }, { properties: allTypes.properties }),
        ...shapeDiff({ properties: page.properties }, { properties: mentions.properties }),
      );
    }
    expect(out).toEqual([]);
  });
});

describe("scale workspace", () => {
  it("builds the requested number of pages over twelve data sources", () => {
    const seed = scaleWorkspace({ pages: 1000 });
    expect(seed.pages).toHaveLength(1000);
    expect(seed.data_sources).toHaveLength(12);
    expect(new Set(seed.pages.map((page) => page.id)).size).toBe(1000);
    const longest = Math.max(
      ...seed.pages.flatMap((page) =>
        Object.values(obj(page.properties)).map((p) =>
          obj(p).type === "relation" ? arr(obj(p).relation).length : 0,
        ),
      ),
    );
    expect(longest).toBeGreaterThan(25);
    expect(scaleWorkspace({ pages: 1000 })).toEqual(seed);
    expect(scaleWorkspace({ pages: 7, dataSources: 3, seed: 9 }).pages).toHaveLength(7);
  });

  it("builds 100,000 pages in a few seconds", () => {
    const started = performance.now();
    const seed = scaleWorkspace({ pages: 100_000 });
    const elapsed = performance.now() - started;
    expect(seed.pages).toHaveLength(100_000);
    console.log(
      `scaleWorkspace({pages: 100000}): ${Math.round(elapsed)} ms, heap ${Math.round(process.memoryUsage().heapUsed / 1e6)} MB`,
    );
  });
});
