import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import type { JsonObject, SeedFile } from "../../src/emulator/index.ts";
import { demoWorkspace } from "../../src/emulator/index.ts";
import { mirrorStatus } from "../../src/mirror/status.ts";
import type { EmulatorSession } from "../support/emulator.ts";
import { openEmulator } from "../support/emulator.ts";
import type { TestProject } from "../support/project.ts";
import { createProject, titleOf } from "../support/project.ts";

let session: EmulatorSession;
let project: TestProject;

beforeAll(async () => {
  session = await openEmulator();
});
afterAll(() => session.stop());
afterEach(() => {
  project?.remove();
  session.emulator.reseed(demoWorkspace());
});

const ALIAS = "wt_projects";

/**
 * Changes the schema of WT Projects as a person would in Notion, then reseeds: `edit` gets the
 * schema's properties (keyed by name) and each page's properties. Page timestamps are left
 * alone, as Notion leaves them on a schema change, so only a full re-pull sees new values.
 */
function changeSchema(edit: (schema: JsonObject, pages: JsonObject[]) => void): {
  seed: SeedFile;
  dataSourceId: string;
} {
  const seed = session.emulator.dump();
  const source = seed.data_sources.find((candidate) => titleOf(candidate) === "WT Projects");
  if (!source) throw new Error("the demo has no WT Projects");
  const pages = seed.pages
    .filter((page) => (page.parent as JsonObject).data_source_id === source.id)
    .map((page) => page.properties as JsonObject);
  edit(source.properties as JsonObject, pages);
  session.emulator.reseed(seed);
  return { seed, dataSourceId: String(source.id) };
}

function rename(map: JsonObject, from: string, to: string): void {
  const value = map[from] as JsonObject;
  delete map[from];
  map[to] = "name" in value ? { ...value, name: to } : value;
}

function query<T>(sql: string, ...params: unknown[]): T[] {
  const mirror = project.openMirror();
  try {
    return mirror.sqlite.prepare(sql).all(...params) as T[];
  } finally {
    mirror.close();
  }
}

const columnsOf = (view: string) =>
  query<{ name: string }>(`PRAGMA table_info("${view}")`).map((column) => column.name);

const projectsResult = (summary: Awaited<ReturnType<TestProject["pull"]>>["summary"]) =>
  summary.dataSources.find((source) => source.alias === ALIAS);

