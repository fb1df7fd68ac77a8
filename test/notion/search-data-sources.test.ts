import { afterEach, describe, expect, it } from "vitest";
import { scaleWorkspace } from "../../src/emulator/index.ts";
import { NotionApi } from "../../src/notion/notion-api.ts";
import type { EmulatorSession } from "../support/emulator.ts";
import { openEmulator } from "../support/emulator.ts";

// `init` lists the data sources shared with the integration by search, 100 a request: past a
// refused cursor and up to Notion's per-query cap, which it must say it reached.

const SOURCES = 130;
let session: EmulatorSession | undefined;

afterEach(async () => {
  await session?.stop();
  session = undefined;
});

async function listing() {
  session = await openEmulator({
    seed: scaleWorkspace({ pages: SOURCES, dataSources: SOURCES }),
    cursorTtlMs: false,
  });
  const api = new NotionApi(
    { token: session.emulator.token, baseUrl: session.emulator.url },
    { rateLimit: Infinity },
  );
  return { on: session, list: () => api.searchDataSources() };
}

const searches = { method: "POST", path: "/v1/search", action: { type: "expire-cursor" } } as const;

describe("listing the data sources", () => {
  it("starts over when Notion refuses its cursor, and lists every data source once", async () => {
    const { on, list } = await listing();
    on.emulator.faults.add({ ...searches, nth: 1 });
    const { found, complete } = await list();
    expect(on.emulator.faults.list()[0]?.acted).toBe(1);
    expect(complete).toBe(true);
    expect(found).toHaveLength(SOURCES);
    expect(new Set(found.map((source) => source.id)).size).toBe(SOURCES);
  });

  it("gives up on the third refusal in a row that brings nothing new", async () => {
    const { on, list } = await listing();
    on.emulator.faults.add(searches);
    const failure = await list().catch((error: unknown) => error);
    expect(on.emulator.faults.list()[0]?.acted).toBe(3);
    expect(String((failure as Error).message)).toMatch(
      /Notion refused a query cursor while listing the data sources.+start_cursor provided is invalid/,
    );
  });

  it("says the listing is not complete when Notion cut it at its cap", async () => {
    const { on, list } = await listing();
    on.emulator.setQueryResultLimit(50);
    const { found, complete } = await list();
    expect(found).toHaveLength(50);
    expect(complete).toBe(false);
  });
});
