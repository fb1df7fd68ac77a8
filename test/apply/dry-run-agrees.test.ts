import { existsSync, rmSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { pushRun, selectPushRun } from "../../src/apply/push.ts";
import { locateRevertTarget, planRevertRun } from "../../src/apply/revert.ts";
import { installDemoRules } from "../../src/fill/demo-rules.ts";
import { planRun } from "../../src/fill/plan-run.ts";
import { discardRun } from "../../src/runs/discard-run.ts";
import type { SeedFile } from "../../src/emulator/index.ts";
import type { TestProject } from "../support/project.ts";
import type { PulledWorld } from "../support/pulled-world.ts";
import { openPulledWorld } from "../support/pulled-world.ts";
import { saveRewindPoint } from "../support/rewind-point.ts";
import type { Crew } from "../support/two-way-workspace.ts";
import { crewWorkspace } from "../support/two-way-workspace.ts";
import type { Lab } from "../revert/lab-workspace.ts";
import { labWorkspace } from "../revert/lab-workspace.ts";
import { revert, writeRule } from "../revert/revert-helpers.ts";
import { runCli } from "../matrix/support-b/cli.ts";
import type { RecordedRequest } from "./support/recording-proxy.ts";
import { startRecordingProxy } from "./support/recording-proxy.ts";

/**
 * For every run state and every refusal, `push`/`revert` with `--dry-run` and without it agree:
 * the same refusal (text and exit code, nothing sent by either), or the dry run's requests are
 * exactly the page writes the command then sends (seen by a relay in front of the emulator).
 * Only those two invocations run the CLI; the runs they start from are made through the library.
 */

/** A pulled world with its rules written, where each test starts again (see saveRewindPoint). */
interface AgreeWorld extends PulledWorld {
  proxy: Awaited<ReturnType<typeof startRecordingProxy>>;
  rewind(): void;
}

/**
 * One world per describe: `seed` pulled once, `rules` written, the moment saved; each test
 * rewinds to it. The CLI runs reach the emulator through the recording relay.
 */
function worldOf(
  seed: (() => SeedFile) | undefined,
  rules: (project: TestProject) => void,
): () => AgreeWorld {
  let world: AgreeWorld | undefined;
  beforeAll(async () => {
    const pulled = await openPulledWorld(seed ? { seed: seed() } : {});
    const proxy = await startRecordingProxy(pulled.session.emulator.url);
    rules(pulled.project);
    const rewind = saveRewindPoint(pulled.session, pulled.project, "agree");
    world = {
      ...pulled,
      proxy,
      rewind,
      close: async () => {
        await proxy.stop();
        await pulled.close();
      },
    };
  });
  beforeEach(() => world?.rewind());
  afterAll(() => world?.close());
  return () => {
    if (!world) throw new Error("the world was not opened");
    return world;
  };
}

interface Ran {
  status: number | null;
  stdout: string;
  stderr: string;
}

/**
 * The CLI through its entry in this process, in the project's folder, its requests relayed (and
 * recorded) on their way to the emulator: what it writes to stdout and stderr is captured.
 */
async function cli(world: AgreeWorld, args: readonly string[]): Promise<Ran> {
  const { project, proxy } = world;
  const ran = await runCli(
    ["--config", join(project.dir, "notion-mirror.json"), ...args],
    { NOTION_TOKEN: project.env.NOTION_TOKEN, NOTION_BASE_URL: proxy.url },
    project.dir,
  );
  return { status: ran.code, stdout: ran.stdout, stderr: ran.stderr };
}

async function plan(world: AgreeWorld): Promise<string> {
  const { runId } = await planRun(world.project.config, { minConfidence: "low" });
  if (!runId) throw new Error("nothing planned");
  return runId;
}

/** `push RUN-ID` through the library, as the command runs it; returns the run's status. */
async function push(
  world: AgreeWorld,
  runId: string,
  options: { maxWrites?: number } = {},
): Promise<string> {
  const { project } = world;
  const mirror = project.openMirror();
  try {
    const run = selectPushRun(mirror, runId);
    return (await pushRun(project.config, mirror, project.api(), run, options)).status;
  } finally {
    mirror.close();
  }
}

function discard(world: AgreeWorld, runId: string): void {
  const mirror = world.project.openMirror();
  try {
    discardRun(mirror, world.project.config.snapshotsDir, runId);
  } finally {
    mirror.close();
  }
}

/**
 * The writes among `requests`: page writes, and the tracker's entry (POST /v1/pages), whose body
 * is compared by its parent only (its counts and date are known once the run has finished).
 */
const writes = (requests: readonly RecordedRequest[]) =>
  requests
    .filter((request) => request.method !== "GET" && request.path.startsWith("/v1/pages"))
    .map((request) => {
      const body = JSON.parse(request.body) as { parent?: unknown };
      return {
        method: request.method,
        path: request.path,
        body: request.method === "POST" ? { parent: body.parent } : (body as unknown),
      };
    });

/** The error line and its hint, as main prints them. */
const refusalText = (stderr: string) => stderr.trim();

/** Both refuse alike, and neither sends a page write. */
async function expectSameRefusal(
  world: AgreeWorld,
  args: readonly string[],
  pattern: RegExp,
): Promise<void> {
  const seen = world.proxy.requests.length;
  const dry = await cli(world, [...args, "--dry-run"]);
  const real = await cli(world, [...args, "--yes"]);
  expect(real.stderr).toMatch(pattern);
  expect(dry.status).toBe(real.status);
  expect(real.status).not.toBe(0);
  expect(refusalText(dry.stderr)).toBe(refusalText(real.stderr));
  expect(writes(world.proxy.requests.slice(seen))).toEqual([]);
}

/** What `--dry-run --json` prints: the plan, its exact requests among it. */
interface DryRun {
  requests: Array<{ method: string; path: string; body: unknown }>;
  leftForLater: number;
  changes?: Array<{ guard: { kind: string; syncedByRun?: string[] } }>;
}

/** `args --dry-run --json`: what it printed, the page writes it lists, and what it asked Notion. */
async function dryRun(
  world: AgreeWorld,
  args: readonly string[],
): Promise<{ dry: DryRun; planned: ReturnType<typeof writes>; asked: RecordedRequest[] }> {
  const before = world.proxy.requests.length;
  const ran = await cli(world, [...args, "--dry-run", "--json"]);
  expect(ran.status, ran.stderr).toBe(0);
  const dry = JSON.parse(ran.stdout) as DryRun;
  const planned = dry.requests.map(({ method, path, body }) => ({ method, path, body }));
  expect(planned.length).toBeGreaterThan(0);
  return { dry, planned, asked: world.proxy.requests.slice(before) };
}

const byPath = (requests: ReturnType<typeof writes>) =>
  [...requests].sort((a, b) => a.path.localeCompare(b.path));

/** The dry run's requests, then exactly those sent by the command (and at least one). */
async function expectSameRequests(
  world: AgreeWorld,
  args: readonly string[],
): Promise<ReturnType<typeof writes>> {
  const { planned } = await dryRun(world, args);
  const seen = world.proxy.requests.length;
  const real = await cli(world, [...args, "--yes"]);
  expect([0, 3], `${args.join(" ")}: ${real.stderr}`).toContain(real.status);
  expect(byPath(writes(world.proxy.requests.slice(seen)))).toEqual(byPath(planned));
  return planned;
}

/** `args --dry-run` in text: each request of the --json plan appears as `METHOD path body`. */
async function expectTextListsRequests(world: AgreeWorld, args: readonly string[]): Promise<void> {
  const { planned } = await dryRun(world, args);
  const text = await cli(world, [...args, "--dry-run"]);
  expect(text.status, text.stderr).toBe(0);
  for (const request of planned)
    expect(text.stdout).toContain(
      `${request.method} ${request.path} ${JSON.stringify(request.body)}`,
    );
}

let lab: Lab;
const labWorld = () => {
  lab = labWorkspace();
  return lab.seed;
};
const labRules = (project: TestProject) => {
  writeRule(project, "lab_items.Notes", { alpha: "a", beta: "b", gamma: "c" });
  writeRule(project, "lab_items.Score", { alpha: 1, beta: 2, gamma: 3 });
  writeRule(project, "lab_items.Site", { alpha: "https://a", beta: "https://b" });
};
const id = (title: string) => lab.pages[title] ?? "";

describe("push --dry-run says what push does", { timeout: 120_000 }, () => {
  const world = worldOf(labWorld, labRules);

  it("on a planned run: the requests listed are the requests sent", async () => {
    const runId = await plan(world());
    await expectSameRequests(world(), ["push", runId]);
  });

  it("on a run left applying by --max-writes: the requests listed are those still to send", async () => {
    const runId = await plan(world());
    expect(await push(world(), runId, { maxWrites: 1 })).toBe("applying");
    await expectSameRequests(world(), ["push", runId]);
  });

  it("on an applied run: the same refusal", async () => {
    const runId = await plan(world());
    await push(world(), runId);
    await expectSameRefusal(world(), ["push", runId], /already applied; nothing left to push/);
  });

  it("on a partial run: the same refusal", async () => {
    const runId = await plan(world());
    world().session.emulator.editAsPerson({ pageId: id("beta"), inTrash: true });
    expect(await push(world(), runId)).toBe("partial");
    await expectSameRefusal(world(), ["push", runId], /already partial; nothing left to push/);
  });

  it("on a reverted run: the same refusal", async () => {
    const runId = await plan(world());
    await push(world(), runId);
    await revert(world().project, runId);
    await expectSameRefusal(world(), ["push", runId], /already reverted; nothing left to push/);
  });

  it("on a discarded run: the same refusal", async () => {
    const runId = await plan(world());
    discard(world(), runId);
    await expectSameRefusal(world(), ["push", runId], /discarded/);
  });

  it("on a revert run: the same refusal", async () => {
    const runId = await plan(world());
    await push(world(), runId);
    const { revertRunId } = await revert(world().project, runId);
    await expectSameRefusal(world(), ["push", revertRunId], /is a revert run; push applies/);
  });

  it("with no run named and none open: the same refusal", async () => {
    const runId = await plan(world());
    await push(world(), runId);
    await expectSameRefusal(world(), ["push"], /No planned run to push/);
  });

  it("on a run that does not exist: the same refusal", async () => {
    await expectSameRefusal(world(), ["push", "20250101-000000-abcd"], /20250101-000000-abcd/);
  });
});

describe("revert --dry-run says what revert does", { timeout: 120_000 }, () => {
  const world = worldOf(labWorld, labRules);

  it("on a planned run never pushed: the same refusal", async () => {
    const runId = await plan(world());
    await expectSameRefusal(
      world(),
      ["revert", runId],
      /never wrote to Notion \(status (planned|discarded)\): nothing to revert/,
    );
  });

  it("on a discarded run: the same refusal", async () => {
    const runId = await plan(world());
    discard(world(), runId);
    await expectSameRefusal(
      world(),
      ["revert", runId],
      /never wrote to Notion \(status (planned|discarded)\): nothing to revert/,
    );
  });

  it("on a run left applying by --max-writes: the requests listed are the requests sent", async () => {
    const runId = await plan(world());
    expect(await push(world(), runId, { maxWrites: 1 })).toBe("applying");
    await expectSameRequests(world(), ["revert", runId]);
  });

  it("on an applied run: the requests listed are the requests sent", async () => {
    const runId = await plan(world());
    await push(world(), runId);
    await expectSameRequests(world(), ["revert", runId]);
  });

  it("on a partial run: the requests listed are the requests sent", async () => {
    const runId = await plan(world());
    world().session.emulator.editAsPerson({ pageId: id("beta"), inTrash: true });
    expect(await push(world(), runId)).toBe("partial");
    await expectSameRequests(world(), ["revert", runId]);
  });

  it("on a reverted run: the same refusal", async () => {
    const runId = await plan(world());
    await push(world(), runId);
    await revert(world().project, runId);
    await expectSameRefusal(world(), ["revert", runId], /already reverted/);
  });

  it("on a reverted run with --force: the requests listed are the requests sent", async () => {
    const runId = await plan(world());
    await push(world(), runId);
    await revert(world().project, runId);
    await expectSameRequests(world(), ["revert", runId, "--force"]);
  });

  it("on a revert stopped mid-way, named by the run it reverts or by itself: the rest of it", async () => {
    const runId = await plan(world());
    await push(world(), runId);
    const first = await revert(world().project, runId, { maxWrites: 1 });
    expect(first.status).toBe("applying");
    const dryByRevert = await cli(world(), ["revert", first.revertRunId, "--dry-run", "--json"]);
    const dryByRun = await cli(world(), ["revert", runId, "--dry-run", "--json"]);
    expect(dryByRevert.status, dryByRevert.stderr).toBe(0);
    expect(JSON.parse(dryByRevert.stdout)).toEqual(JSON.parse(dryByRun.stdout));
    await expectSameRequests(world(), ["revert", runId]);
  });

  it("on a finished revert: undoing it lists the requests it sends", async () => {
    const runId = await plan(world());
    await push(world(), runId);
    const { revertRunId } = await revert(world().project, runId);
    await expectSameRequests(world(), ["revert", revertRunId]);
  });

  it("with --last: the requests listed are the requests sent", async () => {
    const runId = await plan(world());
    await push(world(), runId);
    await expectSameRequests(world(), ["revert", "--last"]);
  });

  it("in text: lists each page write, as --json does", async () => {
    const runId = await plan(world());
    await push(world(), runId);
    await expectTextListsRequests(world(), ["revert", runId]);
  });
});

describe("with a tracker configured, the dry runs list its entry", { timeout: 120_000 }, () => {
  const world = worldOf(undefined, (project) => installDemoRules(project.config.fillsDir));
  const trackerEntry = () => ({
    method: "POST",
    path: "/v1/pages",
    body: { parent: { data_source_id: world().project.config.tracker?.id } },
  });

  it("push: the tracker's entry is among the requests listed and sent", async () => {
    expect(world().project.config.tracker?.id).toBeTruthy();
    const runId = await plan(world());
    const planned = await expectSameRequests(world(), ["push", runId]);
    expect(planned.at(-1)).toEqual(trackerEntry());
  });

  it("push in text: lists the tracker's entry", async () => {
    const runId = await plan(world());
    await expectTextListsRequests(world(), ["push", runId]);
  });

  it("revert: the tracker's entry is among the requests listed and sent, in text too", async () => {
    const runId = await plan(world());
    await push(world(), runId);
    await expectTextListsRequests(world(), ["revert", runId]);
    const planned = await expectSameRequests(world(), ["revert", runId]);
    expect(planned.at(-1)).toEqual(trackerEntry());
  });

  it("push --max-writes 2: lists the first 2 pages' writes and no tracker entry, as it sends", async () => {
    const runId = await plan(world());
    const { dry: whole } = await dryRun(world(), ["push", runId]);
    const pages = whole.requests.filter((request) => request.method === "PATCH");
    expect(pages.length).toBeGreaterThan(2);
    const { dry } = await dryRun(world(), ["push", runId, "--max-writes", "2"]);
    expect(dry.requests).toEqual(pages.slice(0, 2));
    expect(dry.leftForLater).toBe(pages.length - 2);
    const planned = await expectSameRequests(world(), ["push", runId, "--max-writes", "2"]);
    expect(planned).toHaveLength(2);
    const text = await cli(world(), ["push", runId, "--max-writes", "2", "--dry-run"]);
    expect(text.stdout).toContain(
      `(--max-writes: ${pages.length - 4} pages left for a later push). Nothing was written.`,
    );
    expect(text.stdout).not.toContain("POST /v1/pages");
    // The last invocation finishes the run: the tracker's entry is among its requests again.
    const last = await expectSameRequests(world(), ["push", runId]);
    expect(last.at(-1)).toEqual(trackerEntry());
  });

  it("revert --max-writes 1: lists the first page's write and no tracker entry, as it sends", async () => {
    const runId = await plan(world());
    await push(world(), runId);
    const { dry: whole } = await dryRun(world(), ["revert", runId]);
    const pages = whole.requests.filter((request) => request.method === "PATCH");
    const { dry } = await dryRun(world(), ["revert", runId, "--max-writes", "1"]);
    expect(dry.requests).toEqual(pages.slice(0, 1));
    expect(dry.leftForLater).toBe(pages.length - 1);
    const text = await cli(world(), ["revert", runId, "--max-writes", "1", "--dry-run"]);
    expect(text.stdout).toContain(
      `(--max-writes: ${pages.length - 1} pages left for a later revert)`,
    );
    expect(await expectSameRequests(world(), ["revert", runId, "--max-writes", "1"])).toHaveLength(
      1,
    );
  });
});

describe(
  "revert --snapshot --dry-run without a mirror says what revert does",
  { timeout: 120_000 },
  () => {
    let crew: Crew;
    const crewId = (title: string) => crew.pages[title] ?? "";
    const world = worldOf(
      () => {
        crew = crewWorkspace();
        return crew.seed;
      },
      (project) => {
        // Both sides of the two-way relation: borealis's Tasks with t4, t5's Project with borealis.
        writeRule(project, "crew_projects.Tasks", { borealis: [crewId("t4")] }, { ruleName: "a" });
        writeRule(project, "crew_tasks.Project", { t5: [crewId("borealis")] }, { ruleName: "b" });
      },
    );

    it("a run filling both sides of a two-way relation: the dry run reads the relations as the revert does, and lists its exact plan", async () => {
      const { project } = world();
      const runId = await plan(world());
      // borealis first: t5's write then adds t5 to borealis's Tasks by itself.
      expect(await push(world(), runId, { maxWrites: 1 })).toBe("applying");
      expect(await push(world(), runId)).toBe("applied");
      const { mirrorPath, snapshotsDir } = project.config;
      for (const suffix of ["", "-wal", "-shm"])
        if (existsSync(`${mirrorPath}${suffix}`)) rmSync(`${mirrorPath}${suffix}`);
      const snapshotFile = join(snapshotsDir, `${runId}.snapshot.ndjson`);

      // The plan the revert applies (revertRun plans it so, with Notion at hand).
      const target = locateRevertTarget(snapshotsDir, undefined, { snapshotFile });
      const applied = await planRevertRun(target, undefined, snapshotsDir, {
        notion: project.api(),
      });
      const args = ["revert", "--snapshot", snapshotFile];
      const { dry, planned, asked } = await dryRun(world(), args);
      // The dry run read the two-way relations from Notion (both data sources), as the revert does…
      const schemaReads = asked.filter((request) => request.path.startsWith("/v1/data_sources/"));
      expect(schemaReads.map((request) => request.method)).toEqual(["GET", "GET"]);
      // …so its guards leave out the pages the run's own writes moved, and its plan is the revert's.
      expect(dry.changes?.some((change) => (change.guard.syncedByRun ?? []).length > 0)).toBe(true);
      expect(dry.changes).toEqual(JSON.parse(JSON.stringify(applied.plan.changes)));

      const seen = world().proxy.requests.length;
      const real = await cli(world(), [...args, "--yes", "--json"]);
      expect(real.status, real.stderr).toBe(0);
      const result = JSON.parse(real.stdout) as {
        conflicts: unknown[];
        alreadyHeld: number;
        summary: { applied: number };
      };
      expect(result.conflicts).toEqual([]);
      expect(result.summary.applied).toBe(planned.length);
      // Restoring one side may put the other back by itself (Notion keeps them in step): that
      // one is found already restored and not sent; every write sent is one the dry run listed.
      const sent = writes(world().proxy.requests.slice(seen));
      expect(sent.length + result.alreadyHeld).toBe(planned.length);
      expect(planned).toEqual(expect.arrayContaining(sent));
    });
  },
);
