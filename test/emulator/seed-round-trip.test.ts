import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PAGE_RELATION_LIMIT } from "../../src/emulator/render.ts";
import { parseSeed, readSeedFile } from "../../src/emulator/seed.ts";
import type { SeedFile } from "../../src/emulator/seed-file.ts";
import { demoWorkspace } from "../../src/emulator/workspaces/demo/demo-workspace.ts";
import { scaleWorkspace } from "../../src/emulator/workspaces/scale-workspace.ts";
import type { EmulatorSession } from "../support/emulator.ts";
import { openEmulator } from "../support/emulator.ts";
import { demoSourceId, pagesOf } from "../support/demo-lookups.ts";

type Obj = Record<string, unknown>;

let session: EmulatorSession;
const seed = demoWorkspace();

beforeAll(async () => {
  session = await openEmulator({ seed: demoWorkspace() });
});
afterAll(() => session.stop());

const withoutRequestId = (value: unknown) => ({ ...(value as Obj), request_id: undefined });

/** A seeded page as GET /v1/pages shows it: relations past 25 cut, every relation with has_more. */
function asServed(page: Obj): Obj {
  const properties: Obj = {};
  for (const [name, value] of Object.entries(page.properties as Record<string, Obj>)) {
    if (value.type !== "relation") properties[name] = value;
    else {
      const relation = value.relation as unknown[];
      properties[name] = {
        ...value,
        relation: relation.slice(0, PAGE_RELATION_LIMIT),
        has_more: relation.length > PAGE_RELATION_LIMIT,
      };
    }
  }
  return { ...page, properties };
}

/** What a client sees of a workspace: every database, data source and page, and one query. */
async function served(target: EmulatorSession, workspace: SeedFile) {
  const answers: unknown[] = [];
  for (const database of workspace.databases)
    answers.push(await target.notion.databases.retrieve({ database_id: String(database.id) }));
  for (const source of workspace.data_sources)
    answers.push(await target.notion.dataSources.retrieve({ data_source_id: String(source.id) }));
  for (const page of workspace.pages)
    answers.push(await target.notion.pages.retrieve({ page_id: String(page.id) }));
  answers.push(
    await target.notion.dataSources.query({ data_source_id: demoSourceId(workspace, "phases") }),
  );
  return answers.map(withoutRequestId);
}

describe("seeding", () => {
  it("serves every seeded page back deep-equal (relations cut at 25 aside)", async () => {
    for (const page of seed.pages) {
      const answer = await session.notion.pages.retrieve({ page_id: String(page.id) });
      expect(withoutRequestId(answer)).toEqual(withoutRequestId(asServed(page)));
    }
  });

  it("serves every seeded data source and database back deep-equal", async () => {
    for (const source of seed.data_sources) {
      const answer = await session.notion.dataSources.retrieve({
        data_source_id: String(source.id),
      });
      expect(withoutRequestId(answer)).toEqual(withoutRequestId(source));
    }
    for (const database of seed.databases) {
      const answer = await session.notion.databases.retrieve({
        database_id: String(database.id),
      });
      expect(withoutRequestId(answer)).toEqual(withoutRequestId(database));
    }
  });
});

