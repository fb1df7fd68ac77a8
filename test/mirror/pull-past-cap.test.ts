import { afterEach, describe, expect, it } from "vitest";
import { pullLowerBound } from "../../bench/pull-bound.ts";
import type { SeedFile } from "../../src/emulator/index.ts";
import { ManualClock, scaleWorkspace } from "../../src/emulator/index.ts";
import { NotionMirrorError } from "../../src/errors.ts";
import { mirrorStatus } from "../../src/mirror/status.ts";
import { scanMirror } from "../../src/report/scan.ts";
import type { EmulatorSession } from "../support/emulator.ts";
import { openEmulator } from "../support/emulator.ts";
import type { TestProject } from "../support/project.ts";
import { createProject } from "../support/project.ts";

// Notion answers at most 10,000 results per query, then says has_more false with
// request_status incomplete. The emulator's cap is scaled down here so that a few hundred
// pages need several windows; the pull must still read every page, exactly once per edit.

const CAP = 50;
let session: EmulatorSession | undefined;
const projects: TestProject[] = [];

afterEach(async () => {
  for (const project of projects.splice(0)) project.remove();
  await session?.stop();
  session = undefined;
});

async function open(seed: SeedFile, clock?: ManualClock): Promise<EmulatorSession> {
  session = await openEmulator({
    seed,
    queryResultLimit: CAP,
    cursorTtlMs: false,
    ...(clock ? { clock } : {}),
  });
  return session;
}

function project(on: EmulatorSession): TestProject {
  const made = createProject(on);
  projects.push(made);
  return made;
}

const sourceIds = (seed: SeedFile) => seed.data_sources.map((source) => String(source.id));
const livePageIds = (seed: SeedFile, dataSourceId?: string) =>
  seed.pages
    .filter(
      (page) =>
        !page.in_trash &&
        (!dataSourceId ||
          (page.parent as { data_source_id?: string }).data_source_id === dataSourceId),
    )
    .map((page) => String(page.id))
    .sort();

/** What a mirror holds of each live page: enough to tell two mirrors apart. */
function mirrorRows(of: TestProject): string[] {
  const mirror = of.openMirror();
  try {
    return (
      mirror.sqlite
        .prepare(
          "SELECT id, last_edited_time, values_json FROM pages WHERE in_trash = 0 AND gone = 0 ORDER BY id",
        )
        .all() as Array<{ id: string; last_edited_time: string; values_json: string }>
    ).map((row) => `${row.id} ${row.last_edited_time} ${row.values_json}`);
  } finally {
    mirror.close();
  }
}

function watermarkOf(of: TestProject): string {
  const mirror = of.openMirror();
  try {
    const row = mirror.sqlite.prepare("SELECT watermark FROM data_sources").get() as {
      watermark: string;
    };
    return row.watermark;
  } finally {
    mirror.close();
  }
}

const note = (text: string) => ({ Notes: { rich_text: [{ text: { content: text } }] } });

