import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { findRun } from "../../src/runs/run-store.ts";
import { startCli } from "../apply/support/cli-child.ts";
import type { ReviewWorld } from "./review-world.ts";
import { reviewWorld } from "./review-world.ts";

let world: ReviewWorld;
beforeEach(async () => {
  world = await reviewWorld();
});
afterEach(async () => {
  await world?.stop();
});

const patches = () =>
  world.session.emulator.log.all().filter((entry) => entry.method === "PATCH").length;

async function planned(): Promise<string> {
  const ran = await world.cli("plan");
  expect(ran.code, ran.stderr).toBe(0);
  return /^Planned run (\S+)\./m.exec(ran.stdout)?.[1] ?? "";
}

/** Pushes two of the run's five status fills and stops there, as `--max-writes` does. */
async function pushedPartWay(runId: string): Promise<void> {
  const part = await world.cli("push", runId, "--yes", "--max-writes", "2");
  expect(part.code, part.stderr).toBe(3);
  expect(patches()).toBe(2);
  expect(world.withMirror((mirror) => findRun(mirror.sqlite, runId)?.status)).toBe("applying");
}

/** A person changes the project code of a phase the run has not written yet; the mirror pulls it. */
async function inputsMoveInNotion(runId: string): Promise<{ pageId: string; title: string }> {
  const page = world.withMirror(
    (mirror) =>
      mirror.sqlite
        .prepare(
          `SELECT v.page_id AS pageId, v.phase_name AS title FROM wt_phase_database AS v
           WHERE v.in_trash = 0 AND v.page_id NOT IN
             (SELECT page_id FROM changes WHERE run_id = ? AND status <> 'planned')
           ORDER BY v.page_id LIMIT 1`,
        )
        .get(runId) as { pageId: string; title: string },
  );
  world.session.emulator.editAsPerson({
    pageId: page.pageId,
    properties: { projectCode: { rich_text: [{ text: { content: "PRJ-98" } }] } },
  });
  await world.project.pull();
  return page;
}

describe("a resumed push is bound to its mirror", () => {
  for (const route of [
    { name: "push RUN-ID", args: (runId: string) => ["push", runId] },
    { name: "push (the latest unfinished run)", args: () => ["push"] },
  ]) {
    it(`${route.name} refuses to resume once a pull moved the remaining changes' inputs, naming what moved`, async () => {
      const runId = await planned();
      await pushedPartWay(runId);
      const { pageId, title } = await inputsMoveInNotion(runId);

      const refused = await world.cli(...route.args(runId), "--yes");
      expect(refused.code, refused.stderr).toBe(2);
      expect(refused.stderr).toContain(`since its last push stopped; re-plan`);
      expect(refused.stderr).toMatch(
        /wt_phase_database: pulled again since its last push \(pull \d+ → \d+\); edited (since|in the minute of the latest edit seen then):/,
      );
      expect(refused.stderr).toContain(`wt_phase_database / ${title} (${pageId})`);
      expect(patches()).toBe(2);
      const dryRun = await world.cli(...route.args(runId), "--dry-run");
      expect(dryRun.code).toBe(2);
      expect(dryRun.stderr).toContain("re-plan");

      const anyway = await world.cli(...route.args(runId), "--yes", "--ignore-moved-inputs");
      expect(anyway.code, anyway.stderr).toBe(0);
      expect(patches()).toBe(5);
      expect(world.withMirror((mirror) => findRun(mirror.sqlite, runId)?.status)).toBe("applied");
    });
  }

  it("resumes after a pull that only read back the run's own writes: they are not moved inputs", async () => {
    const runId = await planned();
    await pushedPartWay(runId);
    await world.project.pull();
    const resumed = await world.cli("push", runId, "--yes", "--max-writes", "1");
    expect(resumed.code, resumed.stderr).toBe(3);
    expect(resumed.stderr).not.toContain("re-plan");
    expect(patches()).toBe(3);
    // Each invocation records the mirror as its writes left it: the next resume is bound to that.
    await world.project.pull();
    const rest = await world.cli("push", "--yes");
    expect(rest.code, rest.stderr).toBe(0);
    expect(rest.stderr).not.toContain("re-plan");
    expect(patches()).toBe(5);
  });

  it("a resume pushed anyway is bound to the mirror it went ahead from", async () => {
    const runId = await planned();
    await pushedPartWay(runId);
    await inputsMoveInNotion(runId);
    const anyway = await world.cli(
      "push",
      runId,
      "--yes",
      "--max-writes",
      "1",
      "--ignore-moved-inputs",
    );
    expect(anyway.code, anyway.stderr).toBe(3);
    expect(patches()).toBe(3);
    // Nothing moved since that invocation: the rest goes without the flag.
    const rest = await world.cli("push", runId, "--yes");
    expect(rest.code, rest.stderr).toBe(0);
    expect(patches()).toBe(5);
  });

  it("a push killed before it could record the mirror resumes saying the check cannot be made this once", async () => {
    const runId = await planned();
    const rule = world.session.emulator.faults.add({
      method: "PATCH",
      path: "/v1/pages/*",
      action: { type: "hang" },
    });
    const push = startCli(world, ["push", runId, "--yes"]);
    const acted = () =>
      world.session.emulator.faults.list().find((candidate) => candidate.id === rule)?.acted ?? 0;
    for (let waited = 0; acted() < 1 && waited < 20_000; waited += 20)
      await new Promise((resolve) => setTimeout(resolve, 20));
    expect(acted()).toBeGreaterThanOrEqual(1);
    push.child.kill("SIGKILL");
    expect((await push.done).signal).toBe("SIGKILL");
    world.session.emulator.faults.clear();

    const resumed = await world.cli("push", runId, "--yes");
    expect(resumed.code, resumed.stderr).toBe(0);
    expect(resumed.stderr).toContain(
      `Run ${runId}'s last push stopped before it could record the mirror as its writes left it`,
    );
    expect(world.withMirror((mirror) => findRun(mirror.sqlite, runId)?.status)).toBe("applied");
  });
});
