import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { NothingRestoredError } from "../../src/apply/nothing-restored.ts";
import { pushRun, selectPushRun } from "../../src/apply/push.ts";
import type { PushResult } from "../../src/apply/push.ts";
import type { JsonObject, SeedFile } from "../../src/emulator/index.ts";
import { planRun } from "../../src/fill/plan-run.ts";
import { readSnapshot, snapshotPath } from "../../src/snapshot/snapshot-file.ts";
import type { EmulatorSession } from "../support/emulator.ts";
import { projectViolations } from "../support/invariants.ts";
import type { TestProject } from "../support/project.ts";
import type { PulledWorld } from "../support/pulled-world.ts";
import { openPulledWorld } from "../support/pulled-world.ts";
import type { Lab } from "../revert/lab-workspace.ts";
import { labWorkspace } from "../revert/lab-workspace.ts";
import {
  acted,
  comparable,
  killWhen,
  landed,
  liveValue,
  revert,
  writeRule,
} from "../revert/revert-helpers.ts";

// Notion keeps a written date-time to the minute: 16:57:28.513 is read back as 16:57:00.000.
// A push must still know its own write when it reads it back (a lost answer, a resumed run, a
// revert of an interrupted run), and the mirror must hold what Notion stored.

let world: PulledWorld;
let session: EmulatorSession;
let project: TestProject;
let lab: Lab;
let before: SeedFile;

beforeEach(async () => {
  lab = labWorkspace();
  world = await openPulledWorld({ seed: lab.seed });
  ({ session, project } = world);
  before = session.emulator.dump();
});
afterEach(() => world.close());

const id = (title: string) => lab.pages[title] ?? "";

/**
 * Each page's date as the run sends it (seconds and all, as a rule returns `datetime('now')`),
 * and as Notion stores it.
 */
const WRITES = {
  alpha: {
    sent: { start: "2026-07-25T16:57:28.513Z", end: null, time_zone: null },
    stored: { start: "2026-07-25T16:57:00.000+00:00", end: null, time_zone: null },
  },
  beta: {
    sent: {
      start: "2026-03-29T01:30:45.000",
      end: "2026-03-29T03:15:59.900",
      time_zone: "Europe/Paris",
    },
    // Across the spring DST change in Paris: 01:30 CET, 03:15 CEST.
    stored: {
      start: "2026-03-29T01:30:00.000+01:00",
      end: "2026-03-29T03:15:00.000+02:00",
      time_zone: null,
    },
  },
  gamma: {
    sent: { start: "2026-01-15T09:00:31.000+05:30", end: null, time_zone: null },
    stored: { start: "2026-01-15T09:00:00.000+05:30", end: null, time_zone: null },
  },
  delta: {
    // SQLite's datetime() form: no offset and no zone, which Notion reads as UTC.
    sent: { start: "2026-07-01T09:30:45.000", end: null, time_zone: null },
    stored: { start: "2026-07-01T09:30:00.000+00:00", end: null, time_zone: null },
  },
} as const;
type Title = keyof typeof WRITES;

/**
 * Plans a fill of When for `titles`, then makes each change send its date with its seconds: the
 * payload a run planned before plans cut seconds carries, still resumable and revertible now.
 */
async function planWithSeconds(titles: readonly Title[]): Promise<string> {
  writeRule(
    project,
    "lab_items.When",
    Object.fromEntries(titles.map((title) => [title, WRITES[title].stored.start.slice(0, 10)])),
  );
  const { runId, plan } = await planRun(project.config, { minConfidence: "high" });
  if (!runId) throw new Error(`nothing planned: ${JSON.stringify(plan.refusals)}`);
  const mirror = project.openMirror();
  try {
    const update = mirror.sqlite.prepare(
      "UPDATE changes SET payload_json = ? WHERE run_id = ? AND page_id = ?",
    );
    for (const title of titles)
      update.run(JSON.stringify({ date: WRITES[title].sent }), runId, id(title));
  } finally {
    mirror.close();
  }
  return runId;
}

async function push(runId: string): Promise<PushResult> {
  const mirror = project.openMirror();
  try {
    return await pushRun(project.config, mirror, project.api(), selectPushRun(mirror, runId));
  } finally {
    mirror.close();
  }
}

/** The page's When as the mirror holds it (Notion's JSON), and the run's recorded change. */
function mirrored(runId: string, title: Title): { page: unknown; after: unknown; status: string } {
  const mirror = project.openMirror();
  try {
    const page = mirror.sqlite
      .prepare("SELECT raw_json FROM pages WHERE id = ?")
      .get(id(title)) as {
      raw_json: string;
    };
    const change = mirror.sqlite
      .prepare("SELECT status, after_json FROM changes WHERE run_id = ? AND page_id = ?")
      .get(runId, id(title)) as { status: string; after_json: string | null };
    const raw = JSON.parse(page.raw_json) as { properties: Record<string, JsonObject> };
    return {
      page: raw.properties.When?.date,
      after: (JSON.parse(change.after_json ?? "null") as JsonObject | null)?.date,
      status: change.status,
    };
  } finally {
    mirror.close();
  }
}

