import { spawn } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { FaultRule } from "../../src/emulator/index.ts";
import type { PushWorld } from "../apply/support/push-world.ts";
import { CANARY_TOKEN, plannedDemo, pushInProcess } from "../apply/support/push-world.ts";
import { BIN } from "../matrix/support-b/cli.ts";
import type { TestProject } from "../support/project.ts";
import { createProject } from "../support/project.ts";

// Long waits and long work, seen by someone running notion-mirror without a terminal (a script,
// CI, a pipe): every Retry-After over a few seconds is shown at once with its reason and what is
// pending, a long pull says how far it got every few seconds, and retries against a server that
// does not answer are each shown before "Gave up". The token is a canary that no line may carry.

let world: PushWorld;
beforeAll(async () => {
  world = await plannedDemo();
});
beforeEach(() => world.reset());
afterAll(() => world.close());

interface Line {
  text: string;
  /** When the line reached this process (ms since the CLI started). */
  at: number;
}

interface Ran {
  code: number | null;
  stdout: string;
  stderr: string;
  lines: Line[];
  durationMs: number;
}

/** `notion-mirror <args>` as a child process with pipes (no terminal), its stderr lines timed. */
function run(project: TestProject, args: string[], env: Record<string, string> = {}): Promise<Ran> {
  const started = performance.now();
  const child = spawn(process.execPath, [BIN, "--config", project.config.file, ...args], {
    cwd: project.dir,
    env: { ...project.env, NO_COLOR: "1", CI: "1", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stdout = "";
  let stderr = "";
  let partial = "";
  const lines: Line[] = [];
  child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on("data", (chunk: Buffer) => {
    const text = chunk.toString();
    stderr += text;
    const parts = (partial + text).split("\n");
    partial = parts.pop() ?? "";
    for (const part of parts) lines.push({ text: part, at: performance.now() - started });
  });
  const timer = setTimeout(() => child.kill("SIGKILL"), 90_000);
  return new Promise((resolve) => {
    child.on("close", (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr, lines, durationMs: performance.now() - started });
    });
  });
}

const arm = (rule: FaultRule) => world.session.emulator.faults.add(rule);
const acted = () => world.session.emulator.faults.list().reduce((sum, rule) => sum + rule.acted, 0);

function expectNoToken(ran: Ran): void {
  for (const form of [CANARY_TOKEN, CANARY_TOKEN.slice(7, 27)]) {
    expect(ran.stdout).not.toContain(form);
    expect(ran.stderr).not.toContain(form);
  }
}

const WAIT_LINE = (seconds: number, reason: string) =>
  new RegExp(
    `^Notion asked to wait ${seconds} s \\(${reason} on PATCH /v1/pages/[0-9a-f-]+\\) — (\\d+) pages? pending; resuming at \\d\\d:\\d\\d:\\d\\d$`,
    "m",
  );

describe("long waits and long work without a terminal", () => {
  it("push shows a 429's Retry-After at once, with its reason and the pages pending, and no token", async () => {
    arm({
      method: "PATCH",
      path: "/v1/pages/*",
      nth: 1,
      action: { type: "status", status: 429, retryAfter: 5 },
    });
    const ran = await run(world.project, ["push", world.runId, "--yes"]);
    expect(ran.code, ran.stderr).toBe(0);
    expect(acted()).toBe(1);
    const match = WAIT_LINE(5, "429 rate_limited").exec(ran.stderr);
    expect(match, ran.stderr).not.toBeNull();
    expect(Number(match?.[1])).toBeGreaterThan(0);
    expect(Number(match?.[1])).toBeLessThanOrEqual(world.targets.length);
    // Shown when the wait began, not after it: well before the push ended.
    const shown = ran.lines.find((line) => line.text.startsWith("Notion asked to wait"));
    expect(ran.durationMs - (shown?.at ?? Infinity)).toBeGreaterThan(4_000);
    expectNoToken(ran);
  }, 60_000);

  it("push shows a 503's Retry-After the same way and waits it out before reading the page back", async () => {
    arm({
      method: "PATCH",
      path: "/v1/pages/*",
      nth: 1,
      action: { type: "status", status: 503, retryAfter: 5 },
    });
    const ran = await run(world.project, ["push", world.runId, "--yes"]);
    expect(ran.code, ran.stderr).toBe(0);
    expect(acted()).toBe(1);
    expect(ran.stderr).toMatch(WAIT_LINE(5, "503 service_unavailable"));
    const log = world.session.emulator.log.all();
    const refused = log.find((entry) => entry.status === 503);
    const next = log.find(
      (entry) => entry.seq > (refused?.seq ?? Infinity) && entry.path === refused?.path,
    );
    expect(next, "the page was read back").toBeDefined();
    expect((next?.at ?? 0) - ((refused?.at ?? 0) + (refused?.durationMs ?? 0))).toBeGreaterThan(
      4_990,
    );
    expectNoToken(ran);
  }, 60_000);

  it("push counts a long wait of the workspace's limit down on stderr, uses up no attempt and writes each page once", async () => {
    arm({
      method: "PATCH",
      path: "/v1/pages/*",
      nth: 1,
      action: {
        type: "status",
        status: 429,
        retryAfter: 12,
        rateLimitReason: "public_api_space_request_rate_limit",
      },
    });
    const ran = await run(world.project, ["push", world.runId, "--yes"]);
    expect(ran.code, ran.stderr).toBe(0);
    expect(acted()).toBe(1);
    const reason = "429 rate_limited, public_api_space_request_rate_limit";
    const shown = WAIT_LINE(12, reason).exec(ran.stderr);
    expect(shown, ran.stderr).not.toBeNull();
    const resumes = /resuming at (\d\d:\d\d:\d\d)$/m.exec(shown?.[0] ?? "")?.[1];
    // Ten seconds in, the wait is counted down with its reason and the same end.
    const countdown = ran.lines.find((line) => line.text.startsWith("still waiting"));
    expect(countdown?.text, ran.stderr).toBe(
      `still waiting: 2 s left (${reason}); resuming at ${resumes}`,
    );
    const first = ran.lines.find((line) => line.text.startsWith("Notion asked to wait"));
    expect((countdown?.at ?? 0) - (first?.at ?? 0)).toBeGreaterThan(9_000);
    // A wait, not a failure: no attempt named, nothing left unknown, each page written once.
    expect(ran.stderr).not.toMatch(/attempt|Gave up|unknown/);
    const patches = world.session.emulator.log
      .all()
      .filter((entry) => entry.method === "PATCH" && entry.applied);
    expect(patches).toHaveLength(world.targets.length);
    expect(new Set(patches.map((entry) => entry.path)).size).toBe(world.targets.length);
    expectNoToken(ran);
  }, 60_000);

  it("push shows a 529 service_overload's Retry-After as a wait Notion asked for", async () => {
    arm({
      method: "PATCH",
      path: "/v1/pages/*",
      nth: 1,
      action: { type: "status", status: 529, retryAfter: 4 },
    });
    const ran = await run(world.project, ["push", world.runId, "--yes"]);
    expect(ran.code, ran.stderr).toBe(0);
    expect(acted()).toBe(1);
    expect(ran.stderr).toMatch(WAIT_LINE(4, "529 service_overload"));
    expectNoToken(ran);
  }, 60_000);

  it("revert shows a 429's Retry-After with the pages it still has to restore", async () => {
    await pushInProcess(world);
    arm({
      method: "PATCH",
      path: "/v1/pages/*",
      nth: 1,
      action: { type: "status", status: 429, retryAfter: 4 },
    });
    const ran = await run(world.project, ["revert", world.runId, "--yes"]);
    expect(ran.code, ran.stderr).toBe(0);
    expect(acted()).toBe(1);
    expect(ran.stderr).toMatch(WAIT_LINE(4, "429 rate_limited"));
    expectNoToken(ran);
  }, 60_000);

  it("a pull that runs for more than a few seconds logs how far it got every few seconds", async () => {
    const project = createProject(world.session);
    try {
      // Slower than Notion's pace: the 25 requests of the demo's first pull take over 12 s.
      const file = JSON.parse(readFileSync(project.config.file, "utf8")) as object;
      writeFileSync(project.config.file, JSON.stringify({ ...file, rateLimit: 2 }));
      const ran = await run(project, ["sync", "pull"]);
      expect(ran.code, ran.stderr).toBe(0);
      expect(ran.durationMs).toBeGreaterThan(11_000);
      const progress = ran.lines.filter((line) => /^sync pull: /.test(line.text));
      expect(progress.length, ran.stderr).toBeGreaterThanOrEqual(2);
      for (const line of progress)
        expect(line.text).toMatch(
          /^sync pull: [\d,]+ pages? read; \d+ of 12 data sources done \(\d+ s\)$/,
        );
      // At most one every few seconds, and none in the first few.
      expect(progress[0]?.at).toBeGreaterThan(4_500);
      for (const [index, line] of progress.entries())
        if (index > 0) expect(line.at - (progress[index - 1]?.at ?? 0)).toBeGreaterThan(4_000);
      expect(ran.stdout).toMatch(/12 data sources, \d+ live pages/);
      expectNoToken(ran);
    } finally {
      project.remove();
    }
  }, 60_000);

  it("retries against a server that does not answer are each shown before 'Gave up'", async () => {
    const port = await closedPort();
    const project = createProject(world.session);
    try {
      const ran = await run(project, ["sync", "pull", "--only", "wt_projects"], {
        NOTION_BASE_URL: `http://127.0.0.1:${port}`,
      });
      expect(ran.code, ran.stderr).toBe(1);
      const gaveUp = ran.lines.findIndex((line) => line.text.startsWith("error: Gave up"));
      expect(gaveUp, ran.stderr).toBeGreaterThan(0);
      const retries = ran.lines
        .slice(0, gaveUp)
        .filter((line) => line.text.includes("ECONNREFUSED"));
      // Every attempt but the last is followed by a retry, and each one is named in a line.
      const named = new Set<number>();
      for (const line of retries) {
        expect(line.text).toMatch(/GET \/v1\/data_sources\/[0-9a-f-]+/);
        expect(line.text).toMatch(/ of 8/);
        for (const number of attemptNumbers(line.text)) named.add(number);
      }
      expect([...named].sort((a, b) => a - b)).toEqual([1, 2, 3, 4, 5, 6, 7]);
      // Shown as they happen: the first well before the end.
      expect(ran.durationMs - (retries[0]?.at ?? Infinity)).toBeGreaterThan(5_000);
      expectNoToken(ran);
    } finally {
      project.remove();
    }
  }, 90_000);

  it("a token HTTP cannot carry (a line break in it) ends at once, and no line shows it", async () => {
    const project = createProject(world.session);
    try {
      const broken = `${CANARY_TOKEN}\nsecond-line`;
      const ran = await run(project, ["sync", "pull"], { NOTION_TOKEN: broken });
      expect(ran.code, ran.stderr).toBe(2);
      expect(ran.stderr).toMatch(/NOTION_TOKEN/);
      expect(ran.stderr).not.toMatch(/retrying|Gave up/);
      expect(world.session.emulator.log.all()).toHaveLength(0);
      expectNoToken(ran);
      expect(ran.stderr).not.toContain("second-line");
    } finally {
      project.remove();
    }
  }, 60_000);
});

/** A local port nothing listens on (taken, then released). */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (!address || typeof address === "string") throw new Error("no port");
  return address.port;
}

/** The attempt numbers a retry line names: "attempt 3", "attempts 2, 4", "attempts 2–5". */
function attemptNumbers(text: string): number[] {
  const match = /attempts? ([\d, –]+?) of/.exec(text);
  if (!match?.[1]) return [];
  const range = /^(\d+)–(\d+)$/.exec(match[1]);
  if (range) {
    const numbers: number[] = [];
    for (let n = Number(range[1]); n <= Number(range[2]); n += 1) numbers.push(n);
    return numbers;
  }
  return match[1].split(",").map((part) => Number(part.trim()));
}
