import { existsSync } from "node:fs";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { acquireWriterLock } from "../../src/apply/writer-lock.ts";
import { snapshotPath } from "../../src/snapshot/snapshot-file.ts";
import type { CliEnv } from "./support-b/cli.ts";
import { runCli, spawnCli } from "./support-b/cli.ts";
import { actedOf, killCliWhen } from "./support/kill-cli.ts";
import type { MatrixWorld } from "./support/matrix-world.ts";
import { botWrites, liveProperty, optionName, plannedWorld } from "./support/matrix-world.ts";

// Every way a person can come back to a revert that did not finish (the run's id, --last, the
// revert's own id, the fill run's snapshot, the hint the tool printed) continues that revert; none
// of them reverts it. Real child processes against the emulator, on the demo workspace's 5 fills.

let world: MatrixWorld;

beforeAll(async () => {
  world = await plannedWorld();
});
beforeEach(() => world.reset());
afterAll(() => world.close());

interface Ran {
  code: number | null;
  stdout: string;
  stderr: string;
}

/**
 * `notion-mirror <args>` with the project's config, through the CLI entry in this process (a
 * process start saved per command: the routes are what is tested, not the process). With
 * `config: null` (none at all: the project's folder is then where it runs) or `child`, as a child
 * process.
 */
async function cli(
  args: string[],
  options: { config?: string | null; child?: boolean } = {},
): Promise<Ran> {
  const config = options.config === undefined ? world.project.config.file : options.config;
  const env: CliEnv = {
    NOTION_TOKEN: world.session.emulator.token,
    NOTION_BASE_URL: world.session.emulator.url,
  };
  if (config !== null && !options.child) return runCli(["--config", config, ...args], env);
  const run = spawnCli(
    [...(config === null ? [] : ["--config", config]), ...args],
    env,
    world.project.dir,
  );
  const { code, stdout, stderr } = await run.done;
  return { code, stdout, stderr };
}

const patches = () =>
  world.session.emulator.log.all().filter((entry) => entry.method === "PATCH").length;

function revertRuns(): Array<{ id: string; status: string; revertsRunId: string }> {
  const mirror = world.project.openMirror();
  try {
    return mirror.sqlite
      .prepare(
        "SELECT id, status, reverts_run_id AS revertsRunId FROM runs WHERE kind = 'revert' ORDER BY created_at",
      )
      .all() as Array<{ id: string; status: string; revertsRunId: string }>;
  } finally {
    mirror.close();
  }
}

function runStatus(id: string): string {
  const mirror = world.project.openMirror();
  try {
    return String(mirror.sqlite.prepare("SELECT status FROM runs WHERE id = ?").pluck().get(id));
  } finally {
    mirror.close();
  }
}

/** Each field back to empty, each page written once by the push and once by the revert. */
function expectRestoredOnce(): void {
  for (const target of world.targets) {
    expect(optionName(liveProperty(world.session, target.pageId, target.propertyId))).toBe(null);
    expect(botWrites(world.session, target.pageId), `writes to ${target.pageId}`).toBe(2);
  }
  expect(world.violations()).toEqual([]);
}

/** A revert cut after two page writes: its id, and what it printed. */
async function cutRevert(): Promise<{ revertRunId: string; cut: Ran }> {
  expect((await world.push()).status).toBe("applied");
  const cut = await cli(["revert", world.runId, "--yes", "--max-writes", "2"]);
  expect(cut.code, cut.stderr).toBe(3);
  expect(cut.stdout).toMatch(/applying\. 2 restored on 2 pages, .* 3 pending/);
  const [revert] = revertRuns();
  if (!revert) throw new Error("no revert run recorded");
  return { revertRunId: revert.id, cut };
}

