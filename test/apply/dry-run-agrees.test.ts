import { spawn } from "node:child_process";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { planRun } from "../../src/fill/plan-run.ts";
import type { EmulatorSession } from "../support/emulator.ts";
import { openEmulator } from "../support/emulator.ts";
import type { TestProject } from "../support/project.ts";
import { createProject } from "../support/project.ts";
import type { Lab } from "../revert/lab-workspace.ts";
import { labWorkspace } from "../revert/lab-workspace.ts";
import { CLI, writeRule } from "../revert/revert-helpers.ts";
import type { RecordedRequest } from "./support/recording-proxy.ts";
import { startRecordingProxy } from "./support/recording-proxy.ts";

/**
 * For every run state and every refusal, `push`/`revert` with `--dry-run` and without it agree:
 * the same refusal (text and exit code, nothing sent by either), or the dry run's requests are
 * exactly the page writes the command then sends (seen by a relay in front of the emulator).
 */

let session: EmulatorSession;
let project: TestProject;
let lab: Lab;
let proxy: Awaited<ReturnType<typeof startRecordingProxy>>;

beforeEach(async () => {
  lab = labWorkspace();
  session = await openEmulator({ seed: lab.seed });
  proxy = await startRecordingProxy(session.emulator.url);
  project = createProject(session);
  await project.pull();
  writeRule(project, "lab_items.Notes", { alpha: "a", beta: "b", gamma: "c" });
  writeRule(project, "lab_items.Score", { alpha: 1, beta: 2, gamma: 3 });
  writeRule(project, "lab_items.Site", { alpha: "https://a", beta: "https://b" });
});
afterEach(async () => {
  project.remove();
  await proxy.stop();
  await session.stop();
});

interface Ran {
  status: number | null;
  stdout: string;
  stderr: string;
}

/** The CLI in a child process, its requests relayed (and recorded) on their way to the emulator. */
async function cli(args: readonly string[]): Promise<Ran> {
  const child = spawn(
    process.execPath,
    [CLI, "--config", join(project.dir, "notion-mirror.json"), ...args],
    {
      cwd: project.dir,
      env: { ...project.env, NOTION_BASE_URL: proxy.url, NO_COLOR: "1" },
      stdio: ["ignore", "pipe", "pipe"],
    },
  );
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
  const status = await new Promise<number | null>((resolve) =>
    child.on("close", (code) => resolve(code)),
  );
  return { status, stdout, stderr };
}

const id = (title: string) => lab.pages[title] ?? "";

async function plan(): Promise<string> {
  const { runId } = await planRun(project.config, { minConfidence: "low" });
  if (!runId) throw new Error("nothing planned");
  return runId;
}

async function ok(args: readonly string[]): Promise<Ran> {
  const ran = await cli(args);
  expect([0, 3], `${args.join(" ")}: ${ran.stderr}`).toContain(ran.status);
  return ran;
}

const writes = (requests: readonly RecordedRequest[]) =>
  requests
    .filter((request) => request.method !== "GET" && request.path.startsWith("/v1/pages/"))
    .map((request) => ({
      method: request.method,
      path: request.path,
      body: JSON.parse(request.body) as unknown,
    }));

/** The error line and its hint, as main prints them. */
const refusalText = (stderr: string) => stderr.trim();

/** Both refuse alike, and neither sends a page write. */
async function expectSameRefusal(args: readonly string[], pattern: RegExp): Promise<void> {
  const seen = proxy.requests.length;
  const dry = await cli([...args, "--dry-run"]);
  const real = await cli([...args, "--yes"]);
  expect(real.stderr).toMatch(pattern);
  expect(dry.status).toBe(real.status);
  expect(real.status).not.toBe(0);
  expect(refusalText(dry.stderr)).toBe(refusalText(real.stderr));
  expect(writes(proxy.requests.slice(seen))).toEqual([]);
}

/** The dry run's requests, then exactly those sent by the command (and at least one). */
async function expectSameRequests(args: readonly string[]): Promise<void> {
  const dry = await cli([...args, "--dry-run", "--json"]);
  expect(dry.status, dry.stderr).toBe(0);
  const planned = (
    JSON.parse(dry.stdout) as {
      requests: Array<{ method: string; path: string; body: unknown }>;
    }
  ).requests.map(({ method, path, body }) => ({ method, path, body }));
  expect(planned.length).toBeGreaterThan(0);
  const seen = proxy.requests.length;
  await ok([...args, "--yes"]);
  const sent = writes(proxy.requests.slice(seen));
  const key = (request: { path: string }) => request.path;
  expect([...sent].sort((a, b) => key(a).localeCompare(key(b)))).toEqual(
    [...planned].sort((a, b) => key(a).localeCompare(key(b))),
  );
}