describe("a pull past Notion's per-query cap", () => {
  it("the cap is real: one query stops at it and says the result is incomplete", async () => {
    const seed = scaleWorkspace({ pages: 300, dataSources: 1 });
    const on = await open(seed);
    let answer = await on.notion.dataSources.query({ data_source_id: sourceIds(seed)[0] ?? "" });
    let seen = answer.results.length;
    while (answer.has_more && answer.next_cursor) {
      answer = await on.notion.dataSources.query({
        data_source_id: sourceIds(seed)[0] ?? "",
        start_cursor: answer.next_cursor,
      });
      seen += answer.results.length;
    }
    expect(seen).toBe(CAP);
    expect(answer.has_more).toBe(false);
    expect(answer.request_status).toEqual({
      type: "incomplete",
      incomplete_reason: "query_result_limit_reached",
    });
  });

  it("a full pull mirrors every page in created_time windows, with about one request more per window, and says it is complete", async () => {
    const seed = scaleWorkspace({ pages: 600, dataSources: 2 });
    const on = await open(seed);
    on.emulator.setQueryResultLimit(250);
    const mine = project(on);
    const { summary } = await mine.pull();
    for (const source of summary.dataSources) {
      expect(source.livePages).toBe(livePageIds(seed, source.id).length);
      // One window per cap-full at least (the first answer counts as one).
      expect(source.windows).toBeGreaterThanOrEqual(Math.ceil(source.livePages / 250));
      if (source.livePages > 250) expect(source.cappedWindows).toBeGreaterThanOrEqual(1);
    }
    expect(summary.dataSources.some((source) => source.livePages > 250)).toBe(true);
    expect(mirrorRows(mine).map((row) => row.split(" ")[0])).toEqual(livePageIds(seed));
    // The fewest requests (schema, batches of 100, the latest-edit read, values cut at 25
    // references) plus at most one per window and per slice for a boundary read twice or a
    // batch that is not full.
    const bound = pullLowerBound(seed, sourceIds(seed), { cap: 250 });
    expect(summary.requests).toBeGreaterThanOrEqual(bound.total - bound.windows - bound.slices);
    expect(summary.requests).toBeLessThanOrEqual(bound.total);
    const mirror = mine.openMirror();
    try {
      const status = mirrorStatus(mine.config, mirror);
      expect(status.dataSources.map((source) => source.completeness.state)).toEqual([
        "complete",
        "complete",
      ]);
      expect(
        scanMirror(mine.config, mirror.sqlite).dataSources.map((source) => source.mirror),
      ).toEqual(["complete", "complete"]);
    } finally {
      mirror.close();
    }
  });

  it("a --full pull of a mirror past the cap reads no page one by one", async () => {
    const seed = scaleWorkspace({ pages: 300, dataSources: 1 });
    const on = await open(seed);
    const mine = project(on);
    await mine.pull();
    on.emulator.log.clear();
    const { summary } = await mine.pull({ full: true });
    const [source] = summary.dataSources;
    expect(source?.cappedWindows).toBeGreaterThanOrEqual(5);
    expect(source?.livePages).toBe(300);
    const pageReads = on.emulator.log
      .all()
      .filter((entry) => entry.method === "GET" && /^\/v1\/pages\/[^/?]+(\?|$)/.test(entry.path));
    expect(pageReads).toEqual([]);
    const bound = pullLowerBound(seed, sourceIds(seed), { cap: CAP });
    expect(summary.requests).toBeLessThanOrEqual(bound.total);
  });

  it("edits during the walk are all seen: the next incremental pull equals a fresh full pull", async () => {
    const clock = new ManualClock(new Date("2026-11-30T09:00:00Z"));
    const seed = scaleWorkspace({ pages: 400, dataSources: 1 });
    const on = await open(seed, clock);
    const ids = seed.pages.map((page) => String(page.id));
    const [firstCreated, ...rest] = [...seed.pages]
      .sort((a, b) => String(a.created_time).localeCompare(String(b.created_time)))
      .map((page) => String(page.id));
    const lastCreated = rest.at(-1) ?? "";
    // While the walk reads window 2: a page it already read is edited (stamped ten minutes back,
    // as if the walk had run that long since), and a page it has yet to read is edited now.
    on.emulator.faults.add({
      method: "POST",
      path: "/v1/data_sources/*/query",
      nth: 3,
      action: {
        type: "mutate",
        edit: {
          pageId: firstCreated ?? "",
          properties: note("edited behind"),
          backdateMs: 600_000,
        },
      },
    });
    on.emulator.faults.add({
      method: "POST",
      path: "/v1/data_sources/*/query",
      nth: 4,
      action: { type: "mutate", edit: { pageId: lastCreated, properties: note("edited ahead") } },
    });
    const mine = project(on);
    await mine.pull();
    expect(on.emulator.faults.list().every((fault) => fault.acted === 1)).toBe(true);
    clock.advance(60_000);
    const { summary } = await mine.pull();
    expect(summary.dataSources[0]?.mode).toBe("incremental");
    const fresh = project(on);
    await fresh.pull();
    expect(mirrorRows(mine)).toEqual(mirrorRows(fresh));
    expect(mirrorRows(mine).find((row) => row.startsWith(firstCreated ?? ""))).toContain(
      "edited behind",
    );
    expect(ids).toHaveLength(400);
  });

  it("an incremental pull of more edits than the cap reads them all, also when they share one minute", async () => {
    const clock = new ManualClock(new Date("2026-11-30T09:00:00Z"));
    const seed = scaleWorkspace({ pages: 300, dataSources: 1 });
    const on = await open(seed, clock);
    const mine = project(on);
    await mine.pull();
    const watermark = watermarkOf(mine);
    clock.advance(5 * 60_000);
    // 120 edits in one minute (a bulk edit): more than the cap in a single last_edited_time minute.
    const edited = seed.pages.slice(0, 120).map((page) => String(page.id));
    for (const id of edited)
      on.emulator.editAsPerson({ pageId: id, properties: note(`bulk ${id}`) });
    clock.advance(60_000);
    const { summary } = await mine.pull();
    const [source] = summary.dataSources;
    expect(source?.mode).toBe("incremental");
    expect(source?.cappedWindows).toBeGreaterThanOrEqual(1);
    // Each edited page written once, and the few the overlap before the watermark re-reads.
    const since = new Date(Date.parse(watermark) - 120_000).toISOString();
    const overlap = seed.pages.filter(
      (page) => !edited.includes(String(page.id)) && String(page.last_edited_time) >= since,
    ).length;
    expect(source?.pagesWritten).toBe(120 + overlap);
    const fresh = project(on);
    await fresh.pull();
    expect(mirrorRows(mine)).toEqual(mirrorRows(fresh));
  });

  it("edits during an incremental walk past the cap are all seen, each stored once", async () => {
    const clock = new ManualClock(new Date("2026-11-30T09:00:00Z"));
    const seed = scaleWorkspace({ pages: 300, dataSources: 1 });
    const on = await open(seed, clock);
    const mine = project(on);
    await mine.pull();
    clock.advance(5 * 60_000);
    // 150 edits over three minutes: three windows' worth since the watermark.
    const edited = seed.pages.slice(0, 150).map((page) => String(page.id));
    edited.forEach((id, index) => {
      if (index % 50 === 0) clock.advance(60_000);
      on.emulator.editAsPerson({ pageId: id, properties: note(`bulk ${id}`) });
    });
    clock.advance(60_000);
    const [readEarly] = edited;
    const untouched = String(seed.pages.at(-1)?.id);
    // While the walk reads: a page it already read is edited again, and a page outside its range
    // (not edited since the last pull) is edited.
    on.emulator.faults.add({
      method: "POST",
      path: "/v1/data_sources/*/query",
      nth: 2,
      action: { type: "mutate", edit: { pageId: readEarly ?? "", properties: note("again") } },
    });
    on.emulator.faults.add({
      method: "POST",
      path: "/v1/data_sources/*/query",
      nth: 3,
      action: { type: "mutate", edit: { pageId: untouched, properties: note("during") } },
    });
    const { summary } = await mine.pull();
    expect(on.emulator.faults.list().every((fault) => fault.acted === 1)).toBe(true);
    const [source] = summary.dataSources;
    expect(source?.mode).toBe("incremental");
    expect(source?.cappedWindows).toBeGreaterThanOrEqual(2);
    const rows = mirrorRows(mine);
    expect(rows.find((row) => row.startsWith(readEarly ?? ""))).toContain("again");
    expect(rows.find((row) => row.startsWith(untouched))).toContain("during");
    // Every page written once per version it had during the walk: the 150, the one edited again,
    // the one edited during it, and the few the overlap before the watermark re-reads.
    const overlap = (source?.pagesWritten ?? 0) - 150 - 2;
    expect(overlap).toBeGreaterThanOrEqual(0);
    expect(overlap).toBeLessThanOrEqual(5);
    clock.advance(60_000);
    await mine.pull();
    const fresh = project(on);
    await fresh.pull();
    expect(mirrorRows(mine)).toEqual(mirrorRows(fresh));
  });

  it("a created_time minute holding more than the cap is split by the unique_id property", async () => {
    const seed = crowdedSeed("unique_id");
    const on = await open(seed);
    const mine = project(on);
    const { summary } = await mine.pull();
    expect(summary.dataSources[0]?.livePages).toBe(CROWD);
    expect(mirrorRows(mine).map((row) => row.split(" ")[0])).toEqual(livePageIds(seed));
  });

  it("without a unique_id, such a minute is split by when its pages were last edited", async () => {
    const seed = crowdedSeed("nothing", { editedApart: true });
    const on = await open(seed);
    const mine = project(on);
    const { summary } = await mine.pull();
    const [source] = summary.dataSources;
    // The premise: the crowd is more than one query returns, and nothing but the edit time tells it apart.
    expect(source?.cappedWindows).toBeGreaterThanOrEqual(2);
    expect(JSON.stringify(seed.data_sources)).not.toMatch(/"(unique_id|checkbox)"/);
    expect(source?.livePages).toBe(CROWD);
    expect(source?.pagesWritten).toBe(CROWD);
    expect(mirrorRows(mine).map((row) => row.split(" ")[0])).toEqual(livePageIds(seed));
  });

  it("without a unique_id or edits since, such a minute is read part by part by a checkbox", async () => {
    const seed = crowdedSeed("checkbox");
    const on = await open(seed);
    // Each half (65 pages) fits one query; the whole crowd (130) does not.
    on.emulator.setQueryResultLimit(100);
    expect(JSON.stringify(seed.data_sources)).not.toContain('"unique_id"');
    const mine = project(on);
    const { summary } = await mine.pull();
    const [source] = summary.dataSources;
    expect(source?.cappedWindows).toBeGreaterThanOrEqual(1);
    expect(source?.livePages).toBe(CROWD);
    expect(source?.pagesWritten).toBe(CROWD);
    expect(mirrorRows(mine).map((row) => row.split(" ")[0])).toEqual(livePageIds(seed));
  });

  it("a checkbox half that still holds more than the cap fails the pull, naming the half", async () => {
    const seed = crowdedSeed("checkbox");
    const on = await open(seed);
    const mine = project(on);
    const failure = await mine.pull().catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(NotionMirrorError);
    expect(String((failure as Error).message)).toMatch(
      /more pages share the created_time 2026-11-02T08:15:00.000Z and Done checked and the last_edited_time 2026-11-02T08:15:00.000Z than one query may return/,
    );
  });

  it("without anything to split such a minute the pull fails, naming the data source, and keeps the previous mirror", async () => {
    const { on, mine, before } = await mirroredCrowd();
    on.emulator.setQueryResultLimit(CAP);
    const failure = await mine.pull({ full: true }).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(NotionMirrorError);
    expect(String((failure as Error).message)).toMatch(
      /Notion holds back pages of \w+: more pages share the created_time 2026-11-02T08:15:00.000Z and the last_edited_time 2026-11-02T08:15:00.000Z than one query may return/,
    );
    expect((failure as NotionMirrorError).hint).toMatch(/unique_id/);
    expect(mirrorRows(mine)).toEqual(before);
  });
});

