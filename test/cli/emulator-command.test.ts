import type { ChildProcessWithoutNullStreams } from "node:child_process";
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { Client } from "@notionhq/client";
import { InvalidArgumentError } from "commander";
import { afterEach, describe, expect, it } from "vitest";
import { rateLimitFlag, workspaceRateLimitFlag } from "../../src/cli/rate-limit-flags.ts";

const REPO = fileURLToPath(new URL("../..", import.meta.url));
const BIN = join(REPO, "bin", "notion-mirror.js");

interface Running {
  child: ChildProcessWithoutNullStreams;
  stdout: () => string;
  stderr: () => string;
  exited: Promise<number | null>;
}

const running: Running[] = [];

/** Starts `notion-mirror <args>` as a real child process, in a temp dir with no .env. */
function start(args: string[]): Running {
  const cwd = mkdtempSync(join(tmpdir(), "notion-mirror-cli-"));
  const env: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: "1" };
  delete env.NOTION_TOKEN;
  delete env.NOTION_BASE_URL;
  const child = spawn(process.execPath, [BIN, ...args], { cwd, env });
  let out = "";
  let err = "";
  child.stdout.on("data", (chunk: Buffer) => (out += chunk.toString()));
  child.stderr.on("data", (chunk: Buffer) => (err += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
  void exited.then(() => rmSync(cwd, { recursive: true, force: true }));
  const handle = { child, stdout: () => out, stderr: () => err, exited };
  running.push(handle);
  return handle;
}

/**
 * Waits until the emulator has printed both variables on stdout and its announcement on stderr
 * (two pipes: either may reach this process first); returns the variables.
 */
async function variables(run: Running): Promise<Record<string, string>> {
  const deadline = Date.now() + 20_000;
  for (;;) {
    const found = Object.fromEntries(
      [...run.stdout().matchAll(/^(NOTION_BASE_URL|NOTION_TOKEN)=(.+)$/gm)].map((m) => [
        m[1] ?? "",
        m[2] ?? "",
      ]),
    );
    const announced = run.stderr().includes("Ctrl-C stops it.");
    if (found.NOTION_BASE_URL && found.NOTION_TOKEN && announced) return found;
    if (run.child.exitCode !== null || Date.now() > deadline) {
      throw new Error(`the emulator did not start:\n${run.stdout()}\n${run.stderr()}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

afterEach(async () => {
  for (const run of running.splice(0)) {
    if (run.child.exitCode === null && run.child.signalCode === null) run.child.kill("SIGKILL");
    await run.exited;
  }
});

const clientFor = (vars: Record<string, string>) =>
  new Client({ auth: vars.NOTION_TOKEN, baseUrl: vars.NOTION_BASE_URL, logger: () => undefined });

describe("notion-mirror emulator", () => {
  it("serves the demo: list data sources, query, update and read back; Ctrl-C stops it", async () => {
    const run = start(["emulator", "--demo", "--port", "0", "--rate-limit", "off"]);
    const vars = await variables(run);
    expect(vars.NOTION_BASE_URL).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const notion = clientFor(vars);

    const sources = await notion.search({ filter: { property: "object", value: "data_source" } });
    const phases = sources.results.find(
      (source) =>
        "title" in source &&
        source.title.map((item) => item.plain_text).join("") === "WT Phase Database",
    );
    expect(phases).toBeDefined();
    const query = await notion.dataSources.query({
      data_source_id: String(phases?.id),
      filter: { property: "status", status: { is_empty: true } },
    });
    expect(query.results.length).toBeGreaterThan(0);
    const pageId = String(query.results[0]?.id);
    await notion.pages.update({
      page_id: pageId,
      properties: { status: { status: { name: "Active" } } },
    });
    const read = (await notion.pages.retrieve({ page_id: pageId })) as {
      properties: Record<string, { status: { name: string } | null }>;
    };
    expect(read.properties.status?.status?.name).toBe("Active");

    run.child.kill("SIGINT");
    expect(await run.exited).toBe(0);
    expect(run.stderr()).toContain("emulator stopped");
  });

  it("exits 2 with a clear message when the seed file is missing", async () => {
    const run = start(["emulator", "--seed", "missing.json", "--port", "0"]);
    expect(await run.exited).toBe(2);
    expect(run.stderr()).toMatch(/cannot read seed file missing\.json/);
    expect(run.stdout()).toBe("");
  });

  it("exits 2 naming what is wrong when the seed file has a bad shape", async () => {
    const dir = mkdtempSync(join(tmpdir(), "notion-mirror-seed-"));
    try {
      const file = join(dir, "seed.json");
      writeFileSync(file, JSON.stringify({ users: [], pages: [] }));
      const run = start(["emulator", "--seed", file, "--port", "0"]);
      expect(await run.exited).toBe(2);
      expect(run.stderr()).toMatch(/seed\.integration must be/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("serves a generated workspace with --pages", async () => {
    const run = start(["emulator", "--pages", "50", "--port", "0", "--rate-limit", "off"]);
    const notion = clientFor(await variables(run));
    const pages = await notion.search({
      filter: { property: "object", value: "page" },
      page_size: 100,
    });
    expect(pages.results).toHaveLength(50);
    expect(pages.has_more).toBe(false);
    run.child.kill("SIGINT");
    expect(await run.exited).toBe(0);
  });

  it("cuts queries at --query-result-limit and keeps cursors with --cursor-ttl off", async () => {
    const run = start([
      "emulator",
      "--pages",
      "50",
      "--port",
      "0",
      "--rate-limit",
      "off",
      "--query-result-limit",
      "20",
      "--cursor-ttl",
      "off",
    ]);
    const notion = clientFor(await variables(run));
    const first = await notion.search({
      filter: { property: "object", value: "page" },
      page_size: 15,
    });
    expect(first).toMatchObject({
      has_more: true,
      request_status: { type: "incomplete", incomplete_reason: "query_result_limit_reached" },
    });
    const rest = await notion.search({
      filter: { property: "object", value: "page" },
      page_size: 15,
      start_cursor: first.next_cursor ?? undefined,
    });
    expect(rest.results).toHaveLength(5);
    expect(rest).toMatchObject({ has_more: false, next_cursor: null });
    expect(run.stderr()).toContain("20 results per query, cursors valid until stopped");
    run.child.kill("SIGINT");
    expect(await run.exited).toBe(0);
  });

  it("exits 2 on a --cursor-ttl that is neither whole seconds nor off", async () => {
    const run = start(["emulator", "--demo", "--port", "0", "--cursor-ttl", "1.5"]);
    expect(await run.exited).toBe(2);
    expect(run.stderr()).toMatch(/--cursor-ttl takes whole seconds/);
    expect(run.stdout()).toBe("");
  });
});

describe("the emulator's rate-limit flags", () => {
  const settingsOf = async (vars: Record<string, string>) =>
    (await (await fetch(`${vars.NOTION_BASE_URL}/__emulator/settings`)).json()) as Record<
      string,
      unknown
    >;
  const get = (vars: Record<string, string>) =>
    fetch(`${vars.NOTION_BASE_URL}/v1/users/me`, {
      headers: { authorization: `Bearer ${vars.NOTION_TOKEN}`, "notion-version": "2025-09-03" },
    });

  it("parse a budget per window, an even rate per second, or off", () => {
    expect(rateLimitFlag("600/60s")).toEqual({ kind: "window", requests: 600, windowMs: 60_000 });
    expect(rateLimitFlag(" 20 / 2s ")).toEqual({ kind: "window", requests: 20, windowMs: 2_000 });
    expect(rateLimitFlag("2000/2m")).toEqual({ kind: "window", requests: 2000, windowMs: 120_000 });
    expect(rateLimitFlag("50/500ms")).toEqual({ kind: "window", requests: 50, windowMs: 500 });
    expect(rateLimitFlag("3")).toEqual({ kind: "bucket", perSecond: 3 });
    expect(rateLimitFlag("0.5")).toEqual({ kind: "bucket", perSecond: 0.5 });
    expect(rateLimitFlag("OFF")).toBe(false);
    expect(workspaceRateLimitFlag("2000/120s")).toEqual({ requests: 2000, windowMs: 120_000 });
    expect(workspaceRateLimitFlag("off")).toBe(false);
    for (const bad of ["600/60", "0/60s", "600/0s", "1.5/1s", "fast", "-3", "0", ""]) {
      expect(() => rateLimitFlag(bad), bad).toThrow(InvalidArgumentError);
      expect(() => rateLimitFlag(bad), bad).toThrow(/--rate-limit takes requests per window/);
    }
    expect(() => workspaceRateLimitFlag("3")).toThrow(/--workspace-rate-limit takes requests/);
  });

  it("serves Notion's budget of most plans by default, 180 requests per 60 s window", async () => {
    const run = start(["emulator", "--demo", "--port", "0"]);
    const vars = await variables(run);
    expect(await settingsOf(vars)).toMatchObject({
      rateLimit: { kind: "window", requests: 180, windowMs: 60_000 },
      workspaceRateLimit: false,
    });
    expect(run.stderr()).toContain("rate limit 180 requests per 60 s window");
    run.child.kill("SIGINT");
    expect(await run.exited).toBe(0);
  });

  it("--rate-limit N/Ss refuses past the budget with the seconds until the window resets", async () => {
    const run = start(["emulator", "--demo", "--port", "0", "--rate-limit", "3/2s"]);
    const vars = await variables(run);
    const answers = [];
    for (let sent = 0; sent < 4; sent += 1) answers.push(await get(vars));
    expect(answers.map((answer) => answer.status)).toEqual([200, 200, 200, 429]);
    const refused = answers[3];
    expect(Number(refused?.headers.get("retry-after"))).toBeGreaterThanOrEqual(1);
    expect(Number(refused?.headers.get("retry-after"))).toBeLessThanOrEqual(2);
    expect(await refused?.json()).toMatchObject({
      code: "rate_limited",
      additional_data: { rate_limit_reason: "public_api_request_rate_limit" },
    });
    run.child.kill("SIGINT");
    expect(await run.exited).toBe(0);
  });

  it("--workspace-rate-limit shares a budget whose Retry-After may pass a minute", async () => {
    const run = start([
      "emulator",
      "--demo",
      "--port",
      "0",
      "--rate-limit",
      "100/60s",
      "--workspace-rate-limit",
      "2/90s",
    ]);
    const vars = await variables(run);
    expect(run.stderr()).toContain("workspace limit 2 requests per 90 s window");
    expect((await get(vars)).status).toBe(200);
    expect((await get(vars)).status).toBe(200);
    const refused = await get(vars);
    expect(refused.status).toBe(429);
    expect(Number(refused.headers.get("retry-after"))).toBeGreaterThan(60);
    expect(await refused.json()).toMatchObject({
      additional_data: { rate_limit_reason: "public_api_space_request_rate_limit" },
    });
    run.child.kill("SIGINT");
    expect(await run.exited).toBe(0);
  });

  it("--rate-limit N keeps the token bucket of N requests per second", async () => {
    const run = start(["emulator", "--demo", "--port", "0", "--rate-limit", "3"]);
    const vars = await variables(run);
    expect(await settingsOf(vars)).toMatchObject({
      rateLimit: { kind: "bucket", perSecond: 3, burst: 3 },
    });
    expect(run.stderr()).toContain("rate limit 3 requests/s");
    run.child.kill("SIGINT");
    expect(await run.exited).toBe(0);
  });

  it("exits 2 on a --rate-limit it cannot read, saying what it takes", async () => {
    const run = start(["emulator", "--demo", "--port", "0", "--rate-limit", "600/60"]);
    expect(await run.exited).toBe(2);
    expect(run.stderr()).toMatch(/--rate-limit takes requests per window \(e\.g\. 180\/60s/);
    expect(run.stdout()).toBe("");
  });
});
