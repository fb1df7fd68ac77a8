import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import type { FaultRule } from "../../src/emulator/index.ts";
import { NotionMirrorError } from "../../src/errors.ts";
import type { NotionApiOptions } from "../../src/notion/notion-api.ts";
import { NotionApi } from "../../src/notion/notion-api.ts";
import type { RetryEvent } from "../../src/notion/request-events.ts";
import { pullMirror } from "../../src/mirror/pull.ts";
import type { EmulatorSession } from "../support/emulator.ts";
import { openEmulator } from "../support/emulator.ts";
import type { TestProject } from "../support/project.ts";
import { createProject } from "../support/project.ts";
import { writeConfig } from "../../src/config/write-config.ts";
import { readFileSync } from "node:fs";
import { demoWorkspace } from "../../src/emulator/index.ts";
import { demoSourceId } from "../support/demo-lookups.ts";

let session: EmulatorSession;
let reference: string;
const projects: TestProject[] = [];

/** What a pull leaves in the mirror that does not depend on when it ran. */
function contentOf(project: TestProject): string {
  const mirror = project.openMirror();
  try {
    const pages = mirror.sqlite
      .prepare(
        "SELECT id, data_source_id, last_edited_time, in_trash, gone, url, values_json, raw_json FROM pages ORDER BY id",
      )
      .all();
    const relations = mirror.sqlite
      .prepare("SELECT * FROM relations ORDER BY page_id, property_id, position")
      .all();
    const columns = mirror.sqlite
      .prepare("SELECT * FROM column_map ORDER BY data_source_id, column_name")
      .all();
    return JSON.stringify({ pages, relations, columns });
  } finally {
    mirror.close();
  }
}

/** Everything in the mirror, pull bookkeeping included: for "the mirror is unchanged". */
function wholeMirror(project: TestProject): string {
  const mirror = project.openMirror();
  try {
    const tables = ["data_sources", "properties", "pages", "relations", "column_map", "pulls"];
    return JSON.stringify(
      tables.map((table) => mirror.sqlite.prepare(`SELECT * FROM ${table} ORDER BY 1, 2`).all()),
    );
  } finally {
    mirror.close();
  }
}

function newProject(): TestProject {
  const project = createProject(session);
  projects.push(project);
  return project;
}

/**
 * Pulls a fresh project with these faults armed; returns it with the pull's request stats and
 * every retry the request layer announced.
 */
async function pullWith(rules: FaultRule[], options: NotionApiOptions = {}) {
  session.emulator.log.clear();
  for (const rule of rules) session.emulator.faults.add(rule);
  const project = newProject();
  const retries: RetryEvent[] = [];
  const api = project.api({
    ...options,
    onEvent: (event) => {
      if (event.type === "retry") retries.push(event);
    },
  });
  const { summary } = await project.pull({ api });
  const acted = session.emulator.faults.list().reduce((sum, rule) => sum + rule.acted, 0);
  return { project, summary, stats: api.stats, acted, retries };
}

beforeAll(async () => {
  session = await openEmulator();
  const project = newProject();
  await project.pull();
  reference = contentOf(project);
});
afterEach(() => session.emulator.faults.clear());
afterAll(async () => {
  for (const project of projects) project.remove();
  await session.stop();
});

