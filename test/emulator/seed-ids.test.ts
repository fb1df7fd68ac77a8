import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { IdSource, normalizeId } from "../../src/emulator/ids.ts";
import type { SeedFile } from "../../src/emulator/seed-file.ts";
import { demoWorkspace } from "../../src/emulator/workspaces/demo/demo-workspace.ts";
import { scaleWorkspace } from "../../src/emulator/workspaces/scale-workspace.ts";
import type { EmulatorSession } from "../support/emulator.ts";
import { openEmulator } from "../support/emulator.ts";

/** Anything shaped like a dashed uuid, wherever it sits (ids, parents, relations, mentions). */
const UUID_SHAPED = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/gi;

/** The uuid-shaped strings of a seed that Notion would refuse (400 validation_error). */
function refusedIds(seed: SeedFile): string[] {
  const found = JSON.stringify(seed).match(UUID_SHAPED) ?? [];
  return [...new Set(found)].filter((id) => normalizeId(id) !== id.toLowerCase());
}

describe("the emulator's own ids are uuids Notion accepts", () => {
  it("the id generator gives variant 8 ids for any seed, far past the demo's counts", () => {
    for (const seed of [0, 1, 0x0e3, 0x5eed, 0xffff, 0x12345]) {
      const ids = new IdSource(seed);
      for (let i = 0; i < 70_000; i += 1) {
        const id = ids.next();
        if (normalizeId(id) !== id) throw new Error(`seed ${seed}, draw ${i}: ${id} is refused`);
      }
    }
  });

  it("the demo workspace holds no id Notion would refuse", () => {
    const seed = demoWorkspace();
    expect(JSON.stringify(seed).match(UUID_SHAPED)?.length).toBeGreaterThan(100);
    expect(refusedIds(seed)).toEqual([]);
  });

  it("generated scale workspaces hold no id Notion would refuse", () => {
    for (const options of [{ pages: 3000 }, { pages: 500, dataSources: 3, seed: 7 }]) {
      expect(refusedIds(scaleWorkspace(options))).toEqual([]);
    }
  });
});

describe("every object of the demo answers by its id", () => {
  let session: EmulatorSession;
  let seed: SeedFile;
  beforeAll(async () => {
    session = await openEmulator();
    seed = session.emulator.dump();
  });
  afterAll(() => session.stop());

  it("databases, data sources, pages and users are found (200), none refused as malformed", async () => {
    const paths = [
      ...seed.databases.map((database) => `/v1/databases/${String(database.id)}`),
      ...seed.data_sources.map((source) => `/v1/data_sources/${String(source.id)}`),
      ...seed.pages.map((page) => `/v1/pages/${String(page.id)}`),
      ...seed.users.map((user) => `/v1/users/${String(user.id)}`),
    ];
    const statuses = await Promise.all(
      paths.map(async (path) => [path, (await session.fetchRaw(path)).status] as const),
    );
    expect(statuses.filter(([, status]) => status !== 200)).toEqual([]);
  });

  it("a page created through the API gets an id the API takes back", async () => {
    const source = seed.data_sources[0];
    const created = await session.fetchRaw("/v1/pages", {
      method: "POST",
      body: { parent: { data_source_id: String(source?.id) }, properties: {} },
    });
    expect(created.status).toBe(200);
    const id = String(created.json.id);
    expect(normalizeId(id)).toBe(id);
    expect((await session.fetchRaw(`/v1/pages/${id}`)).status).toBe(200);
  });
});
