import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEMO_FACTS } from "../../src/emulator/index.ts";
import type { EmulatorSession } from "../support/emulator.ts";
import { openEmulator } from "../support/emulator.ts";
import type { TestProject } from "../support/project.ts";
import { createProject } from "../support/project.ts";
import { runCli } from "../matrix/support-b/cli.ts";

const BIN = fileURLToPath(new URL("../../bin/notion-mirror.js", import.meta.url));

let session: EmulatorSession;
let project: TestProject;

beforeAll(async () => {
  session = await openEmulator();
  project = createProject(session);
  await project.pull();
});
afterAll(async () => {
  project?.remove();
  await session?.stop();
});

/**
 * `notion-mirror query …` through the real CLI entry in this process (what it prints captured);
 * the tests of what a child's pipes decide (stdin read, stdout not a terminal) use {@link child}.
 */
async function query(args: string[]) {
  const ran = await runCli(["--config", project.config.file, "query", ...args], project.env);
  return { status: ran.code, stdout: ran.stdout, stderr: ran.stderr };
}

/** Runs `notion-mirror query …` as a child process on the project, stdin piped (not a TTY). */
function child(args: string[], input = "") {
  const result = spawnSync(
    process.execPath,
    [BIN, "--config", project.config.file, "query", ...args],
    { cwd: project.dir, env: project.env, input, encoding: "utf8" },
  );
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

const mirrorHash = () =>
  createHash("sha256").update(readFileSync(project.config.mirrorPath)).digest("hex");

const EMPTY_STATUS = "SELECT count(*) AS empty FROM wt_phase_database WHERE status IS NULL";

describe("notion-mirror query output formats", () => {
  it("prints JSON as an array of objects, one per row", async () => {
    const { status, stdout } = await query([EMPTY_STATUS, "--format", "json"]);
    expect(status).toBe(0);
    expect(JSON.parse(stdout)).toEqual([{ empty: DEMO_FACTS.emptyPhaseStatus }]);
  });

  it("prints an empty JSON array when no row matches, and --json means --format json", async () => {
    const { status, stdout } = await query(["SELECT page_id FROM wt_projects WHERE 0", "--json"]);
    expect(status).toBe(0);
    expect(JSON.parse(stdout)).toEqual([]);
  });

  it("prints NDJSON with one object per line, keeping repeated column names apart", async () => {
    const { status, stdout } = await query([
      "SELECT page_id, status, status FROM wt_phase_database ORDER BY page_id",
      "--format",
      "ndjson",
    ]);
    expect(status).toBe(0);
    const lines = stdout.trimEnd().split("\n");
    expect(lines).toHaveLength(40);
    const first = JSON.parse(lines[0] ?? "") as Record<string, unknown>;
    expect(Object.keys(first)).toEqual(["page_id", "status", "status_2"]);
  });

  it("prints CSV per RFC 4180: header, quoted fields, CRLF, NULL as an empty field", async () => {
    const { status, stdout } = await query([
      `SELECT 'a,b' AS comma, 'say "hi"' AS quote, 'two' || char(10) || 'lines' AS newline, NULL AS missing, 1.5 AS number`,
      "--format",
      "csv",
    ]);
    expect(status).toBe(0);
    expect(stdout).toBe(
      'comma,quote,newline,missing,number\r\n"a,b","say ""hi""","two\nlines",,1.5\r\n',
    );
  });

  it("writes CSV by default when stdout is not a terminal", () => {
    const { status, stdout } = child([EMPTY_STATUS]);
    expect(status).toBe(0);
    expect(stdout).toBe(`empty\r\n${DEMO_FACTS.emptyPhaseStatus}\r\n`);
  });

  it("prints a table with --format table, NULL shown as NULL", async () => {
    const { status, stdout } = await query([
      "SELECT 'Active' AS status, NULL AS project_id",
      "--format",
      "table",
    ]);
    expect(status).toBe(0);
    expect(stdout).toContain("status");
    expect(stdout).toContain("Active");
    expect(stdout).toContain("NULL");
    expect(stdout).toMatch(/[┌└]/);
  });

  it("stops after --max-rows rows and says so on stderr", async () => {
    const { status, stdout, stderr } = await query([
      "SELECT page_id FROM wt_phase_database",
      "--format",
      "ndjson",
      "--max-rows",
      "3",
    ]);
    expect(status).toBe(0);
    expect(stdout.trimEnd().split("\n")).toHaveLength(3);
    expect(stderr).toContain("Stopped after 3 rows");
  });
});

describe("notion-mirror query input", () => {
  it("reads the SQL from --file", async () => {
    const file = join(project.dir, "empty-status.sql");
    writeFileSync(file, `-- phases without a status\n${EMPTY_STATUS};\n`);
    const { status, stdout } = await query(["--file", file, "--json"]);
    expect(status).toBe(0);
    expect(JSON.parse(stdout)).toEqual([{ empty: DEMO_FACTS.emptyPhaseStatus }]);
  });

  it('reads the SQL from stdin given "-" or no argument', () => {
    for (const args of [["-", "--json"], ["--json"]]) {
      const { status, stdout } = child(args, EMPTY_STATUS);
      expect(status).toBe(0);
      expect(JSON.parse(stdout)).toEqual([{ empty: DEMO_FACTS.emptyPhaseStatus }]);
    }
  });

  it("refuses SQL given both as an argument and with --file", async () => {
    const { status, stderr } = await query([EMPTY_STATUS, "--file", "x.sql"]);
    expect(status).toBe(2);
    expect(stderr).toContain("not both");
  });
});

describe("notion-mirror query is read-only", () => {
  it.each([
    ["a write", "UPDATE pages SET url = 'x'", /starts with UPDATE/],
    ["a write behind WITH", "WITH t AS (SELECT 1) DELETE FROM pages", /would write/],
    ["ATTACH", `ATTACH '${"other.db"}' AS other`, /starts with ATTACH/],
    ["PRAGMA", "PRAGMA journal_mode = DELETE", /starts with PRAGMA/],
    ["two statements", "SELECT 1; DELETE FROM pages", /more than one statement/],
    ["a comment hiding a PRAGMA", "/* read */ -- really\nPRAGMA user_version = 7", /PRAGMA/],
  ])("refuses %s with exit 2 and leaves the mirror unchanged", async (_name, sql, message) => {
    const before = mirrorHash();
    const { status, stdout, stderr } = await query([sql]);
    expect(status).toBe(2);
    expect(stdout).toBe("");
    expect(stderr).toMatch(message);
    expect(mirrorHash()).toBe(before);
  });

  it("shows a SQL error with its line, column and a caret, exit 2", async () => {
    const { status, stderr } = await query(["SELECT page_id\nFROM wt_projects\nWHERE FROM"]);
    expect(status).toBe(2);
    expect(stderr).toContain('near "FROM": syntax error');
    expect(stderr).toContain("at line 3, column 7");
    expect(stderr).toContain("  WHERE FROM\n        ^");
  });
});
