import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { readSnapshot } from "../../src/snapshot/snapshot-file.ts";
import { snapshotPath } from "../../src/snapshot/snapshot-file.ts";
import { existsSync } from "node:fs";
import { actedOf, killCliWhen } from "./support/kill-cli.ts";
import type { MatrixWorld } from "./support/matrix-world.ts";
import {
  botWrites,
  changeStatuses,
  intendedValues,
  liveProperty,
  optionName,
  plannedWorld,
} from "./support/matrix-world.ts";

let world: MatrixWorld;
let intended: Map<string, string | null>;

beforeAll(async () => {
  world = await plannedWorld();
  intended = await intendedValues(world);
});
beforeEach(() => world.reset());
afterAll(() => world.close());

const faults = () => world.session.emulator.faults;
const first = () => {
  const [target] = world.targets;
  if (!target) throw new Error("no target");
  return target;
};

/** The snapshot entries of the pushed run, by type ("pre" / "post"), for one page or all. */
function snapshotEntries(type: "pre" | "post", pageId?: string) {
  const file = snapshotPath(world.project.config.snapshotsDir, world.runId);
  if (!existsSync(file)) return [];
  return readSnapshot(file).entries.filter(
    (entry) => entry.type === type && (!pageId || entry.pageId === pageId),
  );
}

const patchesOf = (pageId: string) =>
  world.session.emulator.log
    .all()
    .filter((entry) => entry.method === "PATCH" && entry.path === `/v1/pages/${pageId}`);

/** Resumes the killed push in this process; expects it to finish with every page written once. */
async function resumeCompletes() {
  faults().clear();
  const result = await world.push();
  expect(result.status).toBe("applied");
  expect(result.summary.applied).toBe(world.targets.length);
  for (const target of world.targets) {
    expect(botWrites(world.session, target.pageId), `writes to ${target.pageId}`).toBe(1);
    expect(optionName(liveProperty(world.session, target.pageId, target.propertyId))).toBe(
      intended.get(target.pageId),
    );
  }
  expect(changeStatuses(world.project, world.runId).map((row) => row.status)).toEqual(
    world.targets.map(() => "applied"),
  );
  expect(world.violations()).toEqual([]);
}

describe("a push killed with SIGKILL", () => {
  it("killed before any pre-image was written, it sent nothing, and the resume writes each page once", async () => {
    // Every live read hangs a while: the push is stopped before it can snapshot anything.
    const rule = faults().add({
      method: "GET",
      path: "/v1/pages/*",
      action: { type: "delay", ms: 3000 },
    });
    const end = await killCliWhen(
      world.project,
      ["push", world.runId, "--yes"],
      () => actedOf(faults(), rule) >= 1,
    );
    expect(end).toEqual({ killed: true });
    expect(snapshotEntries("pre")).toEqual([]);
    expect(world.session.emulator.workspace().journal.all()).toEqual([]);
    expect(world.violations()).toEqual([]);
    await resumeCompletes();
  });

  it("killed after a pre-image was written but before its write was applied, the resume sends that write once", async () => {
    const target = first();
    const rule = faults().add({
      method: "PATCH",
      path: `/v1/pages/${target.pageId}`,
      action: { type: "hang" },
    });
    const end = await killCliWhen(
      world.project,
      ["push", world.runId, "--yes"],
      () => actedOf(faults(), rule) >= 1,
    );
    expect(end).toEqual({ killed: true });
    expect(snapshotEntries("pre", target.pageId)).toHaveLength(1);
    expect(botWrites(world.session, target.pageId)).toBe(0);
    expect(world.violations()).toEqual([]);
    await resumeCompletes();
    expect(patchesOf(target.pageId).filter((entry) => entry.applied === true)).toHaveLength(1);
  });

  it("killed after a write was applied but before it was recorded, the resume reads it back and does not send it again", async () => {
    const target = first();
    faults().add({
      method: "PATCH",
      path: `/v1/pages/${target.pageId}`,
      nth: 1,
      action: { type: "apply-then-drop" },
    });
    // The read-back that would settle the dropped answer hangs: the process dies not knowing.
    const readBack = faults().add({
      method: "GET",
      path: `/v1/pages/${target.pageId}`,
      nth: 2,
      action: { type: "hang" },
    });
    const end = await killCliWhen(
      world.project,
      ["push", world.runId, "--yes"],
      () => actedOf(faults(), readBack) >= 1,
    );
    expect(end).toEqual({ killed: true });
    expect(botWrites(world.session, target.pageId)).toBe(1);
    expect(snapshotEntries("post", target.pageId)).toEqual([]);
    const recorded = changeStatuses(world.project, world.runId).find(
      (row) => row.pageId === target.pageId,
    );
    expect(recorded?.status).not.toBe("applied");
    expect(world.violations()).toEqual([]);
    await resumeCompletes();
    expect(patchesOf(target.pageId)).toHaveLength(1);
  });
});
