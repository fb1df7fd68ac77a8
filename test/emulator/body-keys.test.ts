import * as endpoints from "@notionhq/client/build/src/api-endpoints.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BODY_KEYS } from "../../src/emulator/body-keys.ts";
import type { SeedFile } from "../../src/emulator/seed-file.ts";
import type { EmulatorSession } from "../support/emulator.ts";
import { openEmulator } from "../support/emulator.ts";
import { demoSourceId, pagesOf } from "../support/demo-lookups.ts";

let session: EmulatorSession;
let seed: SeedFile;

beforeAll(async () => {
  session = await openEmulator();
  seed = session.emulator.dump();
});
afterAll(() => session.stop());

const phases = () => demoSourceId(seed, "phases");
const phase = () => String(pagesOf(seed, phases())[0]?.id);

/** Each endpoint with a body: how to send it one, and the client's own descriptor of it. */
const ENDPOINTS = {
  search: {
    send: (body: object) => session.fetchRaw("/v1/search", { method: "POST", body }),
    client: endpoints.search,
  },
  queryDataSource: {
    send: (body: object) =>
      session.fetchRaw(`/v1/data_sources/${phases()}/query`, { method: "POST", body }),
    client: endpoints.queryDataSource,
  },
  createPage: {
    send: (body: object) => session.fetchRaw("/v1/pages", { method: "POST", body }),
    client: endpoints.createPage,
  },
  updatePage: {
    send: (body: object) => session.fetchRaw(`/v1/pages/${phase()}`, { method: "PATCH", body }),
    client: endpoints.updatePage,
  },
} as const;

describe("unknown body keys are refused as Notion refuses them", () => {
  for (const [name, endpoint] of Object.entries(ENDPOINTS)) {
    it(`${name}: body.foo should be not present, with the value sent`, async () => {
      const answer = await endpoint.send({ foo: "bar" });
      expect(answer.status).toBe(400);
      expect(answer.json).toMatchObject({
        object: "error",
        status: 400,
        code: "validation_error",
        message: 'body failed validation: body.foo should be not present, instead was `"bar"`.',
      });
    });
  }

  it("words the refusal as recorded: a start_cursor sent where none is taken", async () => {
    // The recorded answer (quoted in a public traceback, so not kept as a fixture) read:
    // body failed validation: body.start_cursor should be not present, instead was `"149c2e93-…"`.
    const cursor = "149c2e93-a412-8069-b844-cf54d8844af9";
    const answer = await ENDPOINTS.updatePage.send({ start_cursor: cursor });
    expect(answer.json.message).toBe(
      `body failed validation: body.start_cursor should be not present, instead was \`"${cursor}"\`.`,
    );
  });

  it("shows an object, a number or null as JSON, and refuses a key even when it is null", async () => {
    const cases: Array<[unknown, string]> = [
      [{ bold: true }, '`{"bold":true}`'],
      [3, "`3`"],
      [null, "`null`"],
    ];
    for (const [value, shown] of cases) {
      const answer = await ENDPOINTS.search.send({ an_incorrect_key: value });
      expect(answer.json.message).toBe(
        `body failed validation: body.an_incorrect_key should be not present, instead was ${shown}.`,
      );
    }
  });

  it("names the first unknown key in the order sent", async () => {
    const answer = await ENDPOINTS.queryDataSource.send({ page_size: 5, zeta: 1, alpha: 2 });
    expect(answer.json.message).toMatch(
      /^body failed validation: body\.zeta should be not present/,
    );
  });

  it("leaves the page untouched when a write carries an unknown key", async () => {
    const before = await session.fetchRaw(`/v1/pages/${phase()}`);
    const answer = await ENDPOINTS.updatePage.send({ in_trash: true, Notion_Version: "x" });
    expect(answer.status).toBe(400);
    const after = await session.fetchRaw(`/v1/pages/${phase()}`);
    expect(after.json.in_trash).toBe(false);
    expect(after.json.last_edited_time).toBe(before.json.last_edited_time);
  });

  it("checks the path first: a malformed id is refused for the path, not the body", async () => {
    const answer = await session.fetchRaw("/v1/pages/PAGE_ID", {
      method: "PATCH",
      body: { foo: 1 },
    });
    expect(answer.json.message).toBe(
      'path failed validation: path.page_id should be a valid uuid, instead was `"PAGE_ID"`.',
    );
  });
});

describe("every key @notionhq/client sends is taken", () => {
  for (const [name, endpoint] of Object.entries(ENDPOINTS)) {
    it(`${name}: the emulator takes exactly the client's body parameters`, () => {
      expect([...BODY_KEYS[name as keyof typeof BODY_KEYS]].sort()).toEqual(
        [...endpoint.client.bodyParams].sort(),
      );
    });

    it(`${name}: no client body parameter is answered "should be not present"`, async () => {
      for (const key of endpoint.client.bodyParams) {
        const answer = await endpoint.send({ [key]: null });
        expect(String(answer.json.message ?? ""), key).not.toContain("should be not present");
      }
    });
  }

  it("the real client's requests go through: search, query, create and update", async () => {
    const { notion } = session;
    await notion.search({ query: "", page_size: 1, filter: { property: "object", value: "page" } });
    await notion.dataSources.query({
      data_source_id: phases(),
      page_size: 1,
      in_trash: false,
      sorts: [{ timestamp: "last_edited_time", direction: "ascending" }],
    });
    const created = await notion.pages.create({ parent: { data_source_id: phases() } });
    const updated = await notion.pages.update({ page_id: created.id, in_trash: true });
    expect(updated).toMatchObject({ id: created.id, in_trash: true });
  });
});