const patchesOf = (title: Title) =>
  session.emulator.log
    .all()
    .filter((entry) => entry.method === "PATCH" && entry.path === `/v1/pages/${id(title)}`);

const TITLES = Object.keys(WRITES) as Title[];

const violations = () => projectViolations(session, project);

/**
 * Plans alpha's date with seconds and kills its push (SIGKILL) while Notion holds the write,
 * which then lands: alpha holds the stored value, the faults are cleared. Returns the run id.
 */
async function pushKilledWhileAlphaLands(): Promise<string> {
  const runId = await planWithSeconds(["alpha"]);
  const fault = session.emulator.faults.add({
    method: "PATCH",
    path: `/v1/pages/${id("alpha")}`,
    action: { type: "delay", ms: 1500 },
  });
  const killed = await killWhen(
    project,
    ["push", runId, "--yes"],
    () => acted(session, fault) === 1,
  );
  expect(killed.killed).toBe(true);
  await landed(session, fault); // the delayed write lands
  expect(liveValue(session, id("alpha"), "When").date).toEqual(WRITES.alpha.stored);
  session.emulator.faults.clear();
  return runId;
}

describe("a date-time write that Notion cut to the minute", { timeout: 120_000 }, () => {
  it("whose answer was lost is judged applied on reading back, sent once, and mirrored as Notion stored it", async () => {
    const runId = await planWithSeconds(TITLES);
    const faults = TITLES.map((title) =>
      session.emulator.faults.add({
        method: "PATCH",
        path: `/v1/pages/${id(title)}`,
        nth: 1,
        action: { type: "apply-then-drop" },
      }),
    );
    const result = await push(runId);
    // The faults fired: each page's one PATCH was applied and its answer dropped.
    for (const fault of faults) expect(acted(session, fault)).toBe(1);
    for (const title of TITLES) {
      expect(patchesOf(title).map((entry) => [entry.status, entry.applied])).toEqual([[0, true]]);
      expect(liveValue(session, id(title), "When").date).toEqual(WRITES[title].stored);
    }
    expect(result.status).toBe("applied");
    expect(result.summary.applied).toBe(TITLES.length);
    const posts = readSnapshot(snapshotPath(project.config.snapshotsDir, runId)).entries.filter(
      (entry) => entry.type === "post",
    );
    expect(posts.map((entry) => entry.note)).toEqual(TITLES.map(() => "confirmed by reading back"));
    for (const title of TITLES)
      expect(mirrored(runId, title)).toEqual({
        page: WRITES[title].stored,
        after: WRITES[title].stored,
        status: "applied",
      });
    expect(violations()).toEqual([]);
  });

  it("that landed after its push was killed is settled by the resume without sending it again", async () => {
    const runId = await pushKilledWhileAlphaLands();
    expect(patchesOf("alpha").map((entry) => entry.applied)).toEqual([true]);

    const result = await push(runId);
    expect(result.status).toBe("applied");
    expect(patchesOf("alpha")).toHaveLength(1);
    expect(mirrored(runId, "alpha")).toEqual({
      page: WRITES.alpha.stored,
      after: WRITES.alpha.stored,
      status: "applied",
    });
    expect(violations()).toEqual([]);
  });

  it("whose push was killed in flight is reverted once found to have landed", async () => {
    const runId = await pushKilledWhileAlphaLands();

    const result = await revert(project, runId);
    expect(result.conflicts).toEqual([]);
    expect(result.summary.applied).toBe(1);
    expect(liveValue(session, id("alpha"), "When").date).toBeNull();
    expect(comparable(session.emulator.dump())).toEqual(comparable(before));
    expect(violations()).toEqual([]);
  });

  it("is reverted exactly: the guard takes Notion's minute for the run's own value", async () => {
    const runId = await planWithSeconds(TITLES);
    expect((await push(runId)).summary.applied).toBe(TITLES.length);
    for (const title of TITLES)
      expect(liveValue(session, id(title), "When").date).toEqual(WRITES[title].stored);

    const result = await revert(project, runId);
    expect(result.conflicts).toEqual([]);
    expect(result.summary.applied).toBe(TITLES.length);
    expect(comparable(session.emulator.dump())).toEqual(comparable(before));
    expect(violations()).toEqual([]);
  });

  it("still counts as changed when a person moved it by a minute", async () => {
    const runId = await planWithSeconds(["alpha"]);
    await push(runId);
    session.emulator.editAsPerson({
      pageId: id("alpha"),
      properties: { When: { date: { start: "2026-07-25T16:58:00.000Z" } } },
    });
    // The one field is a conflict, so nothing can be restored: the revert refuses, naming it.
    const refused = await revert(project, runId).then(
      () => undefined,
      (error: unknown) => error,
    );
    expect(refused).toBeInstanceOf(NothingRestoredError);
    expect((refused as NothingRestoredError).conflicts).toHaveLength(1);
    expect(liveValue(session, id("alpha"), "When").date).toEqual({
      start: "2026-07-25T16:58:00.000+00:00",
      end: null,
      time_zone: null,
    });
    expect(violations()).toEqual([]);
  });
});
