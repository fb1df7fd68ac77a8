import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { JsonObject } from "../../src/emulator/index.ts";
import { openMirror } from "../../src/mirror/open-mirror.ts";
import { requireRun } from "../../src/runs/run-store.ts";
import type { EmulatorSession } from "../support/emulator.ts";
import type { TestProject } from "../support/project.ts";
import type { PulledWorld } from "../support/pulled-world.ts";
import { openPulledWorld } from "../support/pulled-world.ts";
import type { Lab } from "./lab-workspace.ts";
import { labWorkspace } from "./lab-workspace.ts";
import {
  acted,
  cli,
  comparable,
  killWhen,
  landed,
  liveValue,
  pagePatches,
  patchesPerPage,
  planAndPush,
  revert,
  writeRule,
} from "./revert-helpers.ts";

let world: PulledWorld;
let session: EmulatorSession;
let project: TestProject;
let lab: Lab;
let before: ReturnType<EmulatorSession["emulator"]["dump"]>;

beforeEach(async () => {
  lab = labWorkspace();
  world = await openPulledWorld({ seed: lab.seed });
  ({ session, project } = world);
  writeRule(project, "lab_items.Notes", { alpha: "a", beta: "b", gamma: "c", delta: "d" });
  writeRule(project, "lab_items.Score", { alpha: 1, beta: 2, gamma: 3, delta: 4 });
  before = session.emulator.dump();
});
afterEach(() => world.close());

const id = (title: string) => lab.pages[title] ?? "";

describe("revert and people's edits", { timeout: 120_000 }, () => {
  it("revert skips a field a person edited after the push, reports both values, and --force restores it", async () => {
    const runId = await planAndPush(project);
    session.emulator.editAsPerson({ pageId: id("beta"), properties: { Score: { number: 99 } } });

    const first = await cli(project, ["revert", runId, "--yes"]);
    expect(first.status, first.stderr).toBe(3);
    expect(first.stdout).toMatch(/1 conflict,/);
    expect(first.stdout).toContain(
      `conflict: lab_items / beta ${id("beta")}, Score: now 99, the run wrote 2`,
    );
    expect(liveValue(session, id("beta"), "Score").number).toBe(99);
    expect(liveValue(session, id("beta"), "Notes").rich_text).toEqual([]);
    expect(liveValue(session, id("alpha"), "Score").number).toBeNull();

    const patches = session.emulator.log.all().length;
    const forced = await cli(project, ["revert", runId, "--yes", "--force"]);
    expect(forced.status, forced.stderr).toBe(0);
    expect(forced.stdout).toContain("--force");
    expect(forced.stdout).toMatch(/overwritten/);
    expect(liveValue(session, id("beta"), "Score").number).toBeNull();
    // Only the field left by the first revert is written again.
    expect(pagePatches(session, patches)).toBe(1);
    expect(comparable(session.emulator.dump())).toEqual(comparable(before));
  });

  it("reverting twice sends nothing the second time", async () => {
    const runId = await planAndPush(project);
    await revert(project, runId);
    const seen = session.emulator.log.all().length;
    const again = await cli(project, ["revert", runId, "--yes"]);
    expect(again.status).toBe(2);
    expect(again.stderr).toMatch(/already reverted/);
    expect(pagePatches(session, seen)).toBe(0);
    // From the snapshot alone (no mirror to say it was reverted): still nothing is written.
    const file = `${project.config.snapshotsDir}/${runId}.snapshot.ndjson`;
    const alone = await cli(project, ["revert", "--snapshot", file, "--yes", "--json"], {
      config: `${project.dir}/none.json`,
    });
    expect(alone.status).toBe(2);
    expect(alone.stderr).toMatch(/was already reverted \(by revert \S+\).*nothing was sent/);
    expect(alone.stdout).not.toMatch(/restored/);
    expect(pagePatches(session, seen)).toBe(0);
    expect(comparable(session.emulator.dump())).toEqual(comparable(before));
  });

  it("a revert of a revert puts the run's values back, and the run can be reverted again", async () => {
    const runId = await planAndPush(project);
    const afterPush = session.emulator.dump();
    const undo = await revert(project, runId);
    const redo = await revert(project, undo.revertRunId);
    expect(redo.summary.applied).toBe(8);
    expect(comparable(session.emulator.dump())).toEqual(comparable(afterPush));
    const mirror = openMirror(project.config.mirrorPath);
    try {
      expect(requireRun(mirror.sqlite, undo.revertRunId)).toMatchObject({
        kind: "revert",
        status: "reverted",
        revertsRunId: runId,
      });
    } finally {
      mirror.close();
    }
  });
});