describe("an unfinished revert is continued, never reverted", { timeout: 120_000 }, () => {
  it("`revert --last` after a revert cut by --max-writes continues that revert, and says so", async () => {
    const { revertRunId } = await cutRevert();
    const resumed = await cli(["revert", "--last", "--yes"]);
    expect(resumed.code, resumed.stderr).toBe(0);
    expect(resumed.stderr).toContain(
      `--last: the latest run, ${revertRunId}, is a revert of run ${world.runId} that did not finish: continuing it, not undoing it.`,
    );
    expect(resumed.stdout).toContain(
      `Revert ${revertRunId} of run ${world.runId}: applied. 5 restored on 5 pages`,
    );
    expect(resumed.stdout).toContain("2 of those fields were restored before this invocation");
    expect(revertRuns()).toEqual([
      { id: revertRunId, status: "applied", revertsRunId: world.runId },
    ]);
    expect(runStatus(world.runId)).toBe("reverted");
    expectRestoredOnce();

    // Now it is finished, and reverting the run again changes nothing and says so.
    const sent = patches();
    const again = await cli(["revert", world.runId, "--yes"]);
    expect(again.code).toBe(2);
    expect(again.stderr).toContain(
      `Run ${world.runId} was already reverted (by revert ${revertRunId})`,
    );
    expect(patches()).toBe(sent);
  });

  it("`revert <the revert's own id>` while it is unfinished continues it instead of undoing it", async () => {
    const { revertRunId } = await cutRevert();
    const resumed = await cli(["revert", revertRunId, "--yes"]);
    expect(resumed.code, resumed.stderr).toBe(0);
    expect(resumed.stderr).toContain(
      `Run ${revertRunId}, is a revert of run ${world.runId} that did not finish: continuing it, not undoing it.`,
    );
    expect(resumed.stdout).toContain(
      `Revert ${revertRunId} of run ${world.runId}: applied. 5 restored`,
    );
    expect(revertRuns().map((run) => run.id)).toEqual([revertRunId]);
    expectRestoredOnce();
  });

  it("the command the tool prints for an unfinished revert continues it", async () => {
    const { revertRunId, cut } = await cutRevert();
    expect(cut.stderr).not.toContain(`notion-mirror revert ${revertRunId} undoes it`);
    const hint = /Unfinished: notion-mirror (revert \S+) resumes it/.exec(cut.stderr)?.[1];
    expect(hint).toBe(`revert ${world.runId}`);
    const resumed = await cli([...(hint ?? "").split(" "), "--yes"]);
    expect(resumed.code, resumed.stderr).toBe(0);
    expect(resumed.stderr).toContain(
      `Run ${world.runId} has a revert that did not finish, ${revertRunId}: continuing it under the same id.`,
    );
    expect(revertRuns().map((run) => run.id)).toEqual([revertRunId]);
    expectRestoredOnce();
  });

  it("`revert --snapshot` of the run, with no config or mirror, continues the revert beside it", async () => {
    const { revertRunId } = await cutRevert();
    const file = snapshotPath(world.project.config.snapshotsDir, world.runId);
    const resumed = await cli(["revert", "--snapshot", file, "--yes"], { config: null });
    expect(resumed.code, resumed.stderr).toBe(0);
    expect(resumed.stdout).toContain(
      `Revert ${revertRunId} of run ${world.runId}: applied. 5 restored`,
    );
    for (const target of world.targets) {
      expect(optionName(liveProperty(world.session, target.pageId, target.propertyId))).toBe(null);
      expect(botWrites(world.session, target.pageId), target.pageId).toBe(2);
    }
    // The revert's own snapshot, beside it, now says every field is restored: a second time sends nothing.
    const sent = world.session.emulator.log.all().length;
    const again = await cli(["revert", "--snapshot", file, "--yes"], { config: null });
    expect(again.code).toBe(2);
    expect(again.stderr).toContain(`was already reverted (by revert ${revertRunId})`);
    expect(again.stdout).toBe("");
    expect(world.session.emulator.log.all().length).toBe(sent);
  });

  it("`revert --snapshot` of the unfinished revert's own snapshot, with no config, continues it", async () => {
    const { revertRunId } = await cutRevert();
    const file = snapshotPath(world.project.config.snapshotsDir, revertRunId);
    const resumed = await cli(["revert", "--snapshot", file, "--yes"], { config: null });
    expect(resumed.code, resumed.stderr).toBe(0);
    expect(resumed.stderr).toContain(`is a revert of run ${world.runId} that did not finish`);
    expect(resumed.stdout).toContain(
      `Revert ${revertRunId} of run ${world.runId}: applied. 5 restored`,
    );
    for (const target of world.targets) {
      expect(optionName(liveProperty(world.session, target.pageId, target.propertyId))).toBe(null);
      expect(botWrites(world.session, target.pageId), target.pageId).toBe(2);
    }
  });

  it("a finished revert is still undone by `revert --last`, and the run can then be reverted again", async () => {
    expect((await world.push()).status).toBe("applied");
    const undo = await cli(["revert", world.runId, "--yes"]);
    expect(undo.code, undo.stderr).toBe(0);
    const [first] = revertRuns();
    const redo = await cli(["revert", "--last", "--yes"]);
    expect(redo.code, redo.stderr).toBe(0);
    expect(redo.stderr).toContain(
      `--last: the latest run, ${first?.id}, is a finished revert of run ${world.runId}: undoing it`,
    );
    for (const target of world.targets)
      expect(optionName(liveProperty(world.session, target.pageId, target.propertyId))).toBe(
        "Active",
      );
    expect(runStatus(world.runId)).toBe("applied");
    const again = await cli(["revert", world.runId, "--yes"]);
    expect(again.code, again.stderr).toBe(0);
    expect(again.stdout).toMatch(/applied\. 5 restored on 5 pages/);
    for (const target of world.targets)
      expect(optionName(liveProperty(world.session, target.pageId, target.propertyId))).toBe(null);
    expect(world.violations()).toEqual([]);
  });
});

