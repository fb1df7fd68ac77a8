import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { plannedRequests } from "../../src/apply/push.ts";
import { runChanges } from "../../src/runs/change-store.ts";
import { DEMO_FACTS, DEMO_PAGE_COUNTS, DEMO_PROPERTIES } from "../../src/emulator/index.ts";
import { DEMO_RULES_FOLDER, installDemoRules } from "../../src/fill/demo-rules.ts";
import type { PlanResult } from "../../src/fill/plan-run.ts";
import { planRun } from "../../src/fill/plan-run.ts";
import type { Plan, PlannedFrom } from "../../src/fill/plan-types.ts";
import { findRun } from "../../src/runs/run-store.ts";
import { planSummaryLine, renderPlanDiff, renderPlanNotes } from "../../src/report/plan-report.ts";
import type { EmulatorSession } from "../support/emulator.ts";
import { openEmulator } from "../support/emulator.ts";
import type { TestProject } from "../support/project.ts";
import { createProject } from "../support/project.ts";

let session: EmulatorSession;
let project: TestProject;
/** The demo rules at the default threshold (high), and with --min-confidence medium. */
let high: PlanResult;
let medium: PlanResult;

beforeAll(async () => {
  session = await openEmulator();
  project = createProject(session);
  await project.pull();
  installDemoRules(project.config.fillsDir);
  high = await planRun(project.config);
  medium = await planRun(project.config, { minConfidence: "medium" });
});
afterAll(async () => {
  project?.remove();
  await session?.stop();
});

function read<T>(sql: string, ...params: unknown[]): T[] {
  const mirror = project.openMirror();
  try {
    return mirror.sqlite.prepare(sql).all(...params) as T[];
  } finally {
    mirror.close();
  }
}

/** The id of the phase status option the demo fills (payloads name options by id). */
function activeOptionId(): string {
  const [row] = read<{ schema: string }>(
    "SELECT schema_json AS schema FROM data_sources WHERE alias = 'wt_phase_database'",
  );
  const source = JSON.parse(row?.schema ?? "{}") as {
    properties: Record<
      string,
      { type: string; status?: { options: Array<{ id: string; name: string }> } }
    >;
  };
  const status = Object.values(source.properties).find((property) => property.type === "status");
  const option = status?.status?.options.find(
    (candidate) => candidate.name === DEMO_FACTS.phaseStatusFill,
  );
  if (!option) throw new Error("the demo's phase status has no Active option");
  return option.id;
}