const CROWD = 130;

/**
 * One data source of 130 pages all created in the same minute (a bulk import), and last edited
 * then too, or each in a minute of its own after (`editedApart`: people edited them since).
 * `split` says what else may tell them apart: its unique_id property, its checkbox (every other
 * page checked), or nothing (both removed).
 */
function crowdedSeed(
  split: "unique_id" | "checkbox" | "nothing",
  options: { editedApart?: boolean } = {},
): SeedFile {
  const seed = scaleWorkspace({ pages: CROWD, dataSources: 1 });
  seed.pages.forEach((page, index) => {
    page.created_time = "2026-11-02T08:15:00.000Z";
    page.last_edited_time = options.editedApart
      ? new Date(Date.parse("2026-11-03T08:00:00.000Z") + index * 60_000).toISOString()
      : "2026-11-02T08:15:00.000Z";
  });
  const removed = new Set(
    split === "unique_id" ? [] : split === "checkbox" ? ["unique_id"] : ["unique_id", "checkbox"],
  );
  const [source] = seed.data_sources;
  const properties = (source?.properties ?? {}) as Record<string, { type: string }>;
  for (const [name, property] of Object.entries(properties)) {
    if (removed.has(property.type)) {
      delete properties[name];
      for (const page of seed.pages) delete (page.properties as Record<string, unknown>)[name];
    } else if (property.type === "checkbox") {
      seed.pages.forEach((page, index) => {
        const value = (page.properties as Record<string, { checkbox?: boolean }>)[name];
        if (value) value.checkbox = index % 2 === 0;
      });
    }
  }
  return seed;
}