describe("a revert that never started", { timeout: 120_000 }, () => {
  it("killed before its snapshot existed, it is continued by the next revert under the same id, and nothing is left planned", async () => {
    expect((await world.push()).status).toBe("applied");
    const faults = world.session.emulator.faults;
    const rule = faults.add({ method: "GET", path: "/v1/users/me", action: { type: "hang" } });
    const end = await killCliWhen(
      world.project,
      ["revert", world.runId, "--yes"],
      () => actedOf(faults, rule) >= 1,
    );
    expect(end).toEqual({ killed: true });
    faults.clear();
    const [stray] = revertRuns();
    expect(stray).toMatchObject({ status: "planned", revertsRunId: world.runId });
    expect(existsSync(snapshotPath(world.project.config.snapshotsDir, stray?.id ?? ""))).toBe(
      false,
    );
    const status = await cli(["status"]);
    expect(status.stdout + status.stderr).toContain(`${stray?.id} (revert, planned)`);

    const resumed = await cli(["revert", "--last", "--yes"]);
    expect(resumed.code, resumed.stderr).toBe(0);
    expect(resumed.stderr).toContain("It had stopped before anything was sent.");
    expect(resumed.stdout).toContain(
      `Revert ${stray?.id} of run ${world.runId}: applied. 5 restored`,
    );
    expect(revertRuns()).toEqual([{ id: stray?.id, status: "applied", revertsRunId: world.runId }]);
    const after = await cli(["status"]);
    expect(after.stdout + after.stderr).not.toContain("Open runs");
    expectRestoredOnce();
  });

  it("refused because another writer holds the lock, it leaves no planned run behind", async () => {
    expect((await world.push()).status).toBe("applied");
    const release = acquireWriterLock(world.project.config.snapshotsDir, "push (held by the test)");
    try {
      // Another process: this one holds the lock.
      const refused = await cli(["revert", world.runId, "--yes"], { child: true });
      expect(refused.code).toBe(2);
      expect(refused.stderr).toContain("Another push or revert is running");
    } finally {
      release();
    }
    expect(revertRuns()).toEqual([]);
    expect(patches()).toBe(world.targets.length);
  });

  it("a stray planned revert named by its id is continued, and an already-reverted run drops it", async () => {
    expect((await world.push()).status).toBe("applied");
    const faults = world.session.emulator.faults;
    const rule = faults.add({ method: "GET", path: "/v1/users/me", action: { type: "hang" } });
    await killCliWhen(
      world.project,
      ["revert", world.runId, "--yes"],
      () => actedOf(faults, rule) >= 1,
    );
    faults.clear();
    const [stray] = revertRuns();
    const resumed = await cli(["revert", stray?.id ?? "", "--yes"]);
    expect(resumed.code, resumed.stderr).toBe(0);
    expect(resumed.stdout).toContain(
      `Revert ${stray?.id} of run ${world.runId}: applied. 5 restored`,
    );

    // Another stray, this time for a run already reverted: the refusal deletes it.
    const mirror = world.project.openMirror();
    mirror.sqlite
      .prepare(
        "INSERT INTO runs (id, kind, status, created_at, reverts_run_id, plan_json) VALUES ('20990101-000000-0000', 'revert', 'planned', '2099-01-01T00:00:00.000Z', ?, '{}')",
      )
      .run(world.runId);
    mirror.close();
    const refused = await cli(["revert", world.runId, "--yes"]);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain("was already reverted");
    expect(revertRuns().map((run) => run.id)).toEqual([stray?.id]);
    expectRestoredOnce();
  });
});

