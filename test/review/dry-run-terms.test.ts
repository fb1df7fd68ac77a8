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

/** An accepted link of `runId`: its phase page, its project page and that project's name. */
function acceptedLink(runId: string): { pageId: string; projectId: string; project: string } {
  return world.withMirror((mirror) => {
    const link = proposalsOf(mirror, runId).find(
      (row) => row.rule === "phase-project-by-code" && row.status === "accepted",
    );
    const natural = JSON.parse(link?.naturalJson ?? "null") as unknown;
    const ids = (typeof natural === "string" ? JSON.parse(natural) : natural) as string[];
    const projectId = ids[0] ?? "";
    const project = mirror.sqlite
      .prepare("SELECT project_name FROM wt_projects WHERE page_id = ?")
      .pluck()
      .get(projectId) as string;
    return { pageId: link?.pageId ?? "", projectId, project };
  });
}

const escaped = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

describe("push --dry-run and revert --dry-run show values in people's terms", () => {
  it("names a related project by its title, its id after, both before the push and before the revert", async () => {
    const planned = await world.cli("plan");
    const runId = /^Planned run (\S+)\./m.exec(planned.stdout)?.[1] ?? "";
    const accepted = await world.cli("review", runId, "--accept", "phase-project-by-code");
    expect(accepted.code, accepted.stderr).toBe(0);
    const { pageId, projectId, project } = acceptedLink(runId);
    expect(project).toMatch(/\S/);

    const dryPush = await world.cli("push", runId, "--dry-run");
    expect(dryPush.code, dryPush.stderr).toBe(0);
    const lines = dryPush.stdout.split("\n");
    const request = lines.findIndex((line) => line.startsWith(`PATCH /v1/pages/${pageId} `));
    expect(request, dryPush.stdout).toBeGreaterThan(1);
    const header = lines.slice(0, request).findLastIndex((line) => line.startsWith("# wt_"));
    expect(lines[header]).toMatch(/^# wt_phase_database \/ .+: (?:.+, )?projectId(?:, .+)?$/);
    // Under the page's name, each property it fills: the value now → the value sent.
    expect(lines.slice(header + 1, request)).toContain(
      `#   projectId: (empty) → ${project} (${projectId})`,
    );
    // A plain value reads as itself: the status fills.
    expect(dryPush.stdout).toMatch(/^# {3}status: \(empty\) → Active$/m);

    const pushed = await world.cli("push", runId, "--yes");
    expect(pushed.code, pushed.stderr).toBe(0);
    const dryRevert = await world.cli("revert", runId, "--dry-run");
    expect(dryRevert.code, dryRevert.stderr).toBe(0);
    expect(dryRevert.stdout).toMatch(
      new RegExp(
        `~ wt_phase_database / [^\\n]+ ${pageId}\\n(?: {4}[^\\n]+\\n)*? {4}projectId: ${escaped(project)} \\(${projectId}\\) → \\(empty\\)\\n`,
      ),
    );
    expect(dryRevert.stdout).not.toMatch(/projectId: \[/);
  });
});
