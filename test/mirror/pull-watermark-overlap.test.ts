import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import type { PersonEdit } from "../../src/emulator/index.ts";
import { ManualClock, demoWorkspace } from "../../src/emulator/index.ts";
import type { EmulatorSession } from "../support/emulator.ts";
import { openEmulator } from "../support/emulator.ts";
import type { TestProject } from "../support/project.ts";
import { createProject } from "../support/project.ts";

// An incremental pull asks for pages edited on or after its watermark (the latest
// last_edited_time it saw) minus an overlap. Without the overlap, two kinds of edit are lost for
// good: one that reaches query results only after a later edit set the watermark (Notion's query
// index trails its writes), and one stamped before the watermark (a clock behind). Both must be
// pulled, and by an incremental pull, not by falling back to a full one.

const clock = new ManualClock(new Date("2025-07-29T10:05:10Z"));
let session: EmulatorSession;
let project: TestProject;

beforeAll(async () => {
  session = await openEmulator({ clock });
});
afterAll(() => session.stop());
afterEach(() => {
  project?.remove();
  session.emulator.reseed(demoWorkspace());
});

/** Two live phase pages: `late` gets the edit under test, `other` the edit that moves the watermark. */
function phasePages(): { late: string; other: string; dataSourceId: string } {
  const phases = project.config.dataSources.find((source) => source.alias === "wt_phase_database");
  const [late, other] = session.emulator
    .dump()
    .pages.filter(
      (page) =>
        (page.parent as { data_source_id: string }).data_source_id === phases?.id &&
        page.in_trash !== true,
    )
    .map((page) => String(page.id));
  if (!phases || !late || !other) throw new Error("the demo has no two live phase pages");
  return { late, other, dataSourceId: phases.id };
}

const code = (text: string): PersonEdit["properties"] => ({
  projectCode: { rich_text: [{ text: { content: text } }] },
});

/** What the mirror holds for a page: its project code, and the data source's watermark. */
function mirrored(pageId: string): { code: string | null; watermark: string | null } {
  const mirror = project.openMirror();
  try {
    const row = mirror.sqlite
      .prepare("SELECT project_code AS code FROM wt_phase_database WHERE page_id = ?")
      .get(pageId) as { code: string | null } | undefined;
    const source = mirror.sqlite
      .prepare("SELECT watermark FROM data_sources WHERE alias = 'wt_phase_database'")
      .get() as { watermark: string | null };
    return { code: row?.code ?? null, watermark: source.watermark };
  } finally {
    mirror.close();
  }
}

async function incrementalPull(): Promise<void> {
  const { summary } = await project.pull({ only: ["wt_phase_database"] });
  expect(summary.dataSources[0]?.mode).toBe("incremental");
}

describe("an incremental pull and edits that arrive behind its watermark", () => {
  it("pulls an edit that showed up in query results only after a later edit set the watermark", async () => {
    clock.set(new Date("2025-07-29T10:05:10Z"));
    project = createProject(session);
    await project.pull();
    const { late, other } = phasePages();

    // 10:05 — a person edits `late`; the query index shows it only 90 s later.
    session.emulator.editAsPerson({
      pageId: late,
      properties: code("PRJ-LATE"),
      visibleAfterMs: 90_000,
    });
    clock.advance(60_000);
    // 10:06 — another edit, seen at once: the next pull's watermark becomes 10:06.
    session.emulator.editAsPerson({ pageId: other, properties: code("PRJ-SOON") });
    await incrementalPull();
    expect(mirrored(other).code).toBe("PRJ-SOON");
    // The lag was in effect: the pull did not see the 10:05 edit, and moved past it.
    expect(mirrored(late).code).not.toBe("PRJ-LATE");
    expect(mirrored(late).watermark).toBe("2025-07-29T10:06:00.000Z");

    clock.advance(60_000); // 10:07:10 — the index has caught up
    await incrementalPull();
    expect(mirrored(late).code).toBe("PRJ-LATE");
  });

  it("pulls an edit stamped before the watermark", async () => {
    project = createProject(session);
    await project.pull();
    const { late, other } = phasePages();

    clock.set(new Date("2025-07-29T10:05:10Z"));
    session.emulator.editAsPerson({ pageId: other, properties: code("PRJ-FIRST") });
    await incrementalPull();
    expect(mirrored(other).watermark).toBe("2025-07-29T10:05:00.000Z");

    clock.advance(60_000);
    // 10:06:10 — an edit made now, but stamped 90 s earlier (10:04): before the watermark.
    session.emulator.editAsPerson({
      pageId: late,
      properties: code("PRJ-SKEWED"),
      backdateMs: 90_000,
    });
    const stamped = session.emulator.workspace().pages.get(late)?.last_edited_time;
    expect(stamped).toBe("2025-07-29T10:04:00.000Z");
    expect(String(stamped) < String(mirrored(late).watermark)).toBe(true);

    await incrementalPull();
    expect(mirrored(late).code).toBe("PRJ-SKEWED");
  });
});