const byRule = (plan: Plan, rule: string) => plan.review.filter((item) => item.rule === rule);
const NO_COLOR = (text: string) => text.replace(/\x1b\[[0-9;]*m/g, ""); // eslint-disable-line no-control-regex

describe("the demo rules reproduce the team's first backfill", () => {
  it("installs the three shipped rules, keeping a file already there", () => {
    expect(readdirSync(project.config.fillsDir).sort()).toEqual(
      readdirSync(DEMO_RULES_FOLDER).sort(),
    );
    const mine = join(project.config.fillsDir, "phase-status-active.sql");
    const text = readFileSync(mine, "utf8");
    writeFileSync(mine, `${text}\n-- edited\n`);
    expect(installDemoRules(project.config.fillsDir)).toEqual([]);
    expect(readFileSync(mine, "utf8")).toBe(`${text}\n-- edited\n`);
    writeFileSync(mine, text);
  });

  it("plans exactly the 5 phase status fills, Active, high confidence", () => {
    expect(high.plan.changes).toHaveLength(DEMO_FACTS.emptyPhaseStatus);
    for (const change of high.plan.changes) {
      expect(change).toMatchObject({
        alias: "wt_phase_database",
        propertyName: DEMO_PROPERTIES.phaseStatus,
        propertyType: "status",
        rule: "phase-status-active",
        confidence: "high",
        natural: DEMO_FACTS.phaseStatusFill,
        payload: { status: { id: activeOptionId() } },
        before: { type: "status", status: null },
      });
    }
    expect(new Set(high.plan.changes.map((change) => change.pageId)).size).toBe(5);
    expect(high.plan.refusals).toEqual([]);
    expect(high.plan.protected).toEqual([]);
  });

  it("lists 16 projectIDs and 33 phase → project links for review, medium confidence", () => {
    const ids = byRule(high.plan, "project-id-from-code");
    const links = byRule(high.plan, "phase-project-by-code");
    expect(ids).toHaveLength(DEMO_FACTS.emptyProjectID);
    expect(links).toHaveLength(DEMO_FACTS.matchablePhaseProjectId);
    expect(high.plan.review).toHaveLength(16 + 33);
    expect(new Set(high.plan.review.map((item) => item.confidence))).toEqual(new Set(["medium"]));
    expect(new Set(ids.map((item) => item.propertyName))).toEqual(
      new Set([DEMO_PROPERTIES.projectID]),
    );
    expect(new Set(links.map((item) => item.propertyName))).toEqual(
      new Set([DEMO_PROPERTIES.phaseProjectId]),
    );
    expect(high.plan.rules.map((rule) => [rule.rule, rule.planned, rule.forReview])).toEqual([
      ["phase-project-by-code", 0, 33],
      ["phase-status-active", 5, 0],
      ["project-id-from-code", 0, 16],
    ]);
  });

  it("proposes for each phase the project whose projectID is the phase's projectCode", () => {
    const [projects, phases] = [
      read<{ page_id: string; code: string }>("SELECT page_id, code FROM wt_projects"),
      read<{ page_id: string; project_code: string }>(
        "SELECT page_id, project_code FROM wt_phase_database",
      ),
    ];
    const codeOf = new Map(phases.map((phase) => [phase.page_id, phase.project_code]));
    const projectIdOf = new Map(
      read<{ page_id: string; project_id: string | null }>(
        "SELECT page_id, project_id FROM wt_projects",
      ).map((project) => [project.page_id, project.project_id]),
    );
    for (const link of byRule(high.plan, "phase-project-by-code")) {
      const { relation } = link.payload as { relation: Array<{ id: string }> };
      expect(relation).toHaveLength(1);
      expect(projectIdOf.get(relation[0]?.id ?? "")).toBe(codeOf.get(link.pageId));
    }
    const codes = new Map(projects.map((project) => [project.page_id, project.code]));
    for (const item of byRule(high.plan, "project-id-from-code")) {
      expect(item.natural).toBe(codes.get(item.pageId));
    }
  });

  it("sums it up in one line", () => {
    expect(planSummaryLine(high.plan)).toBe(
      "5 fields to fill on 5 pages; 0 protected; 49 for review",
    );
    const notes = NO_COLOR(renderPlanNotes(high.plan));
    expect(notes).toMatch(
      /^for review: 33 × wt_phase_database\.projectId from phase-project-by-code \(medium confidence: Links a phase/m,
    );
    expect(notes).toMatch(
      /^for review: 16 × wt_projects\.projectID from project-id-from-code \(medium confidence/m,
    );
  });

  it("shows per page a diff of what it fills", () => {
    const diff = NO_COLOR(renderPlanDiff(high.plan.changes));
    const blocks = diff.trimEnd().split(/\n(?=~ )/);
    expect(blocks).toHaveLength(5);
    for (const change of high.plan.changes) {
      expect(diff).toContain(
        `~ wt_phase_database / ${change.pageTitle} ${change.pageId}\n    status: (empty) → Active  [phase-status-active, high]`,
      );
    }
    expect(high.plan.changes.every((change) => change.pageTitle !== "")).toBe(true);
  });

  it("records the planned run: its changes, the rules' SQL and the mirror state", () => {
    expect(high.runId).toMatch(/^\d{8}-\d{6}-[0-9a-f]{4}$/);
    const mirror = project.openMirror();
    try {
      const run = findRun(mirror.sqlite, high.runId ?? "");
      // The medium plan made after it superseded it: one planned run at a time.
      expect(run).toMatchObject({ kind: "fill", status: "superseded", appliedAt: null });
      const stored = JSON.parse(run?.planJson ?? "{}") as Omit<Plan, "changes" | "review"> & {
        changeCount: number;
        reviewCount: number;
      };
      expect(stored.changeCount).toBe(5);
      // The proposals are stored once, in their own rows; the plan keeps their count.
      expect(stored).not.toHaveProperty("review");
      expect(stored.reviewCount).toBe(49);
      expect(stored.minConfidence).toBe("high");
      for (const file of readdirSync(DEMO_RULES_FOLDER)) {
        const rule = stored.rules.find((outcome) => `${outcome.rule}.sql` === file);
        expect(rule?.sql).toBe(
          readFileSync(join(DEMO_RULES_FOLDER, file), "utf8")
            .split("\n")
            .filter((line) => !line.startsWith("-- "))
            .join("\n")
            .trim(),
        );
      }
      const source = mirror.sqlite
        .prepare(
          "SELECT id AS dataSourceId, alias, schema_fingerprint AS fingerprint, watermark, pulled_at AS pulledAt FROM data_sources WHERE alias = 'wt_phase_database'",
        )
        .get() as PlannedFrom;
      expect(stored.plannedFrom).toEqual([source]);
      expect(source.fingerprint).toMatch(/\S/);
      const changes = runChanges(mirror.sqlite, high.runId ?? "");
      expect(changes.map((row) => [row.pageId, row.status, row.rule, row.confidence])).toEqual(
        high.plan.changes.map((change) => [
          change.pageId,
          "planned",
          "phase-status-active",
          "high",
        ]),
      );
      expect(JSON.parse(changes[0]?.payloadJson ?? "null")).toEqual({
        status: { id: activeOptionId() },
      });
      expect(JSON.parse(changes[0]?.beforeJson ?? "null")).toMatchObject({ status: null });
    } finally {
      mirror.close();
    }
  });

  it("plans all 54 with --min-confidence medium, nothing left for review", () => {
    expect(medium.plan.changes).toHaveLength(54);
    expect(medium.plan.review).toEqual([]);
    expect(medium.plan.plannedFrom.map((source) => source.alias).sort()).toEqual([
      "wt_phase_database",
      "wt_projects",
    ]);
    const pages = new Set(medium.plan.changes.map((change) => change.pageId)).size;
    expect(planSummaryLine(medium.plan)).toBe(
      `54 fields to fill on ${pages} pages; 0 protected; 0 for review`,
    );
    expect(pages).toBeLessThan(54);
    expect(pages).toBeLessThanOrEqual(DEMO_PAGE_COUNTS.phases + DEMO_PAGE_COUNTS.projects);
  });

  it("makes one change set per page: push sends one PATCH with all of a page's fields", () => {
    const mirror = project.openMirror();
    const rows = (() => {
      try {
        return runChanges(mirror.sqlite, medium.runId ?? "");
      } finally {
        mirror.close();
      }
    })();
    const requests = plannedRequests(rows);
    const pages = new Set(medium.plan.changes.map((change) => change.pageId));
    expect(requests).toHaveLength(pages.size);
    const both = requests.filter((request) => request.properties.length === 2);
    expect(both.length).toBe(54 - pages.size);
    expect(both.length).toBeGreaterThan(0);
    for (const request of both) {
      expect(request.properties.sort()).toEqual(["projectId", "status"]);
      expect(Object.keys(request.body.properties)).toHaveLength(2);
    }
    // The diff shows such a page once, with both of its fields.
    const diff = NO_COLOR(renderPlanDiff(medium.plan.changes));
    expect(diff.match(/^~ /gm)).toHaveLength(pages.size);
    const pageId = both[0]?.path.split("/").pop() ?? "";
    expect(diff).toMatch(
      new RegExp(`${pageId}\\n    (status|projectId): .*\\n    (status|projectId): `),
    );
  });

  it("runs only the rules named", async () => {
    const only = await planRun(project.config, {
      rules: ["project-id-from-code"],
      minConfidence: "medium",
    });
    expect(only.plan.rules.map((rule) => rule.rule)).toEqual(["project-id-from-code"]);
    expect(only.plan.changes).toHaveLength(DEMO_FACTS.emptyProjectID);
    expect(planSummaryLine(only.plan)).toBe(
      "16 fields to fill on 16 pages; 0 protected; 0 for review",
    );
  });

  it("records a run when it has proposals for review and nothing to fill", async () => {
    const before = read<{ n: number }>("SELECT count(*) AS n FROM runs")[0]?.n ?? 0;
    const review = await planRun(project.config, { rules: ["project-id-from-code"] });
    expect(review.plan.changes).toEqual([]);
    expect(review.plan.review).toHaveLength(16);
    expect(review.runId).not.toBeNull();
    expect(read<{ n: number }>("SELECT count(*) AS n FROM runs")[0]?.n).toBe(before + 1);
  });
});
