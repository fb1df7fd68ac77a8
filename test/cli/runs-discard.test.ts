import { existsSync } from "node:fs";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { pushRun, selectPushRun } from "../../src/apply/push.ts";
import { acquireWriterLock } from "../../src/apply/writer-lock.ts";
import { readSnapshot, snapshotPath } from "../../src/snapshot/snapshot-file.ts";
import { runCli } from "../matrix/support-b/cli.ts";
import { actedOf, killCliWhen } from "../matrix/support/kill-cli.ts";
import type { MatrixWorld } from "../matrix/support/matrix-world.ts";
import { plannedWorld } from "../matrix/support/matrix-world.ts";

let world: MatrixWorld;

beforeAll(async () => {
  world = await plannedWorld();
});
beforeEach(() => world.reset());
afterAll(() => world?.close());

const env = () => ({
  NOTION_TOKEN: world.session.emulator.token,
  NOTION_BASE_URL: world.session.emulator.url,
});
const cli = (args: string[]) => runCli(["--config", world.project.config.file, ...args], env());
const openRunIds = async () => {
  const ran = await cli(["status", "--json"]);
  expect(ran.code, ran.stderr).toBe(0);
  return (JSON.parse(ran.stdout) as { openRuns: Array<{ id: string }> }).openRuns.map(
    (run) => run.id,
  );
};
const runStatus = async () => {
  const ran = await cli(["runs", "--json"]);
  const runs = JSON.parse(ran.stdout) as Array<{ id: string; status: string }>;
  return runs.find((run) => run.id === world.runId)?.status;
};
const patches = () => world.session.emulator.log.all().filter((entry) => entry.method === "PATCH");
const snapshotEntries = () => {
  const file = snapshotPath(world.project.config.snapshotsDir, world.runId);
  return existsSync(file) ? readSnapshot(file).entries : [];
};

describe("runs discard", () => {
  it("drops a plan that will not be pushed: status stops listing it and push refuses it", async () => {
    expect(await openRunIds()).toEqual([world.runId]);
    const nagging = await cli(["status"]);
    expect(nagging.stdout).toContain(`notion-mirror runs discard RUN-ID`);

    const discarded = await cli(["runs", "discard", world.runId]);
    expect(discarded.code, discarded.stderr).toBe(0);
    expect(discarded.stdout).toBe(
      `Discarded run ${world.runId} (fill, was planned): ${world.targets.length} changes, none sent.\n`,
    );
    expect(await openRunIds()).toEqual([]);
    expect((await cli(["status"])).stdout).toContain("No open runs.");
    expect(await runStatus()).toBe("discarded");

    const named = await cli(["push", world.runId, "--yes"]);
    expect(named.code).toBe(2);
    expect(named.stderr).toContain(`Run ${world.runId} was discarded`);
    const dry = await cli(["push", world.runId, "--dry-run"]);
    expect(dry.code).toBe(2);
    const latest = await cli(["push", "--yes"]);
    expect(latest.code).toBe(2);
    expect(latest.stderr).toContain("No planned run to push");
    expect(patches()).toEqual([]);

    const again = await cli(["runs", "discard", world.runId]);
    expect(again.code).toBe(2);
    expect(again.stderr).toContain(`never wrote to Notion (status discarded): nothing to discard`);
  });

  it("prints its result as JSON with --json", async () => {
    const ran = await cli(["runs", "discard", world.runId, "--json"]);
    expect(ran.code, ran.stderr).toBe(0);
    expect(JSON.parse(ran.stdout)).toEqual({
      runId: world.runId,
      kind: "fill",
      was: "planned",
      changes: world.targets.length,
    });
  });

  it("refuses a run that was pushed, and leaves it as it was", async () => {
    await world.push();
    const ran = await cli(["runs", "discard", world.runId]);
    expect(ran.code).toBe(2);
    expect(ran.stderr).toContain(`Run ${world.runId} is applied: it wrote to Notion`);
    expect(ran.stderr).toContain(`notion-mirror revert ${world.runId}`);
    expect(await runStatus()).toBe("applied");
  });

  it("refuses a push killed after a pre-image was written (a write may have left); push then finishes it", async () => {
    const [target] = world.targets;
    if (!target) throw new Error("no target");
    const rule = world.session.emulator.faults.add({
      method: "PATCH",
      path: `/v1/pages/${target.pageId}`,
      action: { type: "hang" },
    });
    const end = await killCliWhen(
      world.project,
      ["push", world.runId, "--yes"],
      () => actedOf(world.session.emulator.faults, rule) >= 1,
    );
    expect(end).toEqual({ killed: true });
    expect(snapshotEntries().filter((entry) => entry.type === "pre").length).toBeGreaterThan(0);

    const ran = await cli(["runs", "discard", world.runId]);
    expect(ran.code).toBe(2);
    expect(ran.stderr).toMatch(/cannot be discarded: its snapshot .* holds \d+ entr/);
    expect(ran.stderr).toContain(`notion-mirror push ${world.runId}`);
    expect(await runStatus()).toBe("applying");

    world.session.emulator.faults.clear();
    const resumed = await world.push();
    expect(resumed.status).toBe("applied");
  });

  it("discards a push killed before its first pre-image: nothing was sent", async () => {
    const rule = world.session.emulator.faults.add({
      method: "GET",
      path: "/v1/pages/*",
      action: { type: "delay", ms: 3000 },
    });
    const end = await killCliWhen(
      world.project,
      ["push", world.runId, "--yes"],
      () => actedOf(world.session.emulator.faults, rule) >= 1,
    );
    expect(end).toEqual({ killed: true });
    expect(snapshotEntries().map((entry) => entry.type)).toEqual(["run"]);
    expect(await runStatus()).toBe("applying");

    const ran = await cli(["runs", "discard", world.runId]);
    expect(ran.code, ran.stderr).toBe(0);
    expect(ran.stdout).toContain("was applying");
    expect(await openRunIds()).toEqual([]);
    expect(patches()).toEqual([]);
  });

  it("a push that selected the run before it was discarded sends nothing", async () => {
    const mirror = world.project.openMirror();
    try {
      const run = selectPushRun(mirror, world.runId);
      expect((await cli(["runs", "discard", world.runId])).code).toBe(0);
      await expect(pushRun(world.project.config, mirror, world.project.api(), run)).rejects.toThrow(
        `Run ${world.runId} was discarded`,
      );
    } finally {
      mirror.close();
    }
    expect(world.session.emulator.log.all()).toEqual([]);
  });

  it("waits for no one: refused while a push or revert holds the writer lock", async () => {
    const release = acquireWriterLock(world.project.config.snapshotsDir, "push (test)");
    try {
      const ran = await cli(["runs", "discard", world.runId]);
      expect(ran.code).toBe(2);
      expect(ran.stderr).toContain('Another push or revert is running: "push (test)"');
    } finally {
      release();
    }
    expect(await runStatus()).toBe("planned");
  });

  it("refuses what is not a run id, and a run the mirror does not have", async () => {
    const hostile = await cli(["runs", "discard", "../x"]);
    expect(hostile.code).toBe(2);
    expect(hostile.stderr).toContain("is not a run id");
    const unknown = await cli(["runs", "discard", "20200101-000000-abcd"]);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain("No run 20200101-000000-abcd");
  });
});
