import { createHash } from "node:crypto";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { exitCodeOf, NotionMirrorError } from "../../src/errors.ts";
import { planRun } from "../../src/fill/plan-run.ts";
import type { FillWorkspace } from "../fill/plan-seed.ts";
import {
  fillWorkspace,
  HOSTILE_NAME,
  pullFillWorkspace,
  ruleText,
  withRules,
} from "../fill/plan-seed.ts";
import type { EmulatorSession } from "../support/emulator.ts";
import { openEmulator } from "../support/emulator.ts";
import { projectViolations } from "../support/invariants.ts";
import type { TestProject } from "../support/project.ts";
import { createProject } from "../support/project.ts";
import type { CliEnv } from "./support-b/cli.ts";
import { pagePatches, runCli } from "./support-b/cli.ts";

// Bad input, part 2: fill rules. A rule that cannot run as written is refused (exit 2) with the
// rule named and the mirror byte for byte unchanged; a proposal Notion would refuse is left out
// of the plan (exit 3, listed) and never reaches Notion when the rest is pushed.

let session: EmulatorSession;
let project: TestProject;
let ws: FillWorkspace;
let env: CliEnv;

beforeAll(async () => {
  ws = fillWorkspace();
  session = await openEmulator({ seed: ws.seed });
  project = createProject(session);
  await pullFillWorkspace(session, project, ws);
  env = { NOTION_TOKEN: session.emulator.token, NOTION_BASE_URL: session.emulator.url };
});
afterAll(async () => {
  project?.remove();
  await session?.stop();
});

const mirrorHash = () =>
  createHash("sha256").update(readFileSync(project.config.mirrorPath)).digest("hex");
const runCount = () => {
  const mirror = project.openMirror();
  try {
    return (mirror.sqlite.prepare("SELECT count(*) AS n FROM runs").get() as { n: number }).n;
  } finally {
    mirror.close();
  }
};
const q = (text: string) => `'${text.replaceAll("'", "''")}'`;
const NOTES_SQL = "SELECT page_id, 'x' AS value FROM items WHERE notes IS NULL AND in_trash = 0";
const notesRule = (sql: string, header: Record<string, string> = {}) =>
  ruleText({ target: "items.Notes", confidence: "high", ...header }, sql);

/** A config file like the project's whose rules folder holds `files`. */
function configWithRules(files: Record<string, string>): string {
  const { fillsDir } = withRules(project.config, files);
  const content = JSON.parse(readFileSync(project.config.file, "utf8")) as Record<string, unknown>;
  const file = join(fillsDir, "..", `config-${Math.random().toString(16).slice(2)}.json`);
  writeFileSync(file, JSON.stringify({ ...content, fills: fillsDir }));
  return file;
}

async function plan(files: Record<string, string>, ...args: string[]) {
  return runCli(["--config", configWithRules(files), "plan", ...args], env);
}

describe("rule SQL that is not a read-only query: exit 2, the rule named, the mirror unchanged", () => {
  it.each<[string, string, RegExp]>([
    ["writes (UPDATE)", "UPDATE pages SET url = 'https://evil.example'", /starts with UPDATE/],
    ["writes behind WITH", "WITH t AS (SELECT 1) DELETE FROM pages", /would write/],
    ["ATTACHes another file", `ATTACH ${q("/tmp/evil.db")} AS evil`, /starts with ATTACH/],
    ["runs a PRAGMA", "PRAGMA query_only = 0", /starts with PRAGMA/],
    ["runs two statements", `${NOTES_SQL}; DELETE FROM pages`, /more than one statement/],
    [
      "hides a second statement after a comment",
      `${NOTES_SQL} -- x\n; DROP TABLE runs`,
      /more than one statement/,
    ],
  ])("a rule that %s", async (_case, sql, message) => {
    const before = {
      hash: mirrorHash(),
      runs: runCount(),
      requests: session.emulator.log.all().length,
    };
    const ran = await plan({ "evil.sql": notesRule(sql) });
    expect(ran.code, ran.stderr).toBe(2);
    expect(ran.stderr).toMatch(/^error: Rule evil \(.*evil\.sql\): /m);
    expect(ran.stderr).toMatch(message);
    expect(ran.stderr).not.toMatch(/This is a bug/);
    expect(mirrorHash()).toBe(before.hash);
    expect(runCount()).toBe(before.runs);
    expect(session.emulator.log.all()).toHaveLength(before.requests);
  });

  it("a rule that never ends is stopped at its time limit (exit 2), the mirror unchanged", async () => {
    const before = mirrorHash();
    const started = Date.now();
    const config = withRules(project.config, {
      "forever.sql": notesRule(
        "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n) SELECT page_id, 'x' AS value FROM items, n WHERE i < 0",
      ),
    });
    const error = await planRun(config, { ruleTimeoutMs: 400 }).then(
      () => undefined,
      (caught: unknown) => caught,
    );
    expect(error).toBeInstanceOf(NotionMirrorError);
    expect(exitCodeOf(error)).toBe(2);
    expect((error as Error).message).toMatch(
      /^Rule forever .*ran longer than 0\.4 s and was stopped/,
    );
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(mirrorHash()).toBe(before);
  });
});