describe("dumps", () => {
  it("GET /__emulator/state is the same dump as emulator.dump()", async () => {
    const state = await session.fetchRaw("/__emulator/state");
    expect(state.status).toBe(200);
    expect(state.json).toEqual(session.emulator.dump());
  });

  it("a dump taken after writes seeds a new emulator that answers the same", async () => {
    const [phase] = pagesOf(seed, demoSourceId(seed, "phases"));
    await session.notion.pages.update({
      page_id: String(phase?.id),
      properties: { "Phase type": { select: { name: "Round trip" } }, Progress: { number: 0.25 } },
    });
    await session.notion.pages.create({
      parent: { type: "data_source_id", data_source_id: demoSourceId(seed, "phases") },
      properties: { "Phase name": { title: [{ text: { content: "Made before the dump" } }] } },
    });
    const state = await session.fetchRaw("/__emulator/state");
    const dump = parseSeed(state.json);
    const copy = await openEmulator({ seed: dump });
    try {
      expect(copy.emulator.dump()).toEqual(dump);
      expect(await served(copy, dump)).toEqual(await served(session, dump));
    } finally {
      await copy.stop();
    }
  });

  it("a new emulator seeded from a dump never reuses the ids of objects made before it", async () => {
    const phasesId = demoSourceId(seed, "phases");
    const before = await openEmulator({ seed: demoWorkspace() });
    const made = (await before.notion.pages.create({
      parent: { type: "data_source_id", data_source_id: phasesId },
      properties: {
        "Phase name": { title: [{ text: { content: "First life" } }] },
        "Phase type": { select: { name: "Made first" } },
      },
    })) as Obj;
    const dump = before.emulator.dump();
    await before.stop();

    const after = await openEmulator({ seed: dump });
    try {
      const again = (await after.notion.pages.create({
        parent: { type: "data_source_id", data_source_id: phasesId },
        properties: {
          "Phase name": { title: [{ text: { content: "Second life" } }] },
          "Phase type": { select: { name: "Made second" } },
        },
      })) as Obj;
      expect(again.id).not.toBe(made.id);
      const first = await after.notion.pages.retrieve({ page_id: String(made.id) });
      expect(withoutRequestId(first)).toEqual(withoutRequestId(made));
      const schema = (await after.notion.dataSources.retrieve({ data_source_id: phasesId })) as {
        properties: Record<string, { select: { options: Array<{ id: string }> } }>;
      };
      const optionIds = schema.properties["Phase type"]?.select.options.map((option) => option.id);
      expect(new Set(optionIds).size).toBe(optionIds?.length);
    } finally {
      await after.stop();
    }
  });

  it("PUT /__emulator/state replaces the whole state", async () => {
    const other = await openEmulator();
    try {
      const small = scaleWorkspace({ pages: 24 });
      const put = await other.fetchRaw("/__emulator/state", { method: "PUT", body: small });
      expect(put.status).toBe(200);
      const search = await other.notion.search({ filter: { property: "object", value: "page" } });
      expect(new Set(search.results.map((page) => page.id))).toEqual(
        new Set(small.pages.map((page) => page.id)),
      );
      const [gone] = seed.pages;
      const error = await other.notion.pages
        .retrieve({ page_id: String(gone?.id) })
        .catch((caught: unknown) => caught);
      expect(error).toMatchObject({ status: 404, code: "object_not_found" });
      expect(other.emulator.dump()).toEqual(small);
    } finally {
      await other.stop();
    }
  });

  it("PUT /__emulator/state refuses a body that is not a seed, and keeps the state", async () => {
    const before = session.emulator.dump();
    const put = await session.fetchRaw("/__emulator/state", {
      method: "PUT",
      body: { users: [] },
    });
    expect(put.status).toBe(400);
    expect(String(put.json.error)).toMatch(/seed\.integration/);
    expect(session.emulator.dump()).toEqual(before);
  });
});

describe("reading a seed", () => {
  const valid = () => JSON.parse(JSON.stringify(demoWorkspace())) as Record<string, unknown>;
  const cases: Array<[string, (seed: Record<string, unknown>) => unknown, RegExp]> = [
    ["not an object", () => [], /must be a JSON object/],
    ["no integration", (s) => ({ ...s, integration: undefined }), /seed\.integration must be/],
    ["pages not an array", (s) => ({ ...s, pages: {} }), /seed\.pages must be an array/],
    [
      "a user without an id",
      (s) => ({ ...s, users: [...(s.users as Obj[]), { object: "user" }] }),
      /seed\.users\[7\] must be an object with a string id/,
    ],
    [
      "no user for the bot",
      (s) => ({ ...s, users: (s.users as Obj[]).filter((user) => user.type !== "bot") }),
      /no user with the bot id/,
    ],
    [
      "a page whose data source is missing",
      (s) => ({ ...s, data_sources: (s.data_sources as Obj[]).slice(1) }),
      /seed\.pages\[0\] \(.+\) has no parent data source/,
    ],
    [
      "a page without properties",
      (s) => ({
        ...s,
        pages: (s.pages as Obj[]).map((page, index) =>
          index === 3 ? { ...page, properties: null } : page,
        ),
      }),
      /seed\.pages\[3\] has no properties object/,
    ],
  ];
  for (const [name, spoil, message] of cases) {
    it(`names what is wrong: ${name}`, () => {
      expect(() => parseSeed(spoil(valid()))).toThrow(message);
    });
  }

  it("names a missing file and a file that is not JSON", async () => {
    await expect(readSeedFile("/nonexistent/seed.json")).rejects.toThrow(
      /cannot read seed file \/nonexistent\/seed\.json/,
    );
    await expect(readSeedFile(new URL(import.meta.url).pathname)).rejects.toThrow(/is not JSON/);
  });
});
