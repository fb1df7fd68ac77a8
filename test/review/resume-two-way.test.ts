import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { pushRun, selectPushRun } from "../../src/apply/push.ts";
import { planRun } from "../../src/fill/plan-run.ts";
import type { PulledWorld } from "../support/pulled-world.ts";
import { openPulledWorld } from "../support/pulled-world.ts";
import type { Crew } from "../support/two-way-workspace.ts";
import { crewWorkspace } from "../support/two-way-workspace.ts";
import { writeRule } from "../revert/revert-helpers.ts";

let world: PulledWorld;
let crew: Crew;
beforeAll(async () => {
  crew = crewWorkspace();
  world = await openPulledWorld({ seed: crew.seed });
  const page = (title: string) => crew.pages[title] ?? "";
  // Both sides of the two-way relation are read: borealis's Tasks with t4, t5's Project with borealis.
  writeRule(world.project, "crew_projects.Tasks", { borealis: [page("t4")] }, { ruleName: "a" });
  writeRule(world.project, "crew_tasks.Project", { t5: [page("borealis")] }, { ruleName: "b" });
});
afterAll(() => world?.close());

/** `push RUN-ID` through the library, as the command runs it. */
async function push(runId: string, options: { maxWrites?: number } = {}) {
  const mirror = world.project.openMirror();
  try {
    return await pushRun(
      world.project.config,
      mirror,
      world.project.api(),
      selectPushRun(mirror, runId),
      options,
    );
  } finally {
    mirror.close();
  }
}

describe("a resumed push and the other side of a two-way relation it wrote", () => {
  it("does not count what Notion changed by itself for the run's write as moved, once a pull re-reads it", async () => {
    const { runId } = await planRun(world.project.config, { minConfidence: "low" });
    if (!runId) throw new Error("nothing planned");
    // borealis first: Notion then adds borealis to t4's Project by itself.
    expect((await push(runId, { maxWrites: 1 })).status).toBe("applying");
    const t4 = crew.pages.t4 ?? "";
    const markedNotCurrent = () => {
      const mirror = world.project.openMirror();
      try {
        return mirror.sqlite
          .prepare("SELECT last_edited_time = '' FROM pages WHERE id = ?")
          .pluck()
          .get(t4) as number;
      } finally {
        mirror.close();
      }
    };
    expect(markedNotCurrent()).toBe(1);
    await world.project.pull();
    expect(markedNotCurrent()).toBe(0);
    const rest = await push(runId);
    expect(rest.status).toBe("applied");
    expect(rest.summary.applied).toBe(2);
  });
});
