import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { installDemoRules } from "../../src/fill/demo-rules.ts";
import { findRun } from "../../src/runs/run-store.ts";
import type { EmulatorSession } from "../support/emulator.ts";
import { openEmulator } from "../support/emulator.ts";
import type { TestProject } from "../support/project.ts";
import { createProject } from "../support/project.ts";
import { ruleText } from "./plan-seed.ts";
import { runCli } from "../matrix/support-b/cli.ts";

let session: EmulatorSession;
let project: TestProject;

beforeAll(async () => {
  session = await openEmulator();
  project = createProject(session);
  await project.pull();
  installDemoRules(project.config.fillsDir);
});
afterAll(async () => {
  project?.remove();
  await session?.stop();
});

/**
 * A second config file for the same mirror whose rules folder holds `files`: the CLI takes its
 * rules folder from the config.
 */
function configWithRules(name: string, files: Record<string, string>): string {
  const config = JSON.parse(readFileSync(project.config.file, "utf8")) as Record<string, unknown>;
  const dir = join(project.dir, name);
  mkdirSync(dir, { recursive: true });
  for (const [file, text] of Object.entries(files)) writeFileSync(join(dir, file), text);
  const path = join(project.dir, `${name}.json`);
  writeFileSync(path, JSON.stringify({ ...config, fills: `./${name}` }));
  return path;
}

/** `notion-mirror --config FILE plan …` through the real CLI entry in this process, no colour. */
async function plan(
  args: string[],
  config = project.config.file,
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return runCli(["--config", config, "plan", ...args], project.env, project.dir);
}

function runExists(id: string): boolean {
  const mirror = project.openMirror();
  try {
    return findRun(mirror.sqlite, id) !== undefined;
  } finally {
    mirror.close();
  }
}

function runCount(): number {
  const mirror = project.openMirror();
  try {
    return (mirror.sqlite.prepare("SELECT count(*) AS n FROM runs").get() as { n: number }).n;
  } finally {
    mirror.close();
  }
}

