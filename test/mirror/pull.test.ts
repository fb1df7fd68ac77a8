import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { DEMO_FACTS, ManualClock, demoWorkspace } from "../../src/emulator/index.ts";
import type { EmulatorSession } from "../support/emulator.ts";
import { openEmulator } from "../support/emulator.ts";
import type { TestProject } from "../support/project.ts";
import { createProject } from "../support/project.ts";

let session: EmulatorSession;
let project: TestProject;
const clock = new ManualClock(new Date("2025-07-29T10:05:10Z"));

beforeAll(async () => {
  session = await openEmulator({ clock });
});
afterAll(() => session.stop());
afterEach(() => {
  project?.remove();
  session.emulator.reseed(demoWorkspace());
  session.emulator.faults.clear();
});

const sql = <T>(text: string, ...params: unknown[]): T[] => {
  const mirror = project.openMirror();
  try {
    return mirror.sqlite.prepare(text).all(...params) as T[];
  } finally {
    mirror.close();
  }
};

describe("sync pull on the demo workspace", () => {
  it("mirrors the 12 canonical data sources and their 105 records", async () => {
    project = createProject(session);
    const { summary } = await project.pull();
    expect(summary.dataSources).toHaveLength(DEMO_FACTS.canonicalDataSources);
    expect(summary.dataSources.reduce((sum, source) => sum + source.livePages, 0)).toBe(
      DEMO_FACTS.records,
    );
    expect(
      summary.dataSources.every(
        (source) => source.mode === "full" && source.reason === "first pull",
      ),
    ).toBe(true);
    const [row] = sql<{ empty: number }>(
      "SELECT count(*) AS empty FROM wt_phase_database WHERE status IS NULL",
    );
    expect(row?.empty).toBe(DEMO_FACTS.emptyPhaseStatus);
  });

  it("sends exactly the lower bound of requests on a full pull", async () => {
    project = createProject(session);
    const seed = session.emulator.dump();
    const { summary } = await project.pull();
    const canonical = project.config.dataSources.map((source) => source.id);
    const pagesPer = canonical.map((id) =>
      seed.pages.filter(
        (page) => (page.parent as { data_source_id: string }).data_source_id === id,
      ),
    );
    const truncated = pagesPer
      .flat()
      .flatMap((page) =>
        Object.values(
          page.properties as Record<string, { type: string; relation?: unknown[] }>,
        ).filter((value) => value.type === "relation" && (value.relation?.length ?? 0) > 25),
      ).length;
    const lowerBound =
      canonical.length +
      pagesPer.reduce((sum, pages) => sum + Math.max(1, Math.ceil(pages.length / 100)), 0) +
      truncated;
    expect(summary.requests).toBe(lowerBound);
  });

  it("then pulls incrementally with 3 requests per data source when nothing changed: schema, edits, trash", async () => {
    project = createProject(session);
    await project.pull();
    const { summary } = await project.pull();
    expect(summary.dataSources.every((source) => source.mode === "incremental")).toBe(true);
    expect(summary.requests).toBe(3 * summary.dataSources.length);
  });

  it("completes a relation past Notion's 25-item cut, in order", async () => {
    project = createProject(session);
    await project.pull();
    const seed = session.emulator.dump();
    const long = seed.pages
      .flatMap((page) =>
        Object.values(
          page.properties as Record<
            string,
            { id: string; type: string; relation?: Array<{ id: string }> }
          >,
        ).map((value) => ({ pageId: String(page.id), value })),
      )
      .find(({ value }) => value.type === "relation" && (value.relation?.length ?? 0) > 25);
    expect(long).toBeDefined();
    const rows = sql<{ target: string }>(
      "SELECT target_page_id AS target FROM relations WHERE page_id = ? AND property_id = ? ORDER BY position",
      long?.pageId,
      long?.value.id,
    );
    expect(rows.map((row) => row.target)).toEqual(long?.value.relation?.map((item) => item.id));
    const [raw] = sql<{ raw: string }>(
      "SELECT raw_json AS raw FROM pages WHERE id = ?",
      long?.pageId,
    );
    const stored = JSON.parse(raw?.raw ?? "{}") as {
      properties: Record<string, { id: string; relation?: unknown[]; has_more?: boolean }>;
    };
    const property = Object.values(stored.properties).find((value) => value.id === long?.value.id);
    expect(property?.relation).toHaveLength(long?.value.relation?.length ?? 0);
    expect(property?.has_more).toBe(false);
  });

  it("catches an edit made in the same minute as the previous pull", async () => {
    project = createProject(session);
    const phases = project.config.dataSources.find(
      (source) => source.alias === "wt_phase_database",
    );
    const [first, second] = session.emulator
      .dump()
      .pages.filter(
        (page) => (page.parent as { data_source_id: string }).data_source_id === phases?.id,
      );
    const note = (text: string) => ({ projectCode: { rich_text: [{ text: { content: text } }] } });
    session.emulator.editAsPerson({ pageId: String(first?.id), properties: note("PRJ-901") });
    await project.pull();
    clock.advance(30_000); // still 10:05, Notion shows the same minute
    session.emulator.editAsPerson({ pageId: String(second?.id), properties: note("PRJ-902") });
    const { summary } = await project.pull();
    expect(summary.dataSources.find((source) => source.alias === "wt_phase_database")?.mode).toBe(
      "incremental",
    );
    const [row] = sql<{ code: string }>(
      "SELECT project_code AS code FROM wt_phase_database WHERE page_id = ?",
      second?.id,
    );
    expect(row?.code).toBe("PRJ-902");
  });

  it("marks a trashed page on the next full pull and keeps it for history", async () => {
    project = createProject(session);
    await project.pull();
    const victim = session.emulator
      .dump()
      .pages.find((page) =>
        project.config.dataSources.some(
          (s) => s.id === (page.parent as { data_source_id: string }).data_source_id,
        ),
      );
    session.emulator.editAsPerson({ pageId: String(victim?.id), inTrash: true });
    const { summary } = await project.pull({ full: true });
    expect(summary.dataSources.reduce((sum, source) => sum + source.trashedPages, 0)).toBe(1);
    const [row] = sql<{ in_trash: number; gone: number }>(
      "SELECT in_trash, gone FROM pages WHERE id = ?",
      victim?.id,
    );
    expect(row).toEqual({ in_trash: 1, gone: 0 });
  });

  it("sees a page trashed, then restored, between incremental pulls, with one request more per data source", async () => {
    project = createProject(session);
    await project.pull();
    const victim = session.emulator
      .dump()
      .pages.find((page) =>
        project.config.dataSources.some(
          (s) => s.id === (page.parent as { data_source_id: string }).data_source_id,
        ),
      );
    const state = () =>
      sql<{ in_trash: number; gone: number }>(
        "SELECT in_trash, gone FROM pages WHERE id = ?",
        victim?.id,
      )[0];
    clock.advance(60_000);
    session.emulator.editAsPerson({ pageId: String(victim?.id), inTrash: true });
    clock.advance(60_000);
    const trashed = await project.pull();
    expect(trashed.summary.dataSources.every((source) => source.mode === "incremental")).toBe(true);
    expect(state()).toEqual({ in_trash: 1, gone: 0 });
    expect(trashed.summary.dataSources.reduce((sum, source) => sum + source.newlyTrashed, 0)).toBe(
      1,
    );
    expect(trashed.summary.requests).toBe(3 * trashed.summary.dataSources.length);

    session.emulator.editAsPerson({ pageId: String(victim?.id), inTrash: false });
    clock.advance(60_000);
    const restored = await project.pull();
    expect(state()).toEqual({ in_trash: 0, gone: 0 });
    expect(restored.summary.dataSources.reduce((sum, source) => sum + source.trashedPages, 0)).toBe(
      0,
    );
    // And the mirror now says what a fresh full pull of the workspace says.
    const live = sql<{ id: string }>("SELECT id FROM pages WHERE in_trash = 0 ORDER BY id");
    const fresh = createProject(session);
    try {
      await fresh.pull();
      const mirror = fresh.openMirror();
      try {
        expect(
          mirror.sqlite.prepare("SELECT id FROM pages WHERE in_trash = 0 ORDER BY id").all(),
        ).toEqual(live);
      } finally {
        mirror.close();
      }
    } finally {
      fresh.remove();
    }
  });

  it("marks a page Notion no longer shows as gone", async () => {
    project = createProject(session);
    await project.pull();
    const seed = session.emulator.dump();
    const victim = seed.pages.find((page) =>
      project.config.dataSources.some(
        (s) => s.id === (page.parent as { data_source_id: string }).data_source_id,
      ),
    );
    session.emulator.reseed({ ...seed, pages: seed.pages.filter((page) => page !== victim) });
    const { summary } = await project.pull({ full: true });
    expect(summary.dataSources.reduce((sum, source) => sum + source.gonePages, 0)).toBe(1);
    const [row] = sql<{ gone: number }>("SELECT gone FROM pages WHERE id = ?", victim?.id);
    expect(row?.gone).toBe(1);
  });

  it("pulls only the aliases asked for, and refuses an unknown one with the known list", async () => {
    project = createProject(session);
    const { summary } = await project.pull({ only: ["wt_projects"] });
    expect(summary.dataSources.map((source) => source.alias)).toEqual(["wt_projects"]);
    await expect(project.pull({ only: ["nope"] })).rejects.toThrow(/Unknown alias: nope/);
  });
});