describe("schema changes between pulls", () => {
  it("renames the column of a renamed property, keeps its values and records the change", async () => {
    project = createProject(session);
    await project.pull();
    const before = query<{ page_id: string; repository: string | null }>(
      `SELECT page_id, repository FROM ${ALIAS} ORDER BY page_id`,
    );
    expect(before.some((row) => row.repository !== null)).toBe(true);
    const { dataSourceId } = changeSchema((schema, pages) => {
      rename(schema, "Repository", "Source code");
      for (const properties of pages) rename(properties, "Repository", "Source code");
    });

    const { summary } = await project.pull();
    const result = projectsResult(summary);
    expect(result?.mode).toBe("incremental"); // a rename changes no value: no re-pull needed
    expect(result?.schemaChanges).toEqual([
      { propertyId: "XPlB", kind: "renamed", before: "Repository", after: "Source code" },
    ]);
    expect(columnsOf(ALIAS)).toContain("source_code");
    expect(columnsOf(ALIAS)).not.toContain("repository");
    expect(
      query(`SELECT page_id, source_code AS repository FROM ${ALIAS} ORDER BY page_id`),
    ).toEqual(before);
    expect(
      query(
        "SELECT column_name FROM column_map WHERE data_source_id = ? AND property_id = ?",
        dataSourceId,
        "XPlB",
      ),
    ).toEqual([{ column_name: "source_code" }]);
  });

  it("pulls a data source in full when a property is added, and shows its new column", async () => {
    project = createProject(session);
    await project.pull();
    changeSchema((schema, pages) => {
      schema["Risk level"] = {
        id: "New%21",
        name: "Risk level",
        description: null,
        type: "rich_text",
        rich_text: {},
      };
      pages.forEach((properties, index) => {
        properties["Risk level"] = {
          id: "New%21",
          type: "rich_text",
          rich_text: [
            {
              type: "text",
              text: { content: `level ${index}`, link: null },
              annotations: {
                bold: false,
                italic: false,
                strikethrough: false,
                underline: false,
                code: false,
                color: "default",
              },
              plain_text: `level ${index}`,
              href: null,
            },
          ],
        };
      });
    });

    const { summary } = await project.pull();
    const result = projectsResult(summary);
    expect(result).toMatchObject({ mode: "full", reason: "schema changed" });
    expect(result?.schemaChanges).toEqual([
      { propertyId: "New%21", kind: "added", before: null, after: "Risk level" },
    ]);
    // Only the changed data source is pulled again in full.
    expect(
      summary.dataSources
        .filter((source) => source.alias !== ALIAS)
        .every((s) => s.mode === "incremental"),
    ).toBe(true);
    const rows = query<{ risk_level: string | null }>(`SELECT risk_level FROM ${ALIAS}`);
    expect(rows).toHaveLength(22);
    expect(rows.every((row) => row.risk_level?.startsWith("level "))).toBe(true);
  });

  it("drops the column of a removed property", async () => {
    project = createProject(session);
    await project.pull();
    expect(columnsOf(ALIAS)).toContain("key_tasks");
    changeSchema((schema, pages) => {
      delete schema.keyTasks;
      for (const properties of pages) delete properties.keyTasks;
    });

    const { summary } = await project.pull();
    expect(projectsResult(summary)?.schemaChanges).toEqual([
      { propertyId: "lpqB", kind: "removed", before: "keyTasks", after: null },
    ]);
    expect(columnsOf(ALIAS)).not.toContain("key_tasks");
    expect(query("SELECT * FROM column_map WHERE property_id = 'lpqB'")).toEqual([]);
    expect(query(`SELECT count(*) AS n FROM ${ALIAS}`)).toEqual([{ n: 22 }]);
  });

  it("re-pulls in full when a property's type changes, and types its column anew", async () => {
    project = createProject(session);
    await project.pull();
    expect(
      query(`SELECT DISTINCT typeof(budget) AS t FROM ${ALIAS} WHERE budget IS NOT NULL`),
    ).toEqual([{ t: "real" }]);
    changeSchema((schema, pages) => {
      schema.Budget = {
        id: "%3DW%3CW",
        name: "Budget",
        description: null,
        type: "rich_text",
        rich_text: {},
      };
      for (const properties of pages) {
        const old = (properties.Budget as JsonObject).number;
        const text =
          old === null
            ? []
            : [
                {
                  type: "text",
                  text: { content: `€${String(old)}`, link: null },
                  annotations: {
                    bold: false,
                    italic: false,
                    strikethrough: false,
                    underline: false,
                    code: false,
                    color: "default",
                  },
                  plain_text: `€${String(old)}`,
                  href: null,
                },
              ];
        properties.Budget = { id: "%3DW%3CW", type: "rich_text", rich_text: text };
      }
    });

    const { summary } = await project.pull();
    const result = projectsResult(summary);
    expect(result).toMatchObject({ mode: "full", reason: "schema changed" });
    expect(result?.schemaChanges).toEqual([
      { propertyId: "%3DW%3CW", kind: "type_changed", before: "number", after: "rich_text" },
    ]);
    expect(
      query(
        "SELECT property_type, sql_type FROM column_map WHERE column_name = 'budget' AND property_id = '%3DW%3CW'",
      ),
    ).toEqual([{ property_type: "rich_text", sql_type: "TEXT" }]);
    const values = query<{ budget: string; t: string }>(
      `SELECT budget, typeof(budget) AS t FROM ${ALIAS} WHERE budget IS NOT NULL`,
    );
    expect(values.length).toBeGreaterThan(0);
    expect(values.every((row) => row.t === "text" && row.budget.startsWith("€"))).toBe(true);
  });

  it("lists every recorded change in status", async () => {
    project = createProject(session);
    await project.pull();
    changeSchema((schema, pages) => {
      rename(schema, "Repository", "Source code");
      delete schema.keyTasks;
      for (const properties of pages) {
        rename(properties, "Repository", "Source code");
        delete properties.keyTasks;
      }
    });
    await project.pull();
    const mirror = project.openMirror();
    try {
      const status = mirrorStatus(project.config, mirror);
      const projects = status.dataSources.find((source) => source.alias === ALIAS);
      const listed = (projects?.schemaChanges ?? [])
        .map(({ kind, before, after }) => ({ kind, before, after }))
        .sort((a, b) => a.kind.localeCompare(b.kind));
      expect(listed).toEqual([
        { kind: "removed", before: "keyTasks", after: null },
        { kind: "renamed", before: "Repository", after: "Source code" },
      ]);
      expect(
        status.dataSources
          .filter((source) => source.alias !== ALIAS)
          .every((s) => s.schemaChanges.length === 0),
      ).toBe(true);
    } finally {
      mirror.close();
    }
  });
});
