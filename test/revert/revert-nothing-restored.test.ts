import { existsSync, readdirSync } from "node:fs";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { planRun } from "../../src/fill/plan-run.ts";
import { listRuns } from "../../src/runs/run-store.ts";
import type { PulledWorld } from "../support/pulled-world.ts";
import { openPulledWorld } from "../support/pulled-world.ts";
import type { Lab } from "./lab-workspace.ts";
import { labWorkspace } from "./lab-workspace.ts";
import { cli, planAndPush, push, writeRule } from "./revert-helpers.ts";

let world: PulledWorld;
let lab: Lab;
const id = (title: string) => lab.pages[title] ?? "";

beforeEach(async () => {
  lab = labWorkspace();
  world = await openPulledWorld({ seed: lab.seed });
});
afterEach(() => world.close());

const byHand = (content: string) => ({
  rich_text: [{ type: "text", text: { content }, plain_text: content }],
});

function runs(): Array<{ id: string; kind: string; status: string }> {
  const mirror = world.project.openMirror();
  try {
    return listRuns(mirror.sqlite).map(({ id, kind, status }) => ({ id, kind, status }));
  } finally {
    mirror.close();
  }
}

describe("a revert with nothing it can restore", { timeout: 120_000 }, () => {
  it("refuses when every field was changed since the run: names each, records no run, exit 2", async () => {
    const { project, session } = world;
    writeRule(project, "lab_items.Notes", { alpha: "from the run", beta: "from the run" });
    const runId = await planAndPush(project);
    for (const title of ["alpha", "beta"])
      session.emulator.editAsPerson({
        pageId: id(title),
        properties: { Notes: byHand(`typed on ${title}`) },
      });

    const ran = await cli(project, ["revert", runId, "--yes"]);
    expect(ran.status, ran.stderr).toBe(2);
    expect(ran.stdout).toBe("");
    expect(ran.stderr).toContain(`Nothing of run ${runId} can be restored`);
    for (const title of ["alpha", "beta"])
      expect(ran.stderr).toMatch(
        new RegExp(
          `changed since the run: [^\\n]*${title}[^\\n]*, Notes: now [^\\n]*typed on ${title}[^\\n]*, the run wrote [^\\n]*from the run`,
        ),
      );
    expect(ran.stderr).toContain(`notion-mirror revert ${runId} --force`);
    // No revert recorded, none on disk; the run is still applied.
    expect(runs()).toEqual([{ id: runId, kind: "fill", status: "applied" }]);
    const snapshots = readdirSync(project.config.snapshotsDir).filter((file) =>
      file.endsWith(".snapshot.ndjson"),
    );
    expect(snapshots).toEqual([`${runId}.snapshot.ndjson`]);
  });

  it("names a page whose restore failed, and why, in its summary", async () => {
    const { project, session } = world;
    writeRule(project, "lab_items.Notes", { alpha: "from the run", beta: "from the run" });
    const runId = await planAndPush(project);
    session.emulator.editAsPerson({ pageId: id("beta"), inTrash: true });

    const ran = await cli(project, ["revert", runId, "--yes"]);
    expect(ran.status, ran.stderr).toBe(3);
    expect(ran.stdout).toMatch(
      new RegExp(`failed: [^\\n]*beta[^\\n]*${id("beta")}, Notes: the page is in the trash`),
    );
  });
});

describe("revert --last", { timeout: 120_000 }, () => {
  it("passes over a finished run that wrote nothing, and says which run it picked and why", async () => {
    const { project, session } = world;
    writeRule(project, "lab_items.Notes", { alpha: "a", beta: "b" });
    const wrote = await planAndPush(project);
    writeRule(project, "lab_items.Score", { alpha: 1, beta: 2 });
    const { runId: nothing } = await planRun(project.config, { minConfidence: "low" });
    if (!nothing) throw new Error("nothing planned");
    // People fill Score first: the second run protects both and writes nothing.
    for (const title of ["alpha", "beta"])
      session.emulator.editAsPerson({ pageId: id(title), properties: { Score: { number: 9 } } });
    await push(project, nothing);
    expect(runs()).toEqual([
      { id: nothing, kind: "fill", status: "applied" },
      { id: wrote, kind: "fill", status: "applied" },
    ]);

    const ran = await cli(project, ["revert", "--last", "--dry-run", "--json"]);
    expect(ran.status, ran.stderr).toBe(0);
    expect((JSON.parse(ran.stdout) as { runId: string }).runId).toBe(wrote);
    expect(ran.stderr).toContain(
      `--last picked run ${wrote} (fill, applied): the latest run that wrote to Notion (2 fields of it there now).`,
    );
    expect(ran.stderr).toContain(
      `Passed over, having written nothing to Notion: ${nothing} (fill, applied).`,
    );
    expect(existsSync(project.config.snapshotsDir)).toBe(true);
  });
});

describe("a run reverted in part", { timeout: 120_000 }, () => {
  it("is listed by runs and runs show as partly reverted, with how much", async () => {
    const { project, session } = world;
    writeRule(project, "lab_items.Notes", { alpha: "from the run", beta: "from the run" });
    const runId = await planAndPush(project);
    session.emulator.editAsPerson({ pageId: id("beta"), properties: { Notes: byHand("kept") } });
    const reverted = await cli(project, ["revert", runId, "--yes"]);
    expect(reverted.status, reverted.stderr).toBe(3);
    expect(reverted.stdout).toContain("1 restored on 1 page, 1 conflict");

    const listed = await cli(project, ["runs"]);
    expect(listed.stdout).toMatch(
      new RegExp(`${runId}[\\s│]+fill[\\s│]+applied, partly reverted \\(1 of 2\\)`),
    );
    const json = await cli(project, ["runs", "--json"]);
    const row = (JSON.parse(json.stdout) as Array<{ id: string; partlyReverted: unknown }>).find(
      (run) => run.id === runId,
    );
    expect(row?.partlyReverted).toEqual({ reverted: 1, written: 2 });
    const shown = await cli(project, ["runs", "show", runId]);
    expect(shown.stdout).toMatch(/— APPLIED, PARTLY REVERTED \(1 OF 2\)/);
  });
});