describe("a pull through Notion's failures", () => {
  it("waits out a 429 storm as Retry-After says, never retrying sooner, then completes", async () => {
    const { project, stats, acted } = await pullWith([
      {
        path: "/v1/**",
        from: 3,
        times: 12,
        action: { type: "status", status: 429, retryAfter: 1 },
      },
    ]);
    expect(acted).toBe(12);
    expect(stats.rateLimited).toBe(12);
    expect(contentOf(project)).toBe(reference);
    const log = [...session.emulator.log.all()].sort((a, b) => a.seq - b.seq);
    const limited = log.filter((entry) => entry.status === 429);
    expect(limited).toHaveLength(12);
    for (const entry of limited) {
      const retry = log.find(
        (later) =>
          later.seq > entry.seq && later.method === entry.method && later.path === entry.path,
      );
      expect(retry, `${entry.method} ${entry.path} was retried`).toBeDefined();
      // The 429 left the emulator at at + durationMs; the retry may not arrive within 1 s of it.
      expect(retry!.at - (entry.at + entry.durationMs)).toBeGreaterThanOrEqual(1000 - 5);
    }
  });

  it("waits out more refusals of one read than the attempts failures get: a refusal is no failure", async () => {
    const query = `/v1/data_sources/${demoSourceId(demoWorkspace(), "clients")}/query`;
    const { project, stats, acted, retries } = await pullWith([
      {
        method: "POST",
        path: query,
        times: 9,
        action: { type: "status", status: 429, retryAfter: 0 },
      },
    ]);
    expect(acted).toBe(9);
    expect(stats.rateLimited).toBe(9);
    expect(contentOf(project)).toBe(reference);
    const refusals = retries.filter((retry) => retry.request?.path === query);
    expect(refusals.map((retry) => retry.attempt)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9]);
    for (const retry of refusals)
      expect(retry).toMatchObject({ cause: "refused", maxAttempts: undefined });
  });

  it("gives up a read Notion refuses ten times in a row, saying so, and leaves the mirror unchanged", async () => {
    const project = newProject();
    await project.pull();
    const before = wholeMirror(project);
    const query = `/v1/data_sources/${demoSourceId(demoWorkspace(), "clients")}/query`;
    session.emulator.faults.add({
      method: "POST",
      path: query,
      action: { type: "status", status: 529, retryAfter: 0 },
    });
    const error = await project.pull({ full: true }).then(
      () => undefined,
      (caught: unknown) => caught,
    );
    expect(session.emulator.faults.list()[0]?.acted).toBe(10);
    expect(error).toBeInstanceOf(NotionMirrorError);
    expect((error as Error).message).toMatch(
      /^Gave up .+ after 10 attempts \(last: 529 service_overload; Notion refused it 10 times in a row\)\.$/,
    );
    expect((error as NotionMirrorError).hint).toMatch(/other integrations.*resumes safely/);
    expect(wholeMirror(project)).toBe(before);
  });

  it("backs off and completes on 429s without Retry-After", async () => {
    const { project, stats, acted } = await pullWith([
      { path: "/v1/data_sources/*/query", times: 6, action: { type: "status", status: 429 } },
    ]);
    expect(acted).toBe(6);
    expect(stats.rateLimited).toBe(6);
    expect(contentOf(project)).toBe(reference);
  });

  it("retries through bursts of 500, 502, 503 and 504 and completes", async () => {
    const { project, stats, acted } = await pullWith(
      [500, 502, 503, 504].map((status, index) => ({
        path: index % 2 === 0 ? "/v1/data_sources/*/query" : "/v1/data_sources/*",
        from: 1 + index,
        times: 2,
        action: { type: "status" as const, status },
      })),
    );
    expect(acted).toBe(8);
    expect(stats.transientFailures).toBe(8);
    expect(contentOf(project)).toBe(reference);
  });

  it("retries reset connections and truncated bodies and completes", async () => {
    const { project, stats, acted } = await pullWith([
      { path: "/v1/data_sources/*/query", from: 2, times: 3, action: { type: "reset" } },
      { path: "/v1/data_sources/*", from: 4, times: 2, action: { type: "truncate-body" } },
      { path: "/v1/pages/*/properties/*", nth: 1, action: { type: "truncate-body" } },
    ]);
    expect(acted).toBe(6);
    expect(stats.transientFailures).toBe(6);
    expect(contentOf(project)).toBe(reference);
  });

  it("times out a hung request, asks again and completes", async () => {
    // A hung request ends only by the client's timeout, so the pull completing proves both were
    // timed out and asked again. The timeout is short to keep the test quick; on a busy machine an
    // answer can be slower than it, and that request is timed out and asked again too: what counts
    // is that every failure was a timeout, each hung request among them, and nothing was lost.
    const { project, stats, acted, retries } = await pullWith(
      [{ path: "/v1/data_sources/*/query", from: 2, times: 2, action: { type: "hang" } }],
      { timeoutMs: 1_000 },
    );
    expect(acted).toBe(2);
    const hung = session.emulator.log.all().filter((entry) => entry.code === "hang");
    expect(hung).toHaveLength(2);
    expect(new Set(retries.map((retry) => retry.reason))).toEqual(new Set(["timeout"]));
    for (const entry of hung) {
      const path = entry.path.split("?")[0];
      const timedOut = retries.filter(
        (retry) => retry.request?.method === entry.method && retry.request.path === path,
      );
      expect(timedOut.length, `${entry.method} ${path} was timed out`).toBeGreaterThan(0);
    }
    expect(stats.transientFailures).toBe(retries.length);
    expect(contentOf(project)).toBe(reference);
  });
});

describe("a pull Notion refuses", () => {
  it("ends on a wrong token with a message that says what to do, leaving the mirror unchanged", async () => {
    const project = newProject();
    await project.pull();
    const before = wholeMirror(project);
    const api = new NotionApi(
      { token: "secret_wrong_token_123", baseUrl: session.emulator.url },
      { rateLimit: Infinity },
    );
    const error = await project.pull({ api, full: true }).then(
      () => undefined,
      (caught: unknown) => caught,
    );
    expect(error).toBeInstanceOf(NotionMirrorError);
    expect((error as NotionMirrorError).code).toBe("auth");
    expect((error as Error).message).toMatch(/401/);
    expect((error as NotionMirrorError).hint).toMatch(/NOTION_TOKEN/);
    expect(`${(error as Error).message} ${(error as NotionMirrorError).hint}`).not.toContain(
      "secret_wrong_token_123",
    );
    expect(api.stats.retries).toBe(0);
    expect(wholeMirror(project)).toBe(before);
  });

  it("ends on a data source not shared with the integration, naming it and saying to share it", async () => {
    const project = newProject();
    await project.pull();
    const before = wholeMirror(project);
    const unshared = "0badc0de-0000-4000-8000-000000000404";
    const content = JSON.parse(readFileSync(project.config.file, "utf8")) as {
      dataSources: Array<{ id: string; alias: string }>;
    };
    content.dataSources.push({ id: unshared, alias: "secret_plans" });
    const config = writeConfig(project.config.file, content as never, true);

    const mirror = project.openMirror();
    const error = await pullMirror(config, mirror, project.api()).then(
      () => undefined,
      (caught: unknown) => caught,
    );
    mirror.close();
    expect(error).toBeInstanceOf(NotionMirrorError);
    expect((error as NotionMirrorError).code).toBe("not_found");
    expect((error as Error).message).toMatch(/secret_plans/);
    expect((error as NotionMirrorError).hint).toMatch(/share the database with your integration/i);
    expect(wholeMirror(project)).toBe(before);
  });
});