/**
 * The crowded data source without a unique_id, mirrored once with no cap in the way: the
 * emulator, the project and what its mirror holds. The caller sets the cap or the faults next.
 */
async function mirroredCrowd(): Promise<{
  on: EmulatorSession;
  mine: TestProject;
  before: string[];
}> {
  const on = await open(crowdedSeed("nothing"));
  on.emulator.setQueryResultLimit(10_000);
  const mine = project(on);
  await mine.pull();
  return { on, mine, before: mirrorRows(mine) };
}

describe("a big data source", () => {
  it("is read in created_time slices side by side, every page once", async () => {
    const seed = scaleWorkspace({ pages: 7000, dataSources: 1 });
    const on = await open(seed);
    on.emulator.setQueryResultLimit(10_000);
    on.emulator.setLatency(15);
    const mine = project(on);
    const { summary } = await mine.pull();
    const [source] = summary.dataSources;
    expect(source?.slices).toBe(4);
    expect(source?.livePages).toBe(7000);
    expect(source?.pagesWritten).toBe(7000);
    // Queries were in flight at the same time: one cursor chain asks for its next batch only
    // once the last one is answered, so it never overlaps itself.
    const queries = on.emulator.log
      .all()
      .filter((entry) => entry.method === "POST" && entry.path.includes("/query"));
    const inFlight = (at: number) =>
      queries.filter((other) => other.at <= at && other.at + other.durationMs > at).length;
    expect(Math.max(...queries.map((entry) => inFlight(entry.at)))).toBeGreaterThanOrEqual(3);
    const bound = pullLowerBound(seed, sourceIds(seed));
    expect(summary.requests).toBeLessThanOrEqual(bound.total);
  });
});

