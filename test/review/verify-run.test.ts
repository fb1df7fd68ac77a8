import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { ReviewWorld } from "./review-world.ts";
import { reviewWorld } from "./review-world.ts";

let world: ReviewWorld;
beforeEach(async () => {
  world = await reviewWorld();
});
afterEach(async () => {
  await world?.stop();
});

/** Every row of the tables a verify must leave as they are. */
function mirrorRows(): string {
  return world.withMirror((mirror) =>
    JSON.stringify(
      ["runs", "changes", "pages", "relations", "review_proposals"].map((table) =>
        mirror.sqlite.prepare(`SELECT * FROM ${table} ORDER BY rowid`).all(),
      ),
    ),
  );
}

describe("verify RUN-ID", () => {
  it("reports each change still as written, changed since (who, when, both values) or trashed, writes nothing, exits 3", async () => {
    const planned = await world.cli("plan");
    const runId = /^Planned run (\S+)\./m.exec(planned.stdout)?.[1] ?? "";
    expect((await world.cli("push", runId, "--yes")).code).toBe(0);
    await world.project.pull();

    const clean = await world.cli("verify", runId);
    expect(clean.code, clean.stderr).toBe(0);
    expect(clean.stdout).toContain(
      `Run ${runId}: 5 changes checked: 5 still as written, 0 changed since, 0 trashed, 0 no longer visible`,
    );

    const filled = world.withMirror(
      (mirror) =>
        mirror.sqlite
          .prepare(
            "SELECT page_id AS pageId, title FROM (SELECT c.page_id, p.phase_name AS title FROM changes AS c JOIN wt_phase_database AS p ON p.page_id = c.page_id WHERE c.run_id = ? ORDER BY c.page_id)",
          )
          .all(runId) as Array<{ pageId: string; title: string }>,
    );
    const [edited, trashed] = filled;
    if (!edited || !trashed) throw new Error("the run wrote fewer than 2 pages");
    const person = world.session.emulator.editAsPerson({
      pageId: edited.pageId,
      properties: { status: { status: { name: "On hold" } } },
    }) as { last_edited_by: { id: string }; last_edited_time: string };
    world.session.emulator.editAsPerson({ pageId: trashed.pageId, inTrash: true });
    const before = mirrorRows();
    const logged = world.session.emulator.log.all().length;

    const moved = await world.cli("verify", runId);
    expect(moved.code, moved.stderr).toBe(3);
    const name = world.session.emulator
      .dump()
      .users.find((user) => user.id === person.last_edited_by.id)?.name as string;
    expect(name).toMatch(/\S/);
    expect(moved.stdout).toMatch(
      new RegExp(
        `~ wt_phase_database / ${edited.title} ${edited.pageId}: status changed since, last edited by ${name} on \\d+ \\w+ \\d{4} \\d\\d:\\d\\d UTC: Active → On hold`,
      ),
    );
    expect(moved.stdout).toContain(
      `x wt_phase_database / ${trashed.title} ${trashed.pageId}: in the trash`,
    );
    expect(moved.stdout).toContain("3 still as written, 1 changed since, 1 trashed");
    // One read per page, and nothing written anywhere.
    const requests = world.session.emulator.log.all().slice(logged);
    expect(requests.map((entry) => entry.method)).toEqual(Array(5).fill("GET"));
    expect(mirrorRows()).toBe(before);

    const json = await world.cli("verify", runId, "--json");
    expect(json.code).toBe(3);
    const parsed = JSON.parse(json.stdout) as {
      counts: Record<string, number>;
      changes: Array<{ pageId: string; state: string; written: unknown; now: unknown }>;
    };
    expect(parsed.counts).toEqual({ as_written: 3, changed: 1, trashed: 1, gone: 0 });
    expect(parsed.changes.find((change) => change.pageId === edited.pageId)).toMatchObject({
      state: "changed",
      written: "Active",
      now: "On hold",
    });
  });
});
