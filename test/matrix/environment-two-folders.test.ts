import { cpSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { PushOptions, PushResult } from "../../src/apply/push.ts";
import { pushRun, selectPushRun } from "../../src/apply/push.ts";
import type { RevertResult } from "../../src/apply/revert.ts";
import { locateRevertTarget, revertRun } from "../../src/apply/revert.ts";
import { runChanges } from "../../src/runs/change-store.ts";
import type { ProjectConfig } from "../../src/config/project-config.ts";
import { loadConfig } from "../../src/config/project-config.ts";
import { openMirror } from "../../src/mirror/open-mirror.ts";
import { checkInvariants } from "../support/invariants.ts";
import { botWrites } from "./support/matrix-world.ts";
import type { TasksWorld } from "./support/tasks-world.ts";
import { tasksWorld } from "./support/tasks-world.ts";

// Environment: the project folder copied (a second clone, a colleague's copy) and the same
// planned run pushed from both. The writer lock lives in each folder's snapshots, so it cannot
// see the other copy. What can be detected is a page that already holds the planned value,
// last edited by this integration since the plan: the second copy settles it ("already there"),
// does not write it again, and its revert leaves it to the copy that wrote it.

let world: TasksWorld;
let runId: string;
let copyDir: string;
let copy: ProjectConfig;

beforeAll(async () => {
  world = await tasksWorld(12);
});
beforeEach(async () => {
  world.reset();
  runId = await world.plan({ property: "Priority", value: "High" });
  copyDir = mkdtempSync(join(tmpdir(), "notion-mirror-copy-"));
  cpSync(world.project.dir, copyDir, { recursive: true });
  copy = loadConfig(join(copyDir, "notion-mirror.json"));
  expect(copy.mirrorPath.startsWith(copyDir)).toBe(true);
});
afterAll(async () => {
  rmSync(copyDir, { recursive: true, force: true });
  await world.close();
});

const original = () => world.project.config;

async function push(config: ProjectConfig, options: PushOptions = {}): Promise<PushResult> {
  const mirror = openMirror(config.mirrorPath);
  try {
    return await pushRun(
      config,
      mirror,
      world.project.api(),
      selectPushRun(mirror, runId),
      options,
    );
  } finally {
    mirror.close();
  }
}

async function revert(config: ProjectConfig): Promise<RevertResult> {
  const mirror = openMirror(config.mirrorPath);
  try {
    const target = locateRevertTarget(config.snapshotsDir, mirror, { runId });
    return await revertRun(target, mirror, world.project.api(), config.snapshotsDir);
  } finally {
    mirror.close();
  }
}

/** The change rows of the run in a folder's mirror: status and the note left. */
function notes(config: ProjectConfig): Array<{ status: string; error: string | null }> {
  const mirror = openMirror(config.mirrorPath);
  try {
    return runChanges(mirror.sqlite, runId).map((row) => ({
      status: row.status,
      error: row.error,
    }));
  } finally {
    mirror.close();
  }
}

const patches = () =>
  world.session.emulator.log
    .all()
    .filter((entry) => entry.method === "PATCH" && entry.path.startsWith("/v1/pages/")).length;
const ALREADY = /already held the planned value, written by this integration since the plan/;
const pages = () => world.tasks.emptyPages;

describe("the same run pushed from two copies of the project folder", () => {
  it("one after the other: the second copy writes nothing, settles every change as already there, and its revert leaves them to the first", async () => {
    const first = await push(original());
    expect(first.summary.applied).toBe(pages().length);
    expect(patches()).toBe(pages().length);

    const second = await push(copy);
    expect(patches()).toBe(pages().length); // nothing sent again
    expect(second.status).toBe("applied");
    expect(second.summary.protected).toBe(0);
    for (const row of notes(copy)) {
      expect(row.status).toBe("applied");
      expect(row.error).toMatch(ALREADY);
    }
    for (const pageId of pages()) expect(botWrites(world.session, pageId)).toBe(1);

    const copyRevert = await revert(copy);
    expect(copyRevert.summary.changes).toBe(0);
    expect(copyRevert.summary.protected).toBe(0);
    expect(patches()).toBe(pages().length);
    for (const pageId of pages()) expect(world.value(pageId, "Priority")).not.toBeNull();

    const originalRevert = await revert(original());
    expect(originalRevert.summary.applied).toBe(pages().length);
    expect(originalRevert.summary.protected).toBe(0);
    for (const pageId of pages()) expect(world.value(pageId, "Priority")).toBeNull();
    expect(
      checkInvariants({
        emulator: world.session.emulator,
        snapshotsDir: original().snapshotsDir,
        mirrorPath: original().mirrorPath,
      }),
    ).toEqual([]);
  });

  it("taking turns: each page written once; each copy's revert restores what it wrote, nothing counted protected", async () => {
    const part = await push(original(), { maxWrites: 4 });
    expect(part.summary.applied).toBe(4);
    const rest = await push(copy);
    expect(rest.summary.applied).toBe(pages().length);
    const resumed = await push(original());
    expect(resumed.status).toBe("applied");
    expect(patches()).toBe(pages().length);
    for (const pageId of pages()) expect(botWrites(world.session, pageId)).toBe(1);
    const settled = (config: ProjectConfig) =>
      notes(config).filter((row) => ALREADY.test(row.error ?? "")).length;
    expect(settled(original())).toBe(pages().length - 4);
    expect(settled(copy)).toBe(4);

    // The first copy's revert first, then the second's: neither sees the other's restores as
    // conflicts, because neither plans to undo what it did not write.
    const byOriginal = await revert(original());
    expect(byOriginal.summary.applied).toBe(4);
    expect(byOriginal.summary.protected).toBe(0);
    const byCopy = await revert(copy);
    expect(byCopy.summary.applied).toBe(pages().length - 4);
    expect(byCopy.summary.protected).toBe(0);
    for (const pageId of pages()) expect(world.value(pageId, "Priority")).toBeNull();
  });
});