describe("a big data source whose pages crowd its latest days", () => {
  it("keeps reading side by side to the end: a slice that ends early takes half of one with more left", async () => {
    // 2,000 pages one every 10 minutes, then 4,000 one a minute: the estimate from the first
    // answer cuts the span evenly, so one slice holds most of the pages.
    const seed = scaleWorkspace({ pages: 6000, dataSources: 1 });
    const start = Date.parse("2026-06-01T00:00:00.000Z");
    seed.pages.forEach((page, index) => {
      const minutes = index < 2000 ? index * 10 : 20_000 + (index - 2000);
      const at = new Date(start + minutes * 60_000).toISOString();
      page.created_time = at;
      page.last_edited_time = at;
    });
    const on = await open(seed);
    on.emulator.setQueryResultLimit(10_000);
    on.emulator.setLatency(15);
    const mine = project(on);
    const { summary } = await mine.pull();
    const [source] = summary.dataSources;
    expect(source?.livePages).toBe(6000);
    expect(source?.pagesWritten).toBe(6000);
    expect(mirrorRows(mine).map((row) => row.split(" ")[0])).toEqual(livePageIds(seed));
    // The dense end, the last third of the queries, was still read by several chains at once.
    const queries = on.emulator.log
      .all()
      .filter((entry) => entry.method === "POST" && entry.path.includes("/query"));
    const tail = queries.slice(Math.floor((queries.length * 2) / 3), -3);
    const inFlight = (at: number) =>
      queries.filter((other) => other.at <= at && other.at + other.durationMs > at).length;
    expect(Math.max(...tail.map((entry) => inFlight(entry.at)))).toBeGreaterThanOrEqual(3);
    // Each split costs at most two requests more than the fewest.
    const bound = pullLowerBound(seed, sourceIds(seed));
    const splits = (source?.slices ?? 0) - bound.slices;
    expect(splits).toBeGreaterThan(0);
    expect(summary.requests).toBeLessThanOrEqual(bound.total + 2 * splits);
  });
});

