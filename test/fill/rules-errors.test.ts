import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { NotionMirrorError } from "../../src/errors.ts";
import { loadRules } from "../../src/fill/load-rules.ts";
import type { PlanOptions } from "../../src/fill/plan-run.ts";
import { planRun } from "../../src/fill/plan-run.ts";
import { parseRuleFile } from "../../src/fill/rule-file.ts";
import type { EmulatorSession } from "../support/emulator.ts";
import { openEmulator } from "../support/emulator.ts";
import type { TestProject } from "../support/project.ts";
import { createProject } from "../support/project.ts";
import { ruleText, withRules } from "./plan-seed.ts";

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

const mirrorHash = () =>
  createHash("sha256").update(readFileSync(project.config.mirrorPath)).digest("hex");

const STATUS_SQL = "SELECT page_id, 'Active' AS value FROM wt_phase_database WHERE status IS NULL";
const statusRule = (header: Record<string, string> = {}, sql = STATUS_SQL) =>
  ruleText({ target: "wt_phase_database.status", confidence: "high", ...header }, sql);

/**
 * Plans with `files` as the rules folder and expects a usage error; checks that nothing was
 * recorded and the mirror file is byte for byte what it was.
 */
async function ruleError(
  files: Record<string, string>,
  options: PlanOptions = {},
): Promise<NotionMirrorError> {
  const before = mirrorHash();
  let caught: unknown;
  try {
    await planRun(withRules(project.config, files), options);
  } catch (error) {
    caught = error;
  }
  expect(caught).toBeInstanceOf(NotionMirrorError);
  const error = caught as NotionMirrorError;
  expect(error.code, error.message).toBe("usage");
  expect(mirrorHash()).toBe(before);
  return error;
}

describe("the rule file header", () => {
  it("reads the rule, target, confidence, a description over several lines and the SQL", () => {
    const rule = parseRuleFile(
      [
        "-- rule: phase-status-active",
        "-- target: wt_phase_database.status",
        "-- confidence: high",
        "-- description: A phase with no status",
        "-- description: is active.",
        "-- a plain comment",
        "",
        "SELECT page_id, 'Active' AS value",
        "-- a comment inside the SQL: value",
        "FROM wt_phase_database",
      ].join("\n"),
      "fills/x.sql",
      "x",
    );
    expect(rule).toEqual({
      name: "phase-status-active",
      file: "fills/x.sql",
      target: { alias: "wt_phase_database", property: "status" },
      confidence: "high",
      description: "A phase with no status is active.",
      allowNewOption: false,
      sql: "SELECT page_id, 'Active' AS value\n-- a comment inside the SQL: value\nFROM wt_phase_database",
      sqlStart: { line: 8, column: 1 },
    });
  });

  it("takes the file name as the rule name when the header has none", () => {
    expect(parseRuleFile(statusRule(), "fills/my-rule.sql", "my-rule").name).toBe("my-rule");
  });

  it.each([
    ["no target", { confidence: "high" }, /"-- target: alias\.property" is required \(got none\)/],
    ["a target without a property", { target: "wt_phase_database", confidence: "high" }, /target/],
    [
      "no confidence",
      { target: "wt_phase_database.status" },
      /"-- confidence:" must be high, medium or low \(got none\)/,
    ],
    [
      "an unknown confidence",
      { target: "wt_phase_database.status", confidence: "sure" },
      /got "sure"/,
    ],
    [
      "a misspelt key",
      { target: "wt_phase_database.status", confidence: "high", descripton: "x" },
      /:3: unknown header key "descripton": did you mean description\?/,
    ],
    [
      "a bad allow-new-option",
      { target: "wt_phase_database.status", confidence: "high", "allow-new-option": "maybe" },
      /must be yes or no/,
    ],
  ])("refuses a header with %s, naming the file", async (_what, header, message) => {
    const error = await ruleError({ "bad.sql": ruleText(header, STATUS_SQL) });
    expect(error.message).toMatch(/bad\.sql/);
    expect(error.message).toMatch(message);
    expect(error.hint).toMatch(/-- target: alias\.property/);
  });

  it("refuses a key given twice", async () => {
    const text = `-- target: wt_phase_database.status\n${statusRule()}`;
    const error = await ruleError({ "twice.sql": text });
    expect(error.message).toMatch(/twice\.sql:2: "-- target:" is given twice/);
  });

  it("refuses a rule file with no SQL", async () => {
    const error = await ruleError({ "empty.sql": statusRule({}, "") });
    expect(error.message).toMatch(/no SQL after the header/);
  });

  it("refuses two rule files with the same rule name", async () => {
    const error = await ruleError({
      "a.sql": statusRule({ rule: "same" }),
      "b.sql": statusRule({ rule: "same" }),
    });
    expect(error.message).toMatch(/Two rules are named "same"/);
  });

  it("says which rules exist when a named rule does not", async () => {
    const error = await ruleError({ "a.sql": statusRule() }, { rules: ["nope"] });
    expect(error.message).toMatch(/^No rule named "nope" in /);
    expect(error.hint).toBe("Try one of: a");
  });

  it("finds a rule by its name or its file name", () => {
    const config = withRules(project.config, {
      "a.sql": statusRule({ rule: "alpha" }),
      "b.sql": statusRule({ rule: "beta" }),
    });
    expect(loadRules(config.fillsDir, ["beta", "a.sql"]).map((rule) => rule.name)).toEqual([
      "beta",
      "alpha",
    ]);
  });

  it("refuses a missing rules folder and an empty one", async () => {
    await expect(
      planRun({ ...project.config, fillsDir: join(project.dir, "no-such-folder") }),
    ).rejects.toThrow(/No fill rules folder at/);
    const error = await ruleError({ "readme.txt": "not a rule" });
    expect(error.message).toMatch(/No \.sql rules in/);
  });
});