describe("revert of a partly applied push", { timeout: 120_000 }, () => {
  it("reverts only what a push cut by --max-writes applied", async () => {
    const runId = await planAndPush(project, { maxWrites: 2 });
    const written = [...patchesPerPage(session).keys()];
    expect(written).toHaveLength(2);
    const result = await revert(project, runId);
    expect(result.summary.applied).toBe(4);
    expect(result.conflicts).toEqual([]);
    expect(comparable(session.emulator.dump())).toEqual(comparable(before));
    const counts = patchesPerPage(session);
    for (const page of counts.keys()) expect(written).toContain(page);
  });

  it("reverts a push killed while a write was in flight, once the write is found to have landed", async () => {
    const fault = session.emulator.faults.add({
      method: "PATCH",
      path: `/v1/pages/${id("gamma")}`,
      action: { type: "delay", ms: 1500 },
    });
    const { planRun } = await import("../../src/fill/plan-run.ts");
    const { runId } = await planRun(project.config, { minConfidence: "low" });
    const killed = await killWhen(project, ["push", String(runId), "--yes"], () => {
      const others = session.emulator.log
        .all()
        .filter((entry) => entry.method === "PATCH" && entry.status === 200).length;
      return acted(session, fault) === 1 && others === 3;
    });
    expect(killed.killed).toBe(true);
    await landed(session, fault); // the delayed write lands
    expect(liveValue(session, id("gamma"), "Score").number).toBe(3);

    const result = await revert(project, String(runId));
    expect(result.conflicts).toEqual([]);
    expect(result.summary.applied).toBe(8);
    expect(comparable(session.emulator.dump())).toEqual(comparable(before));
  });

  it("leaves alone a write in flight that never landed", async () => {
    session.emulator.faults.add({
      method: "PATCH",
      path: `/v1/pages/${id("gamma")}`,
      action: { type: "hang" },
    });
    const { planRun } = await import("../../src/fill/plan-run.ts");
    const { runId } = await planRun(project.config, { minConfidence: "low" });
    await killWhen(project, ["push", String(runId), "--yes"], () => {
      const log = session.emulator.log.all();
      return (
        log.filter((entry) => entry.method === "PATCH" && entry.status === 200).length === 3 &&
        log.some((entry) => entry.method === "PATCH" && entry.fault !== undefined)
      );
    });
    session.emulator.faults.clear();
    const seen = session.emulator.log.all().length;
    const result = await revert(project, String(runId));
    expect(result.summary.applied).toBe(6);
    const sent = session.emulator.log.all().slice(seen);
    expect(
      sent.filter((entry) => entry.method === "PATCH").map((entry) => entry.path),
    ).not.toContain(`/v1/pages/${id("gamma")}`);
    expect(pagePatches(session, seen)).toBe(3);
    expect(comparable(session.emulator.dump())).toEqual(comparable(before));
  });
});

describe("a revert that dies", { timeout: 120_000 }, () => {
  it("killed halfway, it resumes under the same id: everything restored, nothing written twice", async () => {
    const runId = await planAndPush(project);
    session.emulator.log.clear();
    const fault = session.emulator.faults.add({
      method: "PATCH",
      path: `/v1/pages/${id("delta")}`,
      action: { type: "delay", ms: 1500 },
    });
    const killed = await killWhen(project, ["revert", runId, "--yes"], () => {
      const done = session.emulator.log
        .all()
        .filter((entry) => entry.method === "PATCH" && entry.status === 200).length;
      return acted(session, fault) === 1 && done === 3;
    });
    expect(killed.killed).toBe(true);
    await landed(session, fault); // the delayed write lands

    const resumed = await cli(project, ["revert", runId, "--yes", "--json"]);
    expect(resumed.status, resumed.stderr).toBe(0);
    const result = JSON.parse(resumed.stdout) as { revertRunId: string; summary: JsonObject };
    expect(result.summary.applied).toBe(8);
    const mirror = openMirror(project.config.mirrorPath);
    try {
      const reverts = mirror.sqlite
        .prepare("SELECT id FROM runs WHERE kind = 'revert'")
        .all() as Array<{ id: string }>;
      expect(reverts.map((row) => row.id)).toEqual([result.revertRunId]);
      expect(requireRun(mirror.sqlite, runId).status).toBe("reverted");
    } finally {
      mirror.close();
    }
    for (const [page, count] of patchesPerPage(session)) expect(count, page).toBe(1);
    expect(patchesPerPage(session).size).toBe(4);
    expect(comparable(session.emulator.dump())).toEqual(comparable(before));
  });
});
