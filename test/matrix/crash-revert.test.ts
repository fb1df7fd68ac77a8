import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { snapshotPath } from "../../src/snapshot/snapshot-file.ts";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { actedOf, killCliWhen } from "./support/kill-cli.ts";
import type { MatrixWorld } from "./support/matrix-world.ts";
import {
  botWrites,
  livePage,
  liveProperty,
  optionName,
  plannedWorld,
} from "./support/matrix-world.ts";

let world: MatrixWorld;

beforeAll(async () => {
  world = await plannedWorld();
});
beforeEach(() => world.reset());
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

  for (const [name, lastPostOnDisk] of [
    ["some restores were on disk", false],
    ["every restore was on disk", true],
  ] as const) {
    it(`killed after ${name} but before the mirror learned of them, the resume continues the same revert and brings the mirror current`, async () => {
      expect((await world.push()).status).toBe("applied");
      const afterPush = join(world.project.dir, `after-push-${String(lastPostOnDisk)}.db`);
      const copy = world.project.openMirror();
      copy.sqlite.exec(`VACUUM INTO '${afterPush}'`);
      copy.close();
      const finished = await world.revert();
      expect(finished.status).toBe("applied");
      killedWhileRecording(finished.revertRunId, afterPush, lastPostOnDisk);
      world.session.emulator.log.clear();

      const resumed = await world.revert();
      expect(resumed.revertRunId).toBe(finished.revertRunId);
      expect(resumed.status).toBe("applied");
      expect(resumed.summary.applied).toBe(world.targets.length);
      const patches = world.session.emulator.log.all().filter((entry) => entry.method === "PATCH");
      expect(patches).toEqual([]);
      const check = world.project.openMirror();
      try {
        expect(
          check.sqlite.prepare("SELECT id FROM runs WHERE kind = 'revert'").pluck().all(),
        ).toEqual([finished.revertRunId]);
        const row = check.sqlite.prepare(
          "SELECT last_edited_time AS lastEdited, raw_json AS raw FROM pages WHERE id = ?",
        );
        for (const target of world.targets) {
          const stored = row.get(target.pageId) as { lastEdited: string; raw: string };
          expect(stored.lastEdited, target.pageId).toBe(
            livePage(world.session, target.pageId).last_edited_time,
          );
          const properties = (
            JSON.parse(stored.raw) as { properties: Record<string, Record<string, unknown>> }
          ).properties;
          const value = Object.values(properties).find((entry) => entry.id === target.propertyId);
          expect(value && optionName(value), target.pageId).toBe(null);
        }
      } finally {
        check.close();
      }
      expect(world.violations()).toEqual([]);
    });
  }
});

/**
 * Puts the mirror and the snapshot of a finished revert back in the state SIGKILL leaves while the
 * last answers are being recorded: every restore is in Notion and settled on disk (all but the last
 * one, unless `lastPostOnDisk`), while the mirror still holds the pages as the push left them,
 * marked unsure, with the revert's rows unrecorded and its run still applying.
 */
function killedWhileRecording(
  revertRunId: string,
  afterPush: string,
  lastPostOnDisk: boolean,
): void {
  if (!lastPostOnDisk) {
    const file = snapshotPath(world.project.config.snapshotsDir, revertRunId);
    const lines = readFileSync(file, "utf8").trimEnd().split("\n");
    // The closing checkpoint is written once every answer is recorded: a kill before it leaves none.
    while (lines.at(-1)?.includes('\\"type\\":\\"checkpoint\\"')) lines.pop();
    expect(lines.at(-1)).toContain('\\"type\\":\\"post\\"');
    writeFileSync(file, `${lines.slice(0, -1).join("\n")}\n`);
  }
  const mirror = world.project.openMirror();
  try {
    const { sqlite } = mirror;
    sqlite.exec(`ATTACH '${afterPush}' AS pushed`);
    sqlite.transaction(() => {
      sqlite
        .prepare(
          "UPDATE changes SET status = 'planned', after_json = NULL, error = NULL, applied_at = NULL WHERE run_id = ?",
        )
        .run(revertRunId);
      sqlite
        .prepare("UPDATE runs SET status = 'applying', applied_at = NULL WHERE id = ?")
        .run(revertRunId);
      sqlite.prepare("UPDATE changes SET status = 'applied' WHERE run_id = ?").run(world.runId);
      sqlite.prepare("UPDATE runs SET status = 'applied' WHERE id = ?").run(world.runId);
      for (const target of world.targets) {
        sqlite
          .prepare(
            `UPDATE pages SET last_edited_time = '',
               raw_json = (SELECT raw_json FROM pushed.pages WHERE id = @id),
               values_json = (SELECT values_json FROM pushed.pages WHERE id = @id)
             WHERE id = @id`,
          )
          .run({ id: target.pageId });
      }
    })();
    sqlite.exec("DETACH pushed");
  } finally {
    mirror.close();
  }
}
