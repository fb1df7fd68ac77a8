import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { EmulatorSession } from "../support/emulator.ts";
import { openEmulator } from "../support/emulator.ts";
import type { TestProject } from "../support/project.ts";
import { createProject } from "../support/project.ts";
import type { Lab } from "../revert/lab-workspace.ts";
import { labWorkspace } from "../revert/lab-workspace.ts";
import { cli, writeRule } from "../revert/revert-helpers.ts";

let session: EmulatorSession;
let project: TestProject;
let lab: Lab;

beforeEach(async () => {
  lab = labWorkspace();
  session = await openEmulator({ seed: lab.seed });
  project = createProject(session);
  await project.pull();
  writeRule(project, "lab_items.Score", { alpha: 1, beta: 2 });
});
afterEach(async () => {
  project.remove();
  await session.stop();
});

const id = (title: string) => lab.pages[title] ?? "";

/** Plans and pushes through the CLI; returns the run id. */
async function planAndPushCli(): Promise<string> {
  const plan = await cli(project, ["plan", "--json"]);
  expect(plan.status, plan.stderr).toBe(0);
  const { runId } = JSON.parse(plan.stdout) as { runId: string };
  const push = await cli(project, ["push", runId, "--yes"]);
  expect(push.status, push.stderr).toBe(0);
  return runId;
}

describe("pages are named by database and title, as plan names them", { timeout: 120_000 }, () => {
  it("push --dry-run names each request's page and properties above the exact request", async () => {
    const plan = await cli(project, ["plan", "--json"]);
    const { runId } = JSON.parse(plan.stdout) as { runId: string };
    const dry = await cli(project, ["push", runId, "--dry-run"]);
    expect(dry.status, dry.stderr).toBe(0);
    const lines = dry.stdout.split("\n");
    const beta = lines.findIndex((line) => line === "# lab_items / beta: Score");
    expect(beta, dry.stdout).toBeGreaterThanOrEqual(0);
    expect(lines[beta + 1]).toMatch(/^# {3}Score: \(empty\) → \S/);
    expect(lines[beta + 2]).toMatch(new RegExp(`^PATCH /v1/pages/${id("beta")} \\{`));
    expect(dry.stdout).toContain("2 changes on 2 pages of run");
  });

  it("revert --dry-run, a revert's conflicts and runs show name pages by database and title", async () => {
    const runId = await planAndPushCli();
    session.emulator.editAsPerson({ pageId: id("beta"), properties: { Score: { number: 99 } } });

    const dry = await cli(project, ["revert", runId, "--dry-run"]);
    expect(dry.status, dry.stderr).toBe(0);
    expect(dry.stdout).toContain(`~ lab_items / alpha ${id("alpha")}\n    Score: 1 → (empty)`);
    expect(dry.stdout).toContain(`~ lab_items / beta ${id("beta")}\n    Score: 2 → (empty)`);
    expect(dry.stdout).not.toMatch(/~ page /);

    const done = await cli(project, ["revert", runId, "--yes"]);
    expect(done.status, done.stderr).toBe(3);
    expect(done.stdout).toContain(", 1 conflict, ");
    expect(done.stdout).toContain(
      `conflict: lab_items / beta ${id("beta")}, Score: now 99, the run wrote 2`,
    );
    expect(done.stderr).toContain(`notion-mirror revert ${runId} --force`);
    const revertRunId = /This revert is itself run (\S+):/.exec(done.stderr)?.[1] ?? "";
    expect(revertRunId).not.toBe("");

    const report = await cli(project, ["runs", "show", revertRunId, "--md"]);
    expect(report.status, report.stderr).toBe(0);
    expect(report.stdout).toContain(
      `- lab_items / beta (\`${id("beta")}\`), Score: skipped_conflict`,
    );
    expect(report.stdout).toContain("| Conflicts (changed since the run, left as they are) | 1 |");
  });

  it("runs lists a revert's conflicts in a conflicts column, not as protected", async () => {
    const runId = await planAndPushCli();
    session.emulator.editAsPerson({ pageId: id("beta"), properties: { Score: { number: 99 } } });
    await cli(project, ["revert", runId, "--yes"]);

    const runs = await cli(project, ["runs"]);
    expect(runs.status, runs.stderr).toBe(0);
    const table = runs.stdout.split("\n");
    const cells = (line: string | undefined) =>
      (line ?? "")
        .split("│")
        .map((cell) => cell.trim())
        .filter((cell, index, all) => index > 0 && index < all.length - 1);
    const head = cells(table.find((line) => line.includes("conflicts")));
    expect(head).toEqual([
      "run",
      "kind",
      "status",
      "created",
      "changes",
      "applied",
      "protected",
      "conflicts",
      "failed",
    ]);
    const column = (name: string, row: string[]) => row[head.indexOf(name)];
    const revertRow = cells(table.find((line) => line.includes(`revert of ${runId}`)));
    expect(column("conflicts", revertRow)).toBe("1");
    expect(column("protected", revertRow)).toBe("-");
    const fillRow = cells(table.find((line) => line.includes(runId) && line.includes("fill")));
    expect(column("protected", fillRow)).toBe("0");
    expect(column("conflicts", fillRow)).toBe("-");
  });
});
