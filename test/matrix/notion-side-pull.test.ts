import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import type { JsonObject, SeedFile } from "../../src/emulator/index.ts";
import { createPage, demoWorkspace, scaleWorkspace, textItem } from "../../src/emulator/index.ts";
import { NotionMirrorError } from "../../src/errors.ts";
import type { EmulatorSession } from "../support/emulator.ts";
import { openEmulator } from "../support/emulator.ts";
import { projectViolations } from "../support/invariants.ts";
import type { TestProject } from "../support/project.ts";
import { createProject, titleOf } from "../support/project.ts";
import { mirrorContent, wholeMirror } from "./support/matrix-world.ts";
import { removeProperty, renameProperty, retypeToText } from "./support/schema-edits.ts";

const projects: TestProject[] = [];
const sessions: EmulatorSession[] = [];

async function world(seed: SeedFile) {
  const session = await openEmulator({ seed });
  sessions.push(session);
  const project = createProject(session);
  projects.push(project);
  const violations = () => projectViolations(session, project);
  return { session, project, violations };
}

afterAll(async () => {
  for (const project of projects) project.remove();
  for (const session of sessions) await session.stop();
});

function rows<T>(project: TestProject, sql: string, ...params: unknown[]): T[] {
  const mirror = project.openMirror();
  try {
    return mirror.sqlite.prepare(sql).all(...params) as T[];
  } finally {
    mirror.close();
  }
}

const columnsOf = (project: TestProject, view: string) =>
  rows<{ name: string }>(project, `PRAGMA table_info("${view}")`).map((column) => column.name);

describe("schema changes between two pulls", () => {
  let demo: Awaited<ReturnType<typeof world>>;
  let phases = "";
  const VIEW = "wt_phase_database";

  beforeAll(async () => {
    demo = await world(demoWorkspace());
    const source = demo.session.emulator
      .dump()
      .data_sources.find((candidate) => titleOf(candidate) === "WT Phase Database");
    phases = String(source?.id);
  });
  afterEach(() => demo.session.emulator.reseed(demoWorkspace()));

  /** A fresh project pulled, then the schema changed in Notion, then a second pull. */
  async function pullAcross(change: (seed: SeedFile, id: string) => SeedFile) {
    const project = createProject(demo.session);
    projects.push(project);
    await project.pull();
    demo.session.emulator.reseed(change(demo.session.emulator.dump(), phases));
    const { summary } = await project.pull();
    const result = summary.dataSources.find((source) => source.alias === VIEW);
    const violations = projectViolations(demo.session, project);
    return { project, result, violations };
  }

  it("records a renamed property and shows its values under the new column", async () => {
    const { project, result, violations } = await pullAcross((seed, id) =>
      renameProperty(seed, id, "Phase type", "Kind of phase"),
    );
    expect(result?.schemaChanges).toEqual([
      { propertyId: "k%40%5Dp", kind: "renamed", before: "Phase type", after: "Kind of phase" },
    ]);
    expect(columnsOf(project, VIEW)).toContain("kind_of_phase");
    expect(columnsOf(project, VIEW)).not.toContain("phase_type");
    expect(
      rows(project, `SELECT count(*) AS n FROM ${VIEW} WHERE kind_of_phase IS NOT NULL`),
    ).toEqual([{ n: 40 }]);
    expect(violations).toEqual([]);
  });

  it("records a removed property and drops its column", async () => {
    const { project, result, violations } = await pullAcross((seed, id) =>
      removeProperty(seed, id, "Gate passed"),
    );
    expect(result?.schemaChanges).toEqual([
      { propertyId: "tHvF", kind: "removed", before: "Gate passed", after: null },
    ]);
    expect(columnsOf(project, VIEW)).not.toContain("gate_passed");
    expect(rows(project, `SELECT count(*) AS n FROM ${VIEW}`)).toEqual([{ n: 40 }]);
    expect(violations).toEqual([]);
  });

  it("records a retyped property, re-pulls its data source in full and types its column anew", async () => {
    const { project, result, violations } = await pullAcross((seed, id) =>
      retypeToText(seed, id, "Progress"),
    );
    expect(result).toMatchObject({ mode: "full" });
    expect(result?.schemaChanges).toEqual([
      { propertyId: "LnZ%3B", kind: "type_changed", before: "number", after: "rich_text" },
    ]);
    const values = rows<{ t: string }>(
      project,
      `SELECT DISTINCT typeof(progress) AS t FROM ${VIEW} WHERE progress IS NOT NULL`,
    );
    expect(values).toEqual([{ t: "text" }]);
    expect(violations).toEqual([]);
  });
});

