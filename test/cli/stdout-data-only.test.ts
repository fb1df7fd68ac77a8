import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { PulledWorld } from "../support/pulled-world.ts";
import { openPulledWorld } from "../support/pulled-world.ts";
import { runCli, spawnCli } from "../matrix/support-b/cli.ts";

/**
 * stdout carries data only: what `plan`, `push` and `revert` print there is their result, and
 * every hint about what to do next, where the writes go or what became of the tracker entry is
 * on stderr — so `notion-mirror push --dry-run > plan.txt` keeps the plan alone.
 *
 * The push runs as a child process, its stdout and stderr real pipes; the other commands run
 * through the same CLI entry in this process (what they write to each stream is captured), which
 * spares four process starts.
 */
let world: PulledWorld;
beforeAll(async () => {
  world = await openPulledWorld({ demoRules: true });
});
afterAll(() => world.close());

/** Lines that are notes for people, not data. */
const NOTES = [
  /^Next: /m,
  /^Target: /m,
  /Undo with: /,
  /Tracker entry written/,
  /No tracker entry/,
  /This revert is itself run/,
  /^Unfinished: /m,
  /carried over from earlier plans/,
];

function expectDataOnly(stdout: string): void {
  for (const note of NOTES) expect(stdout).not.toMatch(note);
}

describe("stdout holds only data", { timeout: 180_000 }, () => {
  it("plan, push and revert, with and without --dry-run: their notes on stderr", async () => {
    const { project } = world;
    const inProcess = async (args: string[]) => {
      const ran = await runCli(["--config", project.config.file, ...args], world.env);
      return { status: ran.code, stdout: ran.stdout, stderr: ran.stderr };
    };
    const planned = await inProcess(["plan", "--min-confidence", "high"]);
    expect(planned.status, planned.stderr).toBe(0);
    expectDataOnly(planned.stdout);
    const runId = /^Planned run (\S+)\.$/m.exec(planned.stdout)?.[1] ?? "";
    expect(runId).not.toBe("");
    expect(planned.stderr).toContain(`proposals wait for review: notion-mirror review`);

    const dryPush = await inProcess(["push", runId, "--dry-run"]);
    expect(dryPush.status, dryPush.stderr).toBe(0);
    expectDataOnly(dryPush.stdout);
    expect(dryPush.stdout).toMatch(/^PATCH \/v1\/pages\//m);
    expect(dryPush.stderr).toMatch(/^Target: /m);

    const pushed = await spawnCli(
      ["--config", project.config.file, "push", runId, "--yes"],
      world.env,
      project.dir,
    ).done;
    expect(pushed.code, pushed.stderr).toBe(0);
    expectDataOnly(pushed.stdout);
    expect(pushed.stdout).toContain(`Run ${runId}: applied.`);
    expect(pushed.stderr).toContain(`Undo with: notion-mirror revert ${runId}`);
    expect(pushed.stderr).toContain("Tracker entry written");

    const dryRevert = await inProcess(["revert", runId, "--dry-run"]);
    expect(dryRevert.status, dryRevert.stderr).toBe(0);
    expectDataOnly(dryRevert.stdout);
    expect(dryRevert.stdout).toMatch(/fields would be restored/);
    expect(dryRevert.stderr).toMatch(/^Target: /m);

    const reverted = await inProcess(["revert", runId, "--yes"]);
    expect(reverted.status, reverted.stderr).toBe(0);
    expectDataOnly(reverted.stdout);
    expect(reverted.stdout).toMatch(new RegExp(`^Revert \\S+ of run ${runId}: applied\\.`, "m"));
    expect(reverted.stderr).toContain("This revert is itself run");
    expect(reverted.stderr).toContain("Tracker entry written");
  });
});