describe("push --dry-run says what push does", { timeout: 120_000 }, () => {
  it("on a planned run: the requests listed are the requests sent", async () => {
    const runId = await plan();
    await expectSameRequests(["push", runId]);
  });

  it("on a run left applying by --max-writes: the requests listed are those still to send", async () => {
    const runId = await plan();
    await ok(["push", runId, "--yes", "--max-writes", "1"]);
    await expectSameRequests(["push", runId]);
  });

  it("on an applied run: the same refusal", async () => {
    const runId = await plan();
    await ok(["push", runId, "--yes"]);
    await expectSameRefusal(["push", runId], /already applied; nothing left to push/);
  });

  it("on a partial run: the same refusal", async () => {
    const runId = await plan();
    session.emulator.editAsPerson({ pageId: id("beta"), inTrash: true });
    const push = await cli(["push", runId, "--yes"]);
    expect(push.stdout).toMatch(/: partial\./);
    await expectSameRefusal(["push", runId], /already partial; nothing left to push/);
  });

  it("on a reverted run: the same refusal", async () => {
    const runId = await plan();
    await ok(["push", runId, "--yes"]);
    await ok(["revert", runId, "--yes"]);
    await expectSameRefusal(["push", runId], /already reverted; nothing left to push/);
  });

  it("on a discarded run: the same refusal", async () => {
    const runId = await plan();
    await ok(["runs", "discard", runId]);
    await expectSameRefusal(["push", runId], /discarded/);
  });

  it("on a revert run: the same refusal", async () => {
    const runId = await plan();
    await ok(["push", runId, "--yes"]);
    const reverted = JSON.parse((await ok(["revert", runId, "--yes", "--json"])).stdout) as {
      revertRunId: string;
    };
    await expectSameRefusal(["push", reverted.revertRunId], /is a revert run; push applies/);
  });

  it("with no run named and none open: the same refusal", async () => {
    const runId = await plan();
    await ok(["push", runId, "--yes"]);
    await expectSameRefusal(["push"], /No planned run to push/);
  });

  it("on a run that does not exist: the same refusal", async () => {
    await expectSameRefusal(["push", "20250101-000000-abcd"], /20250101-000000-abcd/);
  });
});

describe("revert --dry-run says what revert does", { timeout: 120_000 }, () => {
  it("on a planned run never pushed: the same refusal", async () => {
    const runId = await plan();
    await expectSameRefusal(["revert", runId], /No snapshot at/);
  });

  it("on a discarded run: the same refusal", async () => {
    const runId = await plan();
    await ok(["runs", "discard", runId]);
    await expectSameRefusal(["revert", runId], /No snapshot at/);
  });

  it("on a run left applying by --max-writes: the requests listed are the requests sent", async () => {
    const runId = await plan();
    await ok(["push", runId, "--yes", "--max-writes", "1"]);
    await expectSameRequests(["revert", runId]);
  });

  it("on an applied run: the requests listed are the requests sent", async () => {
    const runId = await plan();
    await ok(["push", runId, "--yes"]);
    await expectSameRequests(["revert", runId]);
  });

  it("on a partial run: the requests listed are the requests sent", async () => {
    const runId = await plan();
    session.emulator.editAsPerson({ pageId: id("beta"), inTrash: true });
    await ok(["push", runId, "--yes"]);
    await expectSameRequests(["revert", runId]);
  });

  it("on a reverted run: the same refusal", async () => {
    const runId = await plan();
    await ok(["push", runId, "--yes"]);
    await ok(["revert", runId, "--yes"]);
    await expectSameRefusal(["revert", runId], /already reverted/);
  });

  it("on a reverted run with --force: the requests listed are the requests sent", async () => {
    const runId = await plan();
    await ok(["push", runId, "--yes"]);
    await ok(["revert", runId, "--yes"]);
    await expectSameRequests(["revert", runId, "--force"]);
  });

  it("on a revert stopped mid-way, named by the run it reverts or by itself: the rest of it", async () => {
    const runId = await plan();
    await ok(["push", runId, "--yes"]);
    const first = JSON.parse(
      (await ok(["revert", runId, "--yes", "--max-writes", "1", "--json"])).stdout,
    ) as { revertRunId: string; status: string };
    expect(first.status).toBe("applying");
    const dryByRevert = await cli(["revert", first.revertRunId, "--dry-run", "--json"]);
    const dryByRun = await cli(["revert", runId, "--dry-run", "--json"]);
    expect(dryByRevert.status, dryByRevert.stderr).toBe(0);
    expect(JSON.parse(dryByRevert.stdout)).toEqual(JSON.parse(dryByRun.stdout));
    await expectSameRequests(["revert", runId]);
  });

  it("on a finished revert: undoing it lists the requests it sends", async () => {
    const runId = await plan();
    await ok(["push", runId, "--yes"]);
    const reverted = JSON.parse((await ok(["revert", runId, "--yes", "--json"])).stdout) as {
      revertRunId: string;
    };
    await expectSameRequests(["revert", reverted.revertRunId]);
  });

  it("with --last: the requests listed are the requests sent", async () => {
    const runId = await plan();
    await ok(["push", runId, "--yes"]);
    await expectSameRequests(["revert", "--last"]);
  });
});
