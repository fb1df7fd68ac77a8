import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { locateRevertTarget, revertRun } from "../../src/apply/revert.ts";
import { pushRun, selectPushRun } from "../../src/apply/push.ts";
import { planRun } from "../../src/fill/plan-run.ts";
import type { EmulatorSession } from "../support/emulator.ts";
import { projectViolations } from "../support/invariants.ts";
import type { TestProject } from "../support/project.ts";
import type { PulledWorld } from "../support/pulled-world.ts";
import { openPulledWorld } from "../support/pulled-world.ts";

let world: PulledWorld;
let session: EmulatorSession;
let project: TestProject;

beforeAll(async () => {
  world = await openPulledWorld({ demoRules: true });
  ({ session, project } = world);
});
afterAll(() => world.close());

const check = () => projectViolations(session, project);

describe("the invariant checker", () => {
  it("finds nothing wrong after a push and a revert on the demo", async () => {
    const { runId } = await planRun(project.config);
    const mirror = project.openMirror();
    try {
      await pushRun(
        project.config,
        mirror,
        project.api(),
        selectPushRun(mirror, runId ?? undefined),
      );
      expect(check()).toEqual([]);
      const target = locateRevertTarget(project.config.snapshotsDir, mirror, {
        runId: runId ?? "",
      });
      await revertRun(target, mirror, project.api(), project.config.snapshotsDir);
    } finally {
      mirror.close();
    }
    expect(check()).toEqual([]);
  });

  it("catches a write that has no snapshot pre-image (I2)", async () => {
    const page = [...session.emulator.workspace().pages.values()].find((candidate) =>
      Object.values(candidate.properties as Record<string, { type: string }>).some(
        (value) => value.type === "rich_text",
      ),
    );
    const [name] =
      Object.entries(page?.properties as Record<string, { type: string }>).find(
        ([, value]) => value.type === "rich_text",
      ) ?? [];
    await session.notion.pages.update({
      page_id: String(page?.id),
      properties: { [String(name)]: { rich_text: [{ text: { content: "unsnapshotted" } }] } },
    });
    expect(check().some((violation) => violation.startsWith("I2:"))).toBe(true);
  });

  it("catches a mirror page that disagrees with Notion while claiming to be current (I5)", () => {
    const mirror = project.openMirror();
    try {
      const rows = mirror.sqlite
        .prepare("SELECT id, raw_json AS raw, last_edited_time AS edited FROM pages WHERE gone = 0")
        .all() as Array<{ id: string; raw: string; edited: string }>;
      const row = rows.find(
        (candidate) =>
          session.emulator.workspace().pages.get(candidate.id)?.last_edited_time ===
          candidate.edited,
      );
      if (!row) throw new Error("no page the mirror holds as current");
      const page = JSON.parse(row.raw) as {
        properties: Record<string, { type: string; title?: Array<{ plain_text: string }> }>;
      };
      const title = Object.values(page.properties).find((value) => value.type === "title");
      if (title?.title?.[0]) title.title[0].plain_text = "tampered";
      mirror.sqlite
        .prepare("UPDATE pages SET raw_json = ? WHERE id = ?")
        .run(JSON.stringify(page), row.id);
    } finally {
      mirror.close();
    }
    expect(check().some((violation) => violation.startsWith("I5:"))).toBe(true);
  });
});
