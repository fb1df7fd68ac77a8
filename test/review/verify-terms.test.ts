import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { proposalsOf } from "../../src/review/proposals.ts";
import type { ReviewWorld } from "./review-world.ts";
import { reviewWorld } from "./review-world.ts";

let world: ReviewWorld;
beforeEach(async () => {
  world = await reviewWorld();
});
afterEach(async () => {
  await world?.stop();
});

const escaped = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

/** An accepted link of `runId` (phase page, project page, its name) and another project. */
function linkAndAnotherProject(runId: string) {
  return world.withMirror((mirror) => {
    const link = proposalsOf(mirror, runId).find(
      (row) => row.rule === "phase-project-by-code" && row.status === "accepted",
    );
    const natural = JSON.parse(link?.naturalJson ?? "null") as unknown;
    const ids = (typeof natural === "string" ? JSON.parse(natural) : natural) as string[];
    const projectId = ids[0] ?? "";
    const name = mirror.sqlite
      .prepare("SELECT project_name FROM wt_projects WHERE page_id = ?")
      .pluck();
    const otherId = mirror.sqlite
      .prepare(
        "SELECT page_id FROM wt_projects WHERE page_id <> ? AND in_trash = 0 ORDER BY page_id LIMIT 1",
      )
      .pluck()
      .get(projectId) as string;
    return {
      pageId: link?.pageId ?? "",
      projectId,
      project: name.get(projectId) as string,
      otherId,
      other: name.get(otherId) as string,
    };
  });
}

describe("verify and revert conflicts show relation values in people's terms", () => {
  it("names the project the run linked and the one a person linked since, by title with the id after", async () => {
    const planned = await world.cli("plan");
    const runId = /^Planned run (\S+)\./m.exec(planned.stdout)?.[1] ?? "";
    expect((await world.cli("review", runId, "--accept", "phase-project-by-code")).code).toBe(0);
    const pushed = await world.cli("push", runId, "--yes");
    expect(pushed.code, pushed.stderr).toBe(0);
    const { pageId, projectId, project, otherId, other } = linkAndAnotherProject(runId);
    expect(project).toMatch(/\S/);
    expect(other).toMatch(/\S/);
    world.session.emulator.editAsPerson({
      pageId,
      properties: { projectId: { relation: [{ id: otherId }] } },
    });

    const verified = await world.cli("verify", runId);
    expect(verified.code, verified.stderr).toBe(3);
    expect(verified.stdout).toMatch(
      new RegExp(
        `~ wt_phase_database / [^\\n]+ ${pageId}: projectId changed since, last edited by [^\\n]+: ${escaped(project)} \\(${projectId}\\) → ${escaped(other)} \\(${otherId}\\)\\n`,
      ),
    );
    expect(verified.stdout).not.toMatch(/projectId changed since[^\n]*\["/);
    const json = JSON.parse((await world.cli("verify", runId, "--json")).stdout) as {
      changes: Array<{ pageId: string; property: string; writtenText: string; nowText: string }>;
    };
    expect(
      json.changes.find((change) => change.pageId === pageId && change.property === "projectId"),
    ).toMatchObject({
      writtenText: `${project} (${projectId})`,
      nowText: `${other} (${otherId})`,
    });

    const reverted = await world.cli("revert", runId, "--yes");
    expect(reverted.code, reverted.stderr).toBe(3);
    expect(reverted.stdout + reverted.stderr).toMatch(
      new RegExp(
        `conflict: wt_phase_database / [^\\n]+, projectId: now ${escaped(other)} \\(${otherId}\\), the run wrote ${escaped(project)} \\(${projectId}\\)`,
      ),
    );
  });
});
