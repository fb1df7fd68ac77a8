import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { findRun } from "../../src/runs/run-store.ts";
import type { ReviewWorld } from "./review-world.ts";
import { reviewWorld } from "./review-world.ts";

let world: ReviewWorld;
beforeEach(async () => {
  world = await reviewWorld();
});
afterEach(async () => {
  await world?.stop();
});

async function planned(...args: string[]): Promise<string> {
  const ran = await world.cli("plan", ...args);
  expect(ran.code, ran.stderr).toBe(0);
  return /^Planned run (\S+)\./m.exec(ran.stdout)?.[1] ?? "";
}

const patches = () =>
  world.session.emulator.log.all().filter((entry) => entry.method === "PATCH").length;

/** A live phase page the status rule fills, and its title. */
function phaseToFill(): { pageId: string; title: string } {
  return world.withMirror(
    (mirror) =>
      mirror.sqlite
        .prepare(
          "SELECT page_id AS pageId, phase_name AS title FROM wt_phase_database WHERE status IS NULL AND in_trash = 0 ORDER BY page_id LIMIT 1",
        )
        .get() as { pageId: string; title: string },
  );
}

describe("a plan is bound to its mirror", () => {
  it("is superseded by a newer plan, and push refuses it", async () => {
    const first = await planned();
    const second = await planned();
    expect(world.withMirror((mirror) => findRun(mirror.sqlite, first)?.status)).toBe("superseded");
    expect(world.withMirror((mirror) => findRun(mirror.sqlite, second)?.status)).toBe("planned");
    const pushed = await world.cli("push", first, "--yes");
    expect(pushed.code).toBe(2);
    expect(pushed.stderr).toContain(`Run ${first} was superseded by a newer plan`);
    expect(patches()).toBe(0);
    // Without a run id, push takes the newer plan.
    const latest = await world.cli("push", "--dry-run");
    expect(latest.code, latest.stderr).toBe(0);
    expect(latest.stdout).toContain(second);
  });

  it("refuses to push once a pull changed a page its rules read, naming it, until told to push anyway", async () => {
    const runId = await planned();
    const { pageId, title } = phaseToFill();
    world.session.emulator.editAsPerson({
      pageId,
      properties: { projectCode: { rich_text: [{ text: { content: "PRJ-99" } }] } },
    });
    await world.project.pull();
    const refused = await world.cli("push", runId, "--yes");
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain("re-plan");
    expect(refused.stderr).toMatch(
      /wt_phase_database: pulled again since the plan \(pull \d+ → \d+\)/,
    );
    expect(refused.stderr).toContain(`edited since: wt_phase_database / ${title} (${pageId})`);
    expect(refused.stderr).toContain("--ignore-moved-inputs");
    expect(patches()).toBe(0);
    expect(world.withMirror((mirror) => findRun(mirror.sqlite, runId)?.status)).toBe("planned");

    const anyway = await world.cli("push", runId, "--yes", "--ignore-moved-inputs");
    expect(anyway.code, anyway.stderr).toBe(0);
    expect(patches()).toBe(5);
    expect(anyway.stderr).toContain(
      `Run ${runId}'s inputs moved (wt_phase_database); pushed anyway`,
    );

    // The run's record says it went ahead though its inputs had moved, and which.
    const json = await world.cli("runs", "show", runId, "--json");
    const events = (JSON.parse(json.stdout) as { events: unknown[] }).events;
    expect(events).toEqual([
      {
        at: expect.stringMatching(/^\d{4}-\d\d-\d\dT/) as unknown,
        by: expect.any(String) as unknown,
        kind: "pushed_despite_moved_inputs",
        moved: [
          {
            alias: "wt_phase_database",
            what: expect.arrayContaining([
              expect.stringContaining(`${title} (${pageId})`),
            ]) as unknown,
          },
        ],
      },
    ]);
    for (const flags of [[], ["--md"]]) {
      const shown = await world.cli("runs", "show", runId, ...flags);
      expect(shown.code, shown.stderr).toBe(0);
      expect(shown.stdout).toContain("## Pushed despite moved inputs");
      expect(shown.stdout).toMatch(
        /`--ignore-moved-inputs`\): a pull had changed what the rules read/,
      );
      expect(shown.stdout).toContain(`  - wt_phase_database: pulled again since the plan`);
      expect(shown.stdout).toContain(`${title} (${pageId})`);
    }
  });

  it("pushes after a pull that changed nothing, or only a data source its rules do not read", async () => {
    const runId = await planned();
    await world.project.pull();
    const other = world.withMirror(
      (mirror) =>
        mirror.sqlite
          .prepare(
            `SELECT p.id FROM pages AS p JOIN data_sources AS d ON d.id = p.data_source_id
             WHERE d.alias NOT IN ('wt_phase_database', 'wt_projects') AND p.in_trash = 0 AND p.gone = 0
             ORDER BY p.id LIMIT 1`,
          )
          .pluck()
          .get() as string,
    );
    world.session.emulator.editAsPerson({ pageId: other, inTrash: true });
    await world.project.pull();
    const movedOther = world.withMirror(
      (mirror) =>
        mirror.sqlite
          .prepare("SELECT in_trash FROM pages WHERE id = ?")
          .pluck()
          .get(other) as number,
    );
    expect(movedOther).toBe(1);
    const pushed = await world.cli("push", runId, "--yes");
    expect(pushed.code, pushed.stderr).toBe(0);
    expect(patches()).toBe(5);
    const shown = await world.cli("runs", "show", runId);
    expect(shown.stdout).not.toContain("Pushed despite moved inputs");
  });
});
