import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { SeedFile } from "../../src/emulator/seed-file.ts";
import {
  DEMO_DATA_SOURCES,
  DEMO_PROPERTIES,
} from "../../src/emulator/workspaces/demo/demo-facts.ts";
import type { EmulatorSession } from "../support/emulator.ts";
import { openEmulator } from "../support/emulator.ts";
import { dataSourceNamed } from "../support/demo-lookups.ts";
import { readFixture } from "../support/fixtures.ts";

let session: EmulatorSession;
let seed: SeedFile;

beforeAll(async () => {
  session = await openEmulator();
  seed = session.emulator.dump();
});
afterAll(() => session.stop());

describe("GET /v1/databases/{id}", () => {
  it("lists the database's data sources by id and name", async () => {
    for (const database of seed.databases) {
      const answer = await session.notion.databases.retrieve({ database_id: String(database.id) });
      expect(answer.object).toBe("database");
      expect(answer.id).toBe(database.id);
      if (!("data_sources" in answer)) throw new Error("a full database object was expected");
      expect(answer.data_sources.length).toBeGreaterThan(0);
      for (const listed of answer.data_sources) {
        const source = await session.notion.dataSources.retrieve({ data_source_id: listed.id });
        if (!("parent" in source)) throw new Error("a full data source object was expected");
        expect(source.parent).toEqual({ type: "database_id", database_id: database.id });
        expect(source.title.map((item) => item.plain_text).join("")).toBe(listed.name);
      }
    }
  });

  it("accepts the id without dashes", async () => {
    const [database] = seed.databases;
    const id = String(database?.id);
    const answer = await session.notion.databases.retrieve({ database_id: id.replaceAll("-", "") });
    expect(answer.id).toBe(id);
  });

  // Recorded: a database is stamped to the millisecond with "+00:00"; its data source, made in
  // the same instant, to the minute rounded down with "Z" (07:09:57.962+00:00 → 07:09:00.000Z).
  const DATABASE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}\+00:00$/;
  const DATA_SOURCE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:00\.000Z$/;

  it("stamps databases to the millisecond with +00:00 and their data sources to the minute", async () => {
    for (const name of ["py_database_retrieve.json", "un_database_create_2025-09-03.json"]) {
      expect(readFixture(name).created_time, name).toMatch(DATABASE_TIME);
    }
    expect(readFixture("un_data_source_retrieve_select_2025-09-03.json").created_time).toMatch(
      DATA_SOURCE_TIME,
    );
    const withSeconds = new Set<string>();
    for (const database of seed.databases) {
      const answer = await session.notion.databases.retrieve({ database_id: String(database.id) });
      if (!("data_sources" in answer)) throw new Error("a full database object was expected");
      for (const time of [answer.created_time, answer.last_edited_time]) {
        expect(time).toMatch(DATABASE_TIME);
        withSeconds.add(time.slice(17, 23));
      }
      for (const listed of answer.data_sources) {
        const source = await session.notion.dataSources.retrieve({ data_source_id: listed.id });
        if (!("created_time" in source)) throw new Error("a full data source object was expected");
        expect(source.created_time).toMatch(DATA_SOURCE_TIME);
        expect(source.last_edited_time).toMatch(DATA_SOURCE_TIME);
        expect(Date.parse(source.created_time)).toBe(minuteOf(answer.created_time));
        expect(Date.parse(source.last_edited_time)).toBe(minuteOf(answer.last_edited_time));
      }
    }
    // Not all stamped on the minute: the seconds and milliseconds are there to be read.
    expect(withSeconds.size).toBeGreaterThan(1);
  });

  it("answers a seeded database stamped in another form in Notion's form", async () => {
    const other = structuredClone(seed);
    const [database] = other.databases;
    if (!database) throw new Error("the demo has databases");
    database.created_time = "2025-07-01T08:00:00Z";
    database.last_edited_time = "2025-07-02T16:30:05.5+02:00";
    const emulator = await openEmulator({ seed: other });
    try {
      const answer = await emulator.fetchRaw(`/v1/databases/${String(database.id)}`);
      expect(answer.json.created_time).toBe("2025-07-01T08:00:00.000+00:00");
      expect(answer.json.last_edited_time).toBe("2025-07-02T14:30:05.500+00:00");
    } finally {
      await emulator.stop();
    }
  });

  it("answers a data source id given as a database id with 404", async () => {
    const [source] = seed.data_sources;
    const error = await session.notion.databases
      .retrieve({ database_id: String(source?.id) })
      .catch((caught: unknown) => caught);
    expect(error).toMatchObject({ status: 404, code: "object_not_found" });
  });
});

describe("GET /v1/data_sources/{id}", () => {
  it("returns the schema keyed by property name, each with its id and type config", async () => {
    const phases = dataSourceNamed(seed, DEMO_DATA_SOURCES.phases);
    const answer = await session.notion.dataSources.retrieve({ data_source_id: String(phases.id) });
    if (!("properties" in answer)) throw new Error("a full data source object was expected");
    expect(answer.object).toBe("data_source");
    const status = answer.properties[DEMO_PROPERTIES.phaseStatus];
    expect(status?.type).toBe("status");
    if (status?.type !== "status") return;
    expect(status.status.options.map((option) => option.name)).toContain("Active");
    const relation = answer.properties[DEMO_PROPERTIES.phaseProjectId];
    expect(relation?.type).toBe("relation");
    if (relation?.type !== "relation") return;
    expect(relation.relation.data_source_id).toBe(
      dataSourceNamed(seed, DEMO_DATA_SOURCES.projects).id,
    );
    for (const [name, property] of Object.entries(answer.properties)) {
      expect(property.name).toBe(name);
      expect(typeof property.id).toBe("string");
    }
  });

  it("serves every data source of the seed as stored", async () => {
    for (const source of seed.data_sources) {
      const answer = await session.notion.dataSources.retrieve({
        data_source_id: String(source.id),
      });
      expect({ ...answer, request_id: undefined }).toEqual({ ...source, request_id: undefined });
    }
  });
});

function minuteOf(iso: string): number {
  return Math.floor(Date.parse(iso) / 60_000) * 60_000;
}
