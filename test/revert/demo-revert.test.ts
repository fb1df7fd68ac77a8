import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { JsonObject } from "../../src/emulator/index.ts";
import type { EmulatorSession } from "../support/emulator.ts";
import type { TestProject } from "../support/project.ts";
import type { PulledWorld } from "../support/pulled-world.ts";
import { openPulledWorld } from "../support/pulled-world.ts";
import { cli, comparable, pagePatches, planAndPush } from "./revert-helpers.ts";

let world: PulledWorld;
let session: EmulatorSession;
let project: TestProject;

beforeEach(async () => {
  world = await openPulledWorld({ demoRules: true });
  ({ session, project } = world);
});
afterEach(() => world.close());

const trackerPages = (dump: { pages: JsonObject[] }, trackerId: string) =>
  dump.pages.filter((page) => (page.parent as JsonObject).data_source_id === trackerId);

describe("revert on the demo workspace", { timeout: 120_000 }, () => {
  it("push then revert leaves the canonical data sources as before the push; dry run, report and tracker entry", async () => {
    const trackerId = project.config.tracker?.id ?? "";
    expect(trackerId).not.toBe("");
    const before = session.emulator.dump();
    const runId = await planAndPush(project);
    const afterPush = session.emulator.dump();
    expect(comparable(afterPush, [trackerId])).not.toEqual(comparable(before, [trackerId]));

    const seen = session.emulator.log.all().length;
    const dry = await cli(project, ["revert", runId, "--dry-run"]);
    expect(dry.status, dry.stderr).toBe(0);
    expect(dry.stdout).toMatch(
      /~ wt_phase_database \/ [^\n]+ — [^\n]+ [0-9a-f-]{36}\n {4}status: Active → \(empty\)/,
    );
    expect(dry.stdout).toMatch(/fields would be restored .* Nothing was written\./);
    expect(dry.stderr).toMatch(
      /^Target: the workspace "WT Workspace" at http:\/\/127\.0\.0\.1:\d+ /m,
    );
    // One read names the workspace; nothing else is sent.
    expect(
      session.emulator.log
        .all()
        .slice(seen)
        .map((entry) => `${entry.method} ${entry.path}`),
    ).toEqual(["GET /v1/users/me"]);
    expect(pagePatches(session, seen)).toBe(0);

    const done = await cli(project, ["revert", runId, "--yes", "--json"]);
    expect(done.status, done.stderr).toBe(0);
    const result = JSON.parse(done.stdout) as {
      revertRunId: string;
      status: string;
      tracker: { ok: boolean; pageId?: string };
    };
    expect(result.status).toBe("applied");
    expect(result.tracker.ok).toBe(true);
    const after = session.emulator.dump();
    expect(comparable(after, [trackerId])).toEqual(comparable(before, [trackerId]));
    // The tracker gains one entry for the push and one for the revert, by design.
    expect(trackerPages(after, trackerId)).toHaveLength(trackerPages(before, trackerId).length + 2);
    const entry = trackerPages(after, trackerId).find((page) => page.id === result.tracker.pageId);
    expect(JSON.stringify(entry)).toContain(result.revertRunId);

    const report = await cli(project, ["runs", "show", result.revertRunId, "--md"]);
    expect(report.status, report.stderr).toBe(0);
    expect(report.stdout).toContain(result.revertRunId);
    expect(report.stdout).toContain(runId);
  });
});