describe("rules that cannot run as written are usage errors, and nothing is recorded", () => {
  it("refuses an unknown alias, naming the nearest one", async () => {
    const error = await ruleError({
      "x.sql": ruleText({ target: "wt_phasez.status", confidence: "high" }, STATUS_SQL),
    });
    expect(error.message).toMatch(/no data source has the alias wt_phasez/);
    expect(error.message).toMatch(/did you mean wt_phase_database \(WT Phase Database\)\?$/);
  });

  it("refuses an unknown property and suggests scan", async () => {
    const error = await ruleError({
      "x.sql": ruleText({ target: "wt_phase_database.stage", confidence: "high" }, STATUS_SQL),
    });
    expect(error.message).toMatch(
      /targets stage, which is not a property or column of wt_phase_database/,
    );
    expect(error.hint).toMatch(/notion-mirror scan/);
  });

  it("names the nearest properties, by Notion name and column, for an unknown target", async () => {
    const phaseId = await ruleError({
      "x.sql": ruleText({ target: "wt_phase_database.phaseId", confidence: "high" }, STATUS_SQL),
    });
    expect(phaseId.message).toMatch(/targets phaseId, which is not a property or column/);
    expect(phaseId.message).toContain("projectId (column project_id)");
    expect(phaseId.message).toContain("Phase name (column phase_name)");
    const typo = await ruleError({
      "x.sql": ruleText({ target: "wt_phase_database.statsu", confidence: "high" }, STATUS_SQL),
    });
    expect(typo.message).toMatch(/; did you mean status\?$/);
  });

  it.each([
    ["formula", "wt_phase_database", "Days planned"],
    ["rollup", "wt_milestones", "Task count"],
    ["unique_id", "wt_tasks", "ID"],
    ["last_edited_time", "wt_phase_database", "Last edited time"],
  ])("refuses a read-only target: a %s", async (type, alias, property) => {
    const error = await ruleError({
      "x.sql": ruleText(
        { target: `${alias}.${property}`, confidence: "high" },
        `SELECT page_id, 1 AS value FROM ${alias}`,
      ),
    });
    expect(error.message).toContain(`targets ${alias}.${property}, a ${type} property`);
    expect(error.message).toMatch(/cannot be filled/);
  });

  it("refuses a rule that returns the same page twice", async () => {
    const error = await ruleError({
      "dup.sql": statusRule({}, `${STATUS_SQL} UNION ALL ${STATUS_SQL}`),
    });
    expect(error.message).toMatch(
      /Rule dup proposes two values for page .* \(wt_phase_database\.status\)/,
    );
    expect(error.hint).toMatch(/GROUP BY page_id/);
  });

  it("refuses the same page twice even when its id is written two ways", async () => {
    const error = await ruleError({
      "dup.sql": statusRule(
        {},
        `${STATUS_SQL} UNION ALL SELECT replace(page_id, '-', ''), 'Active' FROM wt_phase_database WHERE status IS NULL`,
      ),
    });
    expect(error.message).toMatch(/proposes two values for page/);
  });

  it("refuses two rules filling the same field", async () => {
    const error = await ruleError({
      "one.sql": statusRule(),
      "two.sql": statusRule({}, STATUS_SQL.replace("'Active'", "'Not started'")),
    });
    expect(error.message).toMatch(/Rules one and two both fill status of page/);
  });

  it("refuses two rules filling the same field whatever their confidence", async () => {
    const error = await ruleError({
      "one.sql": statusRule(),
      "two.sql": statusRule({ confidence: "low" }),
    });
    expect(error.message).toMatch(/Rules one and two both fill status of page/);
  });

  it.each([
    ["no value column", "SELECT page_id FROM wt_phase_database", /returns page_id/],
    ["no page_id column", "SELECT 'Active' AS value", /returns value/],
    [
      "misnamed columns",
      "SELECT page_id AS id, 'Active' AS v FROM wt_phase_database",
      /returns id, v/,
    ],
  ])("refuses a rule with %s", async (_what, sql, returns) => {
    const error = await ruleError({ "cols.sql": statusRule({}, sql) });
    expect(error.message).toMatch(/Rule cols .* must return columns page_id and value/);
    expect(error.message).toMatch(returns);
  });

  it("refuses a rule with a SQL error, naming the rule and the position", async () => {
    const error = await ruleError({
      "broken.sql": statusRule({}, "SELECT page_id, 'Active' AS value\nFROM wt_phase_databse"),
    });
    expect(error.message).toMatch(
      /^Rule broken \(.*broken\.sql\): SQL error: no such table: wt_phase_databse/,
    );
    expect(error.message).toMatch(/Did you mean wt_phase_database \(WT Phase Database\)\?$/);
  });

  it("gives a SQL error's position as the file's line and column, past the header", async () => {
    const text = [
      "-- rule: broken",
      "-- target: wt_phase_database.status",
      "-- confidence: high",
      "-- description: a rule whose SQL starts on line 6",
      "",
      "  SELECT page_id, phase_id AS value",
      "FROM wt_phase_database",
      "WHERE status IS NULL AND statsu = 1",
    ].join("\n");
    const first = await ruleError({ "broken.sql": text });
    expect(first.message).toContain("no such column: phase_id\nat line 6, column 19:");
    expect(first.message).toMatch(/Did you mean .*project_id \(projectId\)/);
    const later = await ruleError({ "broken.sql": text.replace("phase_id", "'Active'") });
    expect(later.message).toContain("no such column: statsu\nat line 8, column 26:");
    expect(later.message).toMatch(/Did you mean status\?$/);
  });

  it.each([
    ["a write", "UPDATE pages SET url = 'https://example.com'", /starts with UPDATE/],
    ["a delete behind WITH", "WITH t AS (SELECT 1) DELETE FROM pages", /would write/],
    ["ATTACH", "ATTACH 'evil.db' AS evil", /starts with ATTACH/],
    ["PRAGMA", "PRAGMA query_only = 0", /starts with PRAGMA/],
    ["two statements", `${STATUS_SQL}; DELETE FROM pages`, /more than one statement/],
  ])("refuses a rule that tries %s, the mirror unchanged", async (_what, sql, message) => {
    const error = await ruleError({ "evil.sql": statusRule({}, sql) });
    expect(error.message).toMatch(/^Rule evil /);
    expect(error.message).toMatch(message);
  });

  it("stops a runaway recursive CTE at the time limit", async () => {
    const started = Date.now();
    const error = await ruleError(
      {
        "runaway.sql": statusRule(
          {},
          "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n) SELECT page_id, 'Active' AS value FROM wt_phase_database, n WHERE i < 0",
        ),
      },
      { ruleTimeoutMs: 300 },
    );
    expect(error.message).toMatch(/^Rule runaway .*ran longer than 0\.3 s and was stopped/);
    expect(Date.now() - started).toBeLessThan(10_000);
  });

  it("stops at the first rule error: a valid rule beside it records nothing", async () => {
    const mirror = project.openMirror();
    const runs = () =>
      (mirror.sqlite.prepare("SELECT count(*) AS n FROM runs").get() as { n: number }).n;
    try {
      const before = runs();
      await ruleError({ "a-good.sql": statusRule(), "b-bad.sql": statusRule({}, "SELECT 1") });
      expect(runs()).toBe(before);
    } finally {
      mirror.close();
    }
  });
});
