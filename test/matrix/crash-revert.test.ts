import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { actedOf, killCliWhen } from "./support/kill-cli.ts";
import type { MatrixWorld } from "./support/matrix-world.ts";
import { botWrites, liveProperty, optionName, plannedWorld } from "./support/matrix-world.ts";

let world: MatrixWorld;

beforeAll(async () => {
  world = await plannedWorld();
});
afterAll(() => world.close());

describe("a revert killed with SIGKILL", () => {
  it("killed with one restore sent and never answered, the resume restores every value once under the same revert run", async () => {
    const pushed = await world.push();
    expect(pushed.status).toBe("applied");
    const faults = world.session.emulator.faults;
    const stuck = world.targets[2];
    if (!stuck) throw new Error("the demo plan has fewer than 3 targets");
    const rule = faults.add({
      method: "PATCH",
      path: `/v1/pages/${stuck.pageId}`,
      action: { type: "hang" },
    });
    const end = await killCliWhen(
      world.project,
      ["revert", world.runId, "--yes"],
      () => actedOf(faults, rule) >= 1,
    );
    expect(end).toEqual({ killed: true });
    expect(botWrites(world.session, stuck.pageId)).toBe(1);
    // I5 waits for the resume: a restore the killed process sent but did not record leaves its
    // mirror row stale, and when it landed in the same minute as the push's write (Notion's
    // last_edited_time is minute-rounded) nothing tells that row from a current one.
    expect(world.violations().filter((violation) => !violation.startsWith("I5:"))).toEqual([]);

    faults.clear();
    const resumed = await world.revert();
    expect(resumed.status).toBe("applied");
    expect(resumed.conflicts).toEqual([]);
    const mirror = world.project.openMirror();
    try {
      const reverts = mirror.sqlite
        .prepare("SELECT id FROM runs WHERE kind = 'revert'")
        .pluck()
        .all();
      expect(reverts).toEqual([resumed.revertRunId]);
    } finally {
      mirror.close();
    }
    for (const target of world.targets) {
      expect(botWrites(world.session, target.pageId), `writes to ${target.pageId}`).toBe(2);
      expect(optionName(liveProperty(world.session, target.pageId, target.propertyId))).toBe(null);
    }
    expect(world.violations()).toEqual([]);
  });
});
