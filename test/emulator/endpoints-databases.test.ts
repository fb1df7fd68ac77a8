import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { SeedFile } from "../../src/emulator/seed-file.ts";
import { DEMO_DATA_SOURCES, DEMO_PROPERTIES } from "../../src/emulator/workspaces/demo-facts.ts";
import type { EmulatorSession } from "../support/emulator.ts";
import { openEmulator } from "../support/emulator.ts";
import { dataSourceNamed } from "../support/demo-lookups.ts";

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