describe("Notion changing while a pull walks a query's cursor pages", () => {
  it("a page added and a page edited between two cursor pages end up in the mirror; the pull and the next incremental pull complete", async () => {
    const seed = scaleWorkspace({ pages: 260, dataSources: 1, seed: 3 });
    const { session, project, violations } = await world(seed);
    const source = String(seed.data_sources[0]?.id);
    // Sorted by last edit, the oldest page is on the first cursor page: edit it after it was read.
    const oldest = [...seed.pages].sort((a, b) =>
      String(a.last_edited_time).localeCompare(String(b.last_edited_time)),
    )[0];
    const edited = String(oldest?.id);
    session.emulator.faults.add({
      method: "POST",
      path: `/v1/data_sources/${source}/query`,
      nth: 2,
      action: {
        type: "mutate",
        when: "before",
        edit: {
          pageId: edited,
          properties: { Notes: { rich_text: [{ text: { content: "edited mid-walk" } }] } },
        },
      },
    });
    // And a page created by a person while the second cursor page is on its way.
    const hold = session.emulator.faults.add({
      method: "POST",
      path: `/v1/data_sources/${source}/query`,
      nth: 2,
      action: { type: "delay", ms: 150 },
    });
    let added = "";
    const watch = setInterval(() => {
      const rule = session.emulator.faults.list().find((candidate) => candidate.id === hold);
      if (added || !rule || rule.acted === 0) return;
      const workspace = session.emulator.workspace();
      const person = [...workspace.users.values()].find((user) => user.type === "person");
      const titleName = Object.entries(
        workspace.dataSources.get(source)?.properties as JsonObject,
      ).find(([, value]) => (value as JsonObject).type === "title")?.[0];
      added = String(
        createPage(
          workspace,
          {
            parent: { data_source_id: source },
            properties: { [String(titleName)]: { title: [textItem("added mid-walk")] } },
          },
          person as JsonObject,
        ).id,
      );
    }, 1);

    let first;
    try {
      first = await project.pull();
    } finally {
      clearInterval(watch);
    }
    expect(added).not.toBe("");
    expect(session.emulator.faults.list().map((rule) => rule.acted)).toEqual([1, 1]);
    expect(first.summary.dataSources[0]?.mode).toBe("full");
    expect(violations()).toEqual([]);

    const second = await project.pull();
    expect(second.summary.dataSources[0]?.mode).toBe("incremental");
    expect(second.summary.dataSources[0]?.livePages).toBe(261);
    const pulled = rows<{ id: string; raw: string }>(
      project,
      "SELECT id, raw_json AS raw FROM pages WHERE id IN (?, ?)",
      edited,
      added,
    );
    expect(pulled.map((row) => row.id).sort()).toEqual([edited, added].sort());
    expect(pulled.find((row) => row.id === edited)?.raw).toContain("edited mid-walk");
    expect(violations()).toEqual([]);
    const fresh = createProject(session);
    projects.push(fresh);
    await fresh.pull();
    expect(mirrorContent(project)).toBe(mirrorContent(fresh));
  });
});

describe("a transient 404 during an outage", () => {
  for (const [what, path] of [
    ["a data source read", "/v1/data_sources/*"],
    ["a data source query", "/v1/data_sources/*/query"],
  ] as const) {
    it(`a 404 on ${what} ends the pull with the share-it message and leaves the previous mirror; a retry later completes`, async () => {
      const { session, project, violations } = await world(demoWorkspace());
      await project.pull();
      // An edit the failed pull would have brought in, so a half-written pull would show.
      const phase = session.emulator
        .dump()
        .pages.find((page) => "Phase name" in (page.properties as JsonObject));
      session.emulator.editAsPerson({
        pageId: String(phase?.id),
        properties: {
          "Phase name": { title: [{ text: { content: "renamed before the outage" } }] },
        },
      });
      const before = wholeMirror(project);
      session.emulator.faults.add({
        path,
        times: 3,
        action: { type: "status", status: 404, code: "object_not_found" },
      });
      const error = await project.pull().then(
        () => undefined,
        (caught: unknown) => caught,
      );
      expect(error).toBeInstanceOf(NotionMirrorError);
      expect((error as NotionMirrorError).code).toBe("not_found");
      expect((error as NotionMirrorError).hint).toMatch(
        /share the database with your integration/i,
      );
      expect(wholeMirror(project)).toBe(before);
      expect(violations()).toEqual([]);

      session.emulator.faults.clear(); // the outage is over
      const { summary } = await project.pull();
      expect(summary.dataSources.every((source) => source.livePages > 0)).toBe(true);
      expect(violations()).toEqual([]);
    });
  }
});