describe("a revert killed at a random instant", { timeout: 300_000 }, () => {
  const routes = ["--last", "the run's id", "the revert's own id", "--snapshot"] as const;
  for (const route of routes) {
    it(`resumed by ${route}, every field is restored once`, async () => {
      for (let round = 0; round < 2; round += 1) {
        world.reset();
        expect((await world.push()).status).toBe("applied");
        const seen = world.session.emulator.log.all().length;
        world.session.emulator.setLatency(40);
        // From its first request to past its last one (about 0.3 s at this latency).
        const delay = Math.floor(Math.random() * 400);
        let first = 0;
        const end = await killCliWhen(world.project, ["revert", world.runId, "--yes"], () => {
          if (world.session.emulator.log.all().length === seen) return false;
          first ||= Date.now();
          return Date.now() - first >= delay;
        });
        world.session.emulator.setLatency(0);
        const why = `killed ${delay} ms after its first request (${JSON.stringify(end)})`;
        const [revert] = revertRuns();
        const args =
          route === "--last"
            ? ["--last"]
            : route === "the run's id"
              ? [world.runId]
              : route === "the revert's own id"
                ? [revert?.id ?? world.runId]
                : ["--snapshot", snapshotPath(world.project.config.snapshotsDir, world.runId)];
        const resumed = await cli(["revert", ...args, "--yes"]);
        if (revert?.status !== "applied") {
          expect(resumed.code, `${why}: ${resumed.stderr}`).toBe(0);
          if (revert)
            expect(resumed.stdout, why).toContain(
              `Revert ${revert.id} of run ${world.runId}: applied`,
            );
          expect(revertRuns().length, why).toBe(1);
          expectRestoredOnce();
        } else if (route === "--last" || route === "the revert's own id") {
          // It had finished before the kill: the revert is the latest run, and it is undone
          // (--last says so; named by its own id, undoing it is what was asked).
          expect(resumed.code, `${why}: ${resumed.stderr}`).toBe(0);
          expect(resumed.stdout, why).toMatch(new RegExp(`of run ${revert.id}: applied`));
          if (route === "--last")
            expect(resumed.stderr, why).toContain(`is a finished revert of run ${world.runId}`);
        } else {
          expect(resumed.code, why).toBe(2);
          expect(resumed.stderr, why).toContain("was already reverted");
          expectRestoredOnce();
        }
      }
    });
  }
});
