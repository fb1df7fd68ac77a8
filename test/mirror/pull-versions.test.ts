import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { NotionVersion } from "../../src/notion/api-version.ts";
import { NOTION_VERSIONS } from "../../src/notion/api-version.ts";
import type { EmulatorSession } from "../support/emulator.ts";
import { openEmulator } from "../support/emulator.ts";
import type { TestProject } from "../support/project.ts";
import { createProject } from "../support/project.ts";
import { FILLED_PAGE_ID, allTypesSeed } from "./all-types-seed.ts";

// 2026-12-01 answers query and search with each page's title only unless filter_properties
// names the properties wanted; older versions answer them all. A pull must mirror the same
// values under every version, so every query it sends names every property it mirrors.

const { seed, dataSourceId } = allTypesSeed();
const schema = seed.data_sources[0]?.properties as Record<string, { id: string; type: string }>;
// Notion gives property ids URL-encoded ("gY%7BP"); the query string carries them so ("gY{P"
// once decoded).
const propertyIds = Object.values(schema).map((property) => property.id);
const propertyNames = Object.keys(schema);
const EDITED = "Edited under every version";

interface Pulled {
  values: Record<string, string>;
  rawPropertyNames: Record<string, string[]>;
  edited: unknown;
  queries: string[];
}

const pulled = new Map<NotionVersion, Pulled>();
const sessions: EmulatorSession[] = [];
const projects: TestProject[] = [];

/** A full pull, a person's edit of a text property, then an incremental pull, under `version`. */
async function pullUnder(version: NotionVersion): Promise<Pulled> {
  const session = await openEmulator({ seed: structuredClone(seed), notionVersion: version });
  sessions.push(session);
  const project = createProject(session);
  projects.push(project);
  await project.pull({ api: project.api({ notionVersion: version }) });
  session.emulator.editAsPerson({
    pageId: FILLED_PAGE_ID,
    properties: { Text: { rich_text: [{ text: { content: EDITED } }] } },
  });
  await project.pull({ api: project.api({ notionVersion: version }) });
  const mirror = project.openMirror();
  try {
    const rows = mirror.sqlite
      .prepare("SELECT id, values_json, raw_json FROM pages WHERE data_source_id = ? ORDER BY id")
      .all(dataSourceId) as Array<{ id: string; values_json: string; raw_json: string }>;
    const raw = (row: { raw_json: string }) =>
      JSON.parse(row.raw_json) as { properties: Record<string, unknown> };
    const edited = (raw(rows.find((row) => row.id === FILLED_PAGE_ID) ?? { raw_json: "{}" })
      .properties?.Text ?? null) as { rich_text?: Array<{ plain_text: string }> } | null;
    return {
      values: Object.fromEntries(rows.map((row) => [row.id, row.values_json])),
      rawPropertyNames: Object.fromEntries(
        rows.map((row) => [row.id, Object.keys(raw(row).properties).sort()]),
      ),
      edited: edited?.rich_text?.map((item) => item.plain_text).join("") ?? null,
      queries: session.emulator.log
        .all()
        .filter((entry) => entry.method === "POST" && entry.path.includes("/query"))
        .map((entry) => entry.path),
    };
  } finally {
    mirror.close();
  }
}

beforeAll(async () => {
  for (const version of NOTION_VERSIONS) pulled.set(version, await pullUnder(version));
}, 60_000);
afterAll(async () => {
  for (const project of projects) project.remove();
  for (const session of sessions) await session.stop();
});

describe("a pull under each Notion version", () => {
  it("meets a 2026-12-01 that answers a query without filter_properties with the title only", async () => {
    const session = await openEmulator({
      seed: structuredClone(seed),
      notionVersion: "2026-12-01",
    });
    try {
      const answer = await session.fetchRaw(`/v1/data_sources/${dataSourceId}/query`, {
        method: "POST",
        body: {},
      });
      const pages = answer.json.results as Array<{ properties: Record<string, unknown> }>;
      expect(pages.length).toBeGreaterThan(0);
      const title = Object.entries(schema).find(([, property]) => property.type === "title")?.[0];
      for (const page of pages) expect(Object.keys(page.properties)).toEqual([title]);
    } finally {
      await session.stop();
    }
  });

  it.each(NOTION_VERSIONS)(
    "%s: every query names every mirrored property with filter_properties",
    (version) => {
      const { queries } = pulled.get(version) as Pulled;
      expect(queries.length).toBeGreaterThanOrEqual(2);
      for (const path of queries) {
        const asked = new URL(path, "http://emulator").searchParams.getAll("filter_properties");
        expect(asked.sort(), path).toEqual(propertyIds.map(decodeURIComponent).sort());
      }
    },
  );

  it.each(NOTION_VERSIONS)(
    "%s: the mirror holds every property of every page, a person's later edit included",
    (version) => {
      const result = pulled.get(version) as Pulled;
      const baseline = pulled.get("2025-09-03") as Pulled;
      expect(Object.keys(result.values).length).toBeGreaterThanOrEqual(3);
      for (const names of Object.values(result.rawPropertyNames))
        expect(names).toEqual([...propertyNames].sort());
      expect(result.values).toEqual(baseline.values);
      expect(result.edited).toBe(EDITED);
    },
  );
});
