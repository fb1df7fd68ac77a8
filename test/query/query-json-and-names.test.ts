import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { EmulatorSession } from "../support/emulator.ts";
import { openEmulator } from "../support/emulator.ts";
import type { TestProject } from "../support/project.ts";
import { createProject } from "../support/project.ts";

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

function query(args: string[]) {
  const result = spawnSync(
    process.execPath,
    [BIN, "--config", project.config.file, "query", ...args],
    { cwd: project.dir, env: project.env, encoding: "utf8" },
  );
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** A project with every JSON-array column filled: tags (multi-select), owner, client, brief. */
const ARRAYS =
  "SELECT page_id, project_name, tags, owner, client, brief FROM wt_projects WHERE tags IS NOT NULL AND owner IS NOT NULL AND client IS NOT NULL AND brief IS NOT NULL ORDER BY page_id LIMIT 1";

describe("query JSON output keeps JSON values as JSON", () => {
  it("writes multi-select, people, relation and files columns as arrays", () => {
    const { status, stdout, stderr } = query([ARRAYS, "--format", "json"]);
    expect(status, stderr).toBe(0);
    const [row] = JSON.parse(stdout) as Array<Record<string, unknown>>;
    expect(row).toBeDefined();
    for (const column of ["tags", "owner", "client", "brief"]) {
      expect(Array.isArray(row?.[column]), `${column}: ${JSON.stringify(row?.[column])}`).toBe(
        true,
      );
      expect((row?.[column] as unknown[]).length).toBeGreaterThan(0);
    }
    expect(typeof row?.project_name).toBe("string");
    expect(typeof row?.page_id).toBe("string");
  });

  it("does the same in NDJSON, and writes NULL as null", () => {
    const { status, stdout } = query([
      "SELECT tags, brief FROM wt_projects WHERE brief IS NULL AND tags IS NOT NULL LIMIT 1",
      "--format",
      "ndjson",
    ]);
    expect(status).toBe(0);
    const row = JSON.parse(stdout.trim()) as Record<string, unknown>;
    expect(Array.isArray(row.tags)).toBe(true);
    expect(row.brief).toBeNull();
  });

  it("keeps numbers as numbers and leaves text that only looks like an array alone", () => {
    const { status, stdout } = query([
      `SELECT progress, gate_passed, '["not","a","column"]' AS looks_like_json, tags AS renamed FROM wt_phase_database, (SELECT tags FROM wt_projects WHERE tags IS NOT NULL LIMIT 1) WHERE progress > 0 LIMIT 1`,
      "--json",
    ]);
    expect(status).toBe(0);
    const [row] = JSON.parse(stdout) as Array<Record<string, unknown>>;
    expect(typeof row?.progress).toBe("number");
    expect(typeof row?.gate_passed).toBe("number");
    expect(row?.looks_like_json).toBe('["not","a","column"]');
    expect(typeof row?.renamed).toBe("string");
  });

  it("keeps the JSON text in CSV, where a cell is text", () => {
    const { status, stdout } = query([
      "SELECT tags FROM wt_projects WHERE tags IS NOT NULL LIMIT 1",
      "--format",
      "csv",
    ]);
    expect(status).toBe(0);
    expect(stdout.split("\r\n")[1]).toMatch(/^"\[""/);
  });
});

describe("query names the nearest view or column for an unknown one", () => {
  it("suggests the column, with its Notion name, for an unknown column", () => {
    const { status, stderr } = query(["SELECT phase_id FROM wt_phase_database"]);
    expect(status).toBe(2);
    expect(stderr).toContain("no such column: phase_id");
    expect(stderr).toMatch(/Did you mean .*project_id \(projectId\)/);
    expect(stderr).toMatch(/Did you mean .*phase_name \(Phase name\)/);
  });

  it("suggests a typo's column from the view the SQL names", () => {
    const { stderr } = query(["SELECT statsu FROM wt_phase_database"]);
    expect(stderr).toMatch(/Did you mean status\?/);
  });

  it("suggests the view, with its database's title, for an unknown table", () => {
    const { status, stderr } = query(["SELECT * FROM wt_phase"]);
    expect(status).toBe(2);
    expect(stderr).toContain("no such table: wt_phase");
    expect(stderr).toContain("Did you mean wt_phase_database (WT Phase Database)?");
  });
});