describe("notion-mirror plan", () => {
  it("prints the per-page diff, the review counts, the summary and the run id", async () => {
    const ran = await plan([]);
    expect(ran.code, ran.stderr).toBe(0);
    expect(ran.stdout.match(/^~ wt_phase_database \/ .+ [0-9a-f-]{36}$/gm)).toHaveLength(5);
    expect(
      ran.stdout.match(/^ {4}status: \(empty\) → Active {2}\[phase-status-active, high\]$/gm),
    ).toHaveLength(5);
    expect(ran.stdout).toMatch(/^for review: 33 × wt_phase_database\.projectId /m);
    expect(ran.stdout).toMatch(/^for review: 16 × wt_projects\.projectID /m);
    expect(ran.stdout).toContain("\n5 fields to fill on 5 pages; 0 protected; 49 for review\n");
    const id = /^Planned run (\S+)\.$/m.exec(ran.stdout)?.[1];
    expect(id).toBeDefined();
    expect(ran.stderr).toContain(
      `49 proposals wait for review: notion-mirror review ${id}, then notion-mirror push ${id}\n`,
    );
    expect(runExists(id ?? "")).toBe(true);
    expect(ran.stdout).not.toMatch(/\x1b\[/); // eslint-disable-line no-control-regex
  });

  it("prints the plan as JSON with --json", async () => {
    const ran = await plan(["--json", "--min-confidence", "medium"]);
    expect(ran.code, ran.stderr).toBe(0);
    const parsed = JSON.parse(ran.stdout) as {
      runId: string;
      summary: string;
      changes: unknown[];
      review: unknown[];
      refusals: unknown[];
      minConfidence: string;
      plannedFrom: unknown[];
    };
    expect(parsed.summary).toMatch(/^54 fields to fill on \d+ pages; 0 protected; 0 for review$/);
    expect(parsed.changes).toHaveLength(54);
    expect(parsed.review).toEqual([]);
    expect(parsed.minConfidence).toBe("medium");
    expect(parsed.plannedFrom).toHaveLength(2);
    expect(runExists(parsed.runId)).toBe(true);
  });

  it("runs only the rule named", async () => {
    const ran = await plan(["phase-status-active", "--json"]);
    expect(ran.code, ran.stderr).toBe(0);
    const parsed = JSON.parse(ran.stdout) as { rules: Array<{ rule: string }>; summary: string };
    expect(parsed.rules.map((rule) => rule.rule)).toEqual(["phase-status-active"]);
    expect(parsed.summary).toBe("5 fields to fill on 5 pages; 0 protected; 0 for review");
  });

  it("exits 3 when some proposals were refused, and says which and why", async () => {
    const config = configWithRules("refusing", {
      "status.sql": ruleText(
        { target: "wt_phase_database.status", confidence: "high" },
        "SELECT page_id, CASE WHEN page_id = (SELECT min(page_id) FROM wt_phase_database WHERE status IS NULL) THEN 'Paused' ELSE 'Active' END AS value FROM wt_phase_database WHERE status IS NULL",
      ),
    });
    const ran = await plan([], config);
    expect(ran.code, ran.stderr).toBe(3);
    expect(ran.stdout).toMatch(
      /^refused: rule status, wt_phase_database \/ [^\n]+ [0-9a-f-]{36}, value "Paused": status "status" has no option "Paused"/m,
    );
    expect(ran.stdout).toContain(
      "4 fields to fill on 4 pages; 0 protected; 0 for review; 1 refused",
    );
    expect(ran.stdout).toMatch(/^Planned run \S+\./m);
  });

  it("plans a date-time with seconds as the minute Notion will store, and notes the seconds dropped", async () => {
    const config = configWithRules("seconds", {
      "dates-now.sql": ruleText(
        { target: "wt_phase_database.Dates", confidence: "high" },
        "SELECT page_id, '2026-07-25 16:57:28' AS value FROM wt_phase_database WHERE dates IS NULL AND in_trash = 0 ORDER BY page_id LIMIT 1",
      ),
    });
    const ran = await plan([], config);
    expect(ran.code, ran.stderr).toBe(0);
    expect(ran.stdout).toContain(
      [
        "    Dates: (empty) → 25 Jul 2026 16:57  [dates-now, high]",
        '      note: seconds dropped: Notion keeps date-times to the minute (the rule gave "2026-07-25 16:57:28")',
      ].join("\n"),
    );
    const json = await plan(["--json"], config);
    const parsed = JSON.parse(json.stdout) as {
      runId: string;
      changes: Array<{ natural: unknown; payload: unknown; note?: string }>;
    };
    expect(parsed.changes).toEqual([
      expect.objectContaining({
        natural: "2026-07-25T16:57:00.000",
        payload: { date: { start: "2026-07-25T16:57:00.000", end: null, time_zone: null } },
        note: 'seconds dropped: Notion keeps date-times to the minute (the rule gave "2026-07-25 16:57:28")',
      }),
    ]);
    // What push will send is the minute, as recorded in the run.
    const mirror = project.openMirror();
    try {
      const row = mirror.sqlite
        .prepare("SELECT payload_json FROM changes WHERE run_id = ?")
        .get(parsed.runId) as { payload_json: string };
      expect(JSON.parse(row.payload_json)).toEqual({
        date: { start: "2026-07-25T16:57:00.000", end: null, time_zone: null },
      });
    } finally {
      mirror.close();
    }
  });

  it("exits 2 for a rule error, with the message and a hint, recording nothing", async () => {
    const config = configWithRules("broken", {
      "formula.sql": ruleText(
        { target: "wt_phase_database.Days planned", confidence: "high" },
        "SELECT page_id, 3 AS value FROM wt_phase_database",
      ),
    });
    const runs = runCount();
    const ran = await plan(["--json"], config);
    expect(ran.code).toBe(2);
    expect(runCount()).toBe(runs);
    expect(ran.stdout).toBe("");
    expect(ran.stderr).toMatch(
      /^error: Rule formula \(.*formula\.sql\) targets wt_phase_database\.Days planned, a formula property/,
    );
  });

  it("exits 2 for a rule name that does not exist", async () => {
    const ran = await plan(["no-such-rule"]);
    expect(ran.code).toBe(2);
    expect(ran.stderr).toMatch(/error: No rule named "no-such-rule"/);
    expect(ran.stderr).toMatch(
      /hint: Try one of: phase-project-by-code, phase-status-active, project-id-from-code/,
    );
  });

  it("exits 2 for an unknown --min-confidence", async () => {
    const ran = await plan(["--min-confidence", "sure"]);
    expect(ran.code).toBe(2);
    expect(ran.stderr).toMatch(/--min-confidence/);
  });
});