describe("a cursor Notion refuses mid-walk", () => {
  it("restarts the window where it was and mirrors every page once", async () => {
    const seed = scaleWorkspace({ pages: 350, dataSources: 1 });
    const on = await open(seed);
    on.emulator.setQueryResultLimit(10_000);
    on.emulator.faults.add({
      method: "POST",
      path: "/v1/data_sources/*/query",
      nth: 2,
      action: { type: "expire-cursor" },
    });
    const mine = project(on);
    const { summary } = await mine.pull();
    expect(on.emulator.faults.list()[0]?.acted).toBe(1);
    expect(summary.dataSources[0]?.cursorRestarts).toBe(1);
    expect(summary.dataSources[0]?.livePages).toBe(350);
    expect(mirrorRows(mine).map((row) => row.split(" ")[0])).toEqual(livePageIds(seed));
  });

  it("gives up after three refusals in a row that read nothing new, keeping the previous mirror", async () => {
    // 130 pages created in one minute and no unique_id: a restart can only begin that minute
    // again, and every cursor is refused, so no restart ever reads past the first batch.
    const { on, mine, before } = await mirroredCrowd();
    on.emulator.faults.add({
      method: "POST",
      path: "/v1/data_sources/*/query",
      action: { type: "expire-cursor" },
    });
    const failure = await mine.pull({ full: true }).catch((error: unknown) => error);
    // The first answer reads 100 of them; every restart then reads those 100 again, no more.
    expect(on.emulator.faults.list()[0]?.acted).toBe(3);
    expect(failure).toBeInstanceOf(NotionMirrorError);
    expect(String((failure as Error).message)).toMatch(
      /Notion refused a query cursor while reading the pages of \w+: The start_cursor provided is invalid/,
    );
    expect(mirrorRows(mine)).toEqual(before);
  });

  it("keeps reading when every cursor is refused but each restart brings new pages", async () => {
    const seed = scaleWorkspace({ pages: 350, dataSources: 1 });
    const on = await open(seed);
    on.emulator.setQueryResultLimit(10_000);
    on.emulator.faults.add({
      method: "POST",
      path: "/v1/data_sources/*/query",
      action: { type: "expire-cursor" },
    });
    const mine = project(on);
    const { summary } = await mine.pull();
    expect(on.emulator.faults.list()[0]?.acted).toBeGreaterThanOrEqual(2);
    expect(summary.dataSources[0]?.cursorRestarts).toBe(on.emulator.faults.list()[0]?.acted);
    expect(mirrorRows(mine).map((row) => row.split(" ")[0])).toEqual(livePageIds(seed));
  });
});