describe("rules that target the wrong thing: exit 2, nothing recorded", () => {
  it.each<[string, Record<string, string>, RegExp]>([
    [
      "two rules filling the same field (duplicate targets)",
      { "one.sql": notesRule(NOTES_SQL), "two.sql": notesRule(NOTES_SQL.replace("'x'", "'y'")) },
      /Rules one and two both fill Notes of page/,
    ],
    [
      "one rule proposing two values for a page",
      { "twice.sql": notesRule(`${NOTES_SQL} UNION ALL ${NOTES_SQL.replace("'x'", "'y'")}`) },
      /Rule twice proposes two values for page/,
    ],
    [
      "a read-only target (a formula)",
      {
        "formula.sql": ruleText(
          { target: "items.Double", confidence: "high" },
          "SELECT page_id, 1 AS value FROM items",
        ),
      },
      /targets items\.Double, a formula property.*cannot be filled/,
    ],
    [
      "a read-only target (a unique id)",
      {
        "ref.sql": ruleText(
          { target: "items.Ref", confidence: "high" },
          "SELECT page_id, 1 AS value FROM items",
        ),
      },
      /targets items\.Ref, a unique_id property/,
    ],
    [
      "an unknown target property",
      { "nope.sql": ruleText({ target: "items.Colour", confidence: "high" }, NOTES_SQL) },
      /targets Colour, which is not a property or column of items/,
    ],
    [
      "an unknown alias",
      { "alias.sql": ruleText({ target: "itemz.Notes", confidence: "high" }, NOTES_SQL) },
      /no data source has the alias itemz/,
    ],
  ])("%s", async (_case, files, message) => {
    const before = { hash: mirrorHash(), runs: runCount() };
    const ran = await plan(files);
    expect(ran.code, ran.stderr).toBe(2);
    expect(ran.stderr).toMatch(message);
    expect(ran.stderr).toMatch(/^hint: /m);
    expect(mirrorHash()).toBe(before.hash);
    expect(runCount()).toBe(before.runs);
  });
});

describe("values Notion would refuse are left out of the plan (exit 3) and never sent", () => {
  it("an unknown status option and text over Notion's limits are listed; the rest is pushed, and the checker holds", async () => {
    const page = q(ws.empty);
    const ran = await plan(
      {
        "status-paused.sql": ruleText(
          { target: "items.Stage", confidence: "high", "allow-new-option": "yes" },
          `SELECT ${page} AS page_id, 'Paused' AS value`,
        ),
        "notes-huge.sql": notesRule(
          `SELECT ${page} AS page_id, replace(hex(zeroblob(100001)), '0', 'x') AS value`,
        ),
        "title-huge.sql": ruleText(
          { target: "items.Name", confidence: "high" },
          `SELECT ${q(ws.empty2)} AS page_id, replace(hex(zeroblob(100001)), '0', 'y') AS value`,
        ),
        "mail-ok.sql": ruleText(
          { target: "items.Mail", confidence: "high" },
          `SELECT ${page} AS page_id, 'ok@example.com' AS value`,
        ),
      },
      "--json",
    );
    expect(ran.code, ran.stderr).toBe(3);
    const planned = JSON.parse(ran.stdout) as {
      runId: string;
      refusals: Array<{ rule: string; reason: string }>;
      changes: Array<{ rule: string }>;
    };
    const reasons = Object.fromEntries(planned.refusals.map((item) => [item.rule, item.reason]));
    expect(reasons["status-paused"]).toMatch(
      /status "Stage" has no option "Paused".*Notion cannot create status options/,
    );
    expect(reasons["notes-huge"]).toMatch(/200002 characters; Notion accepts at most 200000/);
    expect(reasons["title-huge"]).toMatch(/Notion accepts at most/);
    expect(planned.changes.map((change) => change.rule)).toEqual(["mail-ok"]);

    const seq = session.emulator.workspace().journal.all().length;
    const push = await runCli(
      ["--config", project.config.file, "push", planned.runId, "--yes"],
      env,
    );
    expect(push.code, push.stderr).toBe(0);
    const writes = session.emulator.workspace().journal.all().slice(seq);
    expect(writes.flatMap((entry) => entry.changes.map((change) => change.name))).toEqual(["Mail"]);
    expect(projectViolations(session, project)).toEqual([]);
  });
});

describe("hostile property names", () => {
  it("a property named like SQL is planned, pushed and reverted by its id; every table survives and the checker holds", async () => {
    const hostile = "x'); DROP TABLE pages; --";
    const ran = await plan(
      {
        "hostile.sql": ruleText(
          { rule: "hostile", target: `items.${HOSTILE_NAME}`, confidence: "high" },
          `SELECT page_id, ${q(hostile)} AS value FROM items WHERE in_trash = 0 AND a_drop_table_pages IS NULL`,
        ),
      },
      "--json",
    );
    expect(ran.code, ran.stderr).toBe(0);
    const { runId } = JSON.parse(ran.stdout) as { runId: string };
    const patchesBefore = pagePatches(session.emulator).length;
    const push = await runCli(["--config", project.config.file, "push", runId, "--yes"], env);
    expect(push.code, push.stderr).toBe(0);
    expect(pagePatches(session.emulator).length).toBeGreaterThan(patchesBefore);
    const live = session.emulator.workspace().pages.get(ws.empty) as {
      properties: Record<string, { rich_text?: Array<{ plain_text: string }> }>;
    };
    expect(live.properties[HOSTILE_NAME]?.rich_text?.[0]?.plain_text).toBe(hostile);
    const revert = await runCli(["--config", project.config.file, "revert", runId, "--yes"], env);
    expect(revert.code, revert.stderr).toBe(0);
    const mirror = project.openMirror();
    try {
      const tables = mirror.sqlite
        .prepare("SELECT name FROM sqlite_master WHERE type = 'table'")
        .pluck()
        .all() as string[];
      expect(tables).toEqual(expect.arrayContaining(["pages", "runs", "changes", "data_sources"]));
      expect(mirror.sqlite.pragma("integrity_check", { simple: true })).toBe("ok");
    } finally {
      mirror.close();
    }
    expect(projectViolations(session, project)).toEqual([]);
  });
});
