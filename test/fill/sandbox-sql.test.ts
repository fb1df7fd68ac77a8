import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { NotionMirrorError } from "../../src/errors.ts";
import { DEMO_FACTS } from "../../src/emulator/index.ts";
import type { RuleSqlOptions, SqlSandbox } from "../../src/fill/sql-sandbox.ts";
import { openSqlSandbox } from "../../src/fill/sql-sandbox.ts";
import type { EmulatorSession } from "../support/emulator.ts";
import { openEmulator } from "../support/emulator.ts";
import type { TestProject } from "../support/project.ts";
import { createProject } from "../support/project.ts";

let session: EmulatorSession;
let project: TestProject;
let sandbox: SqlSandbox;

beforeAll(async () => {
  session = await openEmulator();
  project = createProject(session);
  await project.pull();
  sandbox = openSqlSandbox(project.config.mirrorPath);
});
afterAll(async () => {
  await sandbox?.close();
  project?.remove();
  await session?.stop();
});

const LIMITS = { timeoutMs: 10_000, maxRows: 1000 };
const RUNAWAY =
  "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n) SELECT i FROM n WHERE i < 0";
const RUNAWAY_AGGREGATE =
  "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n) SELECT count(*) FROM n";

const mirrorHash = () =>
  createHash("sha256").update(readFileSync(project.config.mirrorPath)).digest("hex");

async function rejection(promise: Promise<unknown>): Promise<NotionMirrorError> {
  try {
    await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(NotionMirrorError);
    return error as NotionMirrorError;
  }
  throw new Error("expected the SQL to be refused");
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** One statement in a sandbox of its own, closed after. */
async function runOnce(mirrorPath: string, sql: string, options: RuleSqlOptions) {
  const once = openSqlSandbox(mirrorPath);
  try {
    return await once.run(sql, options);
  } finally {
    await once.close();
  }
}

describe("rule SQL in the sandbox", () => {
  it("returns the columns and rows as SQLite gives them", async () => {
    const result = await runOnce(
      project.config.mirrorPath,
      "SELECT page_id, 'Active' AS value, 1.5 AS n, NULL AS nothing_here FROM wt_phase_database WHERE status IS NULL ORDER BY page_id",
      LIMITS,
    );
    expect(result.columns).toEqual(["page_id", "value", "n", "nothing_here"]);
    expect(result.rows).toHaveLength(DEMO_FACTS.emptyPhaseStatus);
    expect(result.rows[0]?.slice(1)).toEqual(["Active", 1.5, null]);
    expect(result.truncated).toBe(false);
  });

  it("keeps at most maxRows rows and says when there were more", async () => {
    const sql = "SELECT page_id FROM wt_phase_database WHERE status IS NULL";
    const capped = await sandbox.run(sql, { ...LIMITS, maxRows: 2 });
    expect(capped.rows).toHaveLength(2);
    expect(capped.truncated).toBe(true);
    const exact = await sandbox.run(sql, { ...LIMITS, maxRows: DEMO_FACTS.emptyPhaseStatus });
    expect(exact.rows).toHaveLength(DEMO_FACTS.emptyPhaseStatus);
    expect(exact.truncated).toBe(false);
  });

  it("serves several SQL texts from one process", async () => {
    await sandbox.run("SELECT 1", LIMITS);
    const pid = sandbox.pid;
    await sandbox.run("SELECT 2", LIMITS);
    await sandbox.run("SELECT 3", LIMITS);
    expect(sandbox.pid).toBe(pid);
  });

  it.each([
    ["a runaway recursive CTE", RUNAWAY],
    ["an aggregate over a runaway CTE", RUNAWAY_AGGREGATE],
  ])("stops %s within the time limit by killing its process", async (_name, sql) => {
    await sandbox.run("SELECT 1", LIMITS); // the process is up: the limit counts the query only
    const pid = sandbox.pid ?? 0;
    const started = Date.now();
    const error = await rejection(sandbox.run(sql, { timeoutMs: 400, maxRows: 10 }));
    const elapsed = Date.now() - started;
    expect(error.code).toBe("usage");
    expect(error.message).toMatch(/ran longer than 0\.4 s and was stopped/);
    expect(elapsed).toBeGreaterThanOrEqual(390);
    // A runaway query never ends by itself: any finite bound shows it was stopped. A generous one,
    // for a loaded machine that is slow to run the timer, kill the process and see it go.
    expect(elapsed).toBeLessThan(10_000);
    // Gone once this process has reaped it, which a loaded machine may take a moment to do.
    await vi.waitUntil(() => !alive(pid), { timeout: 10_000, interval: 20 });
    // The next run gets a fresh process.
    expect((await sandbox.run("SELECT 42", LIMITS)).rows).toEqual([[42]]);
  });

  it("reports a sandbox process that dies while running", async () => {
    const crashing = openSqlSandbox(project.config.mirrorPath);
    try {
      await crashing.run("SELECT 1", LIMITS);
      const running = crashing.run(RUNAWAY, { timeoutMs: 20_000, maxRows: 10 });
      await new Promise((resolve) => setTimeout(resolve, 200));
      process.kill(crashing.pid ?? 0, "SIGKILL");
      const error = await rejection(running);
      expect(error.code).toBe("internal");
      expect(error.message).toMatch(/sandbox process ended unexpectedly: it was killed by SIGKILL/);
    } finally {
      await crashing.close();
    }
  });

  it("brings SQL errors back with their position", async () => {
    const error = await rejection(
      sandbox.run("SELECT page_id\nFROM wt_phase_database\nWHERE FROM", LIMITS),
    );
    expect(error.code).toBe("usage");
    expect(error.message).toContain('near "FROM": syntax error\nat line 3, column 7:');
  });

  it("refuses a BLOB value", async () => {
    const error = await rejection(
      sandbox.run("SELECT page_id, x'00ff' AS value FROM wt_projects", LIMITS),
    );
    expect(error.message).toMatch(/BLOB in column "value"/);
  });

  it("reports a missing mirror as a config error", async () => {
    const error = await rejection(
      runOnce(join(project.dir, "no-such-mirror.db"), "SELECT 1", LIMITS),
    );
    expect(error.code).toBe("config");
    expect(error.message).toMatch(/No mirror at/);
  });
});

describe("rule SQL cannot change the mirror", () => {
  it.each([
    ["a write", "UPDATE pages SET url = 'https://example.com'", /starts with UPDATE/],
    ["a delete behind WITH", "WITH t AS (SELECT 1) DELETE FROM pages", /would write/],
    ["a table", "CREATE TABLE evil (x)", /starts with CREATE/],
    ["ATTACH", "ATTACH 'evil.db' AS evil", /starts with ATTACH/],
    ["PRAGMA", "PRAGMA journal_mode = DELETE", /starts with PRAGMA/],
    ["two statements", "SELECT 1; DROP VIEW wt_projects", /more than one statement/],
    ["VACUUM", "VACUUM", /starts with VACUUM/],
    ["a transaction", "BEGIN IMMEDIATE", /starts with BEGIN/],
  ])("refuses %s and leaves the file byte for byte unchanged", async (_name, sql, message) => {
    const before = mirrorHash();
    const error = await rejection(sandbox.run(sql, LIMITS));
    expect(error.code).toBe("usage");
    expect(error.message).toMatch(message);
    expect(mirrorHash()).toBe(before);
  });

  it("leaves the file unchanged after a runaway query is killed", async () => {
    const before = mirrorHash();
    await rejection(sandbox.run(RUNAWAY_AGGREGATE, { timeoutMs: 300, maxRows: 1 }));
    expect(mirrorHash()).toBe(before);
  });
});
