import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { planRun } from "../../src/fill/plan-run.ts";
import { proposalsOf } from "../../src/review/proposals.ts";
import { findRun } from "../../src/runs/run-store.ts";
import { readableDate, valueInPeoplesTerms } from "../../src/report/peoples-terms.ts";
import type { ReviewWorld } from "./review-world.ts";
import { reviewWorld } from "./review-world.ts";

/** The shipped link rule, returning its evidence and a score beside page_id and value. */
const LINK_WITH_EVIDENCE = `-- rule: phase-project-by-code
-- target: wt_phase_database.projectId
-- confidence: medium
-- description: Links a phase to the project whose projectID is the phase's projectCode.
SELECT phase.page_id, json_array(project.page_id) AS value,
       'projectCode ' || phase.project_code || ' = projectID' AS evidence, 1.0 AS score
FROM wt_phase_database AS phase
JOIN wt_projects AS project ON project.project_id = phase.project_code AND project.in_trash = 0
WHERE phase.project_id IS NULL AND phase.in_trash = 0
GROUP BY phase.page_id
HAVING count(*) = 1;
`;

let world: ReviewWorld;
beforeAll(async () => {
  world = await reviewWorld();
  writeFileSync(
    join(world.project.config.fillsDir, "phase-project-by-code.sql"),
    LINK_WITH_EVIDENCE,
  );
});
afterAll(async () => {
  await world?.stop();
});

describe("proposals for review are part of the plan", () => {
  it("stores each proposal below the threshold in the run, for review, with the rule's extra columns", async () => {
    const { runId, plan } = await planRun(world.project.config);
    expect(runId).not.toBeNull();
    const proposals = world.withMirror((mirror) => proposalsOf(mirror, String(runId)));
    expect(proposals).toHaveLength(49);
    expect(new Set(proposals.map((row) => row.status))).toEqual(new Set(["for_review"]));
    const links = proposals.filter((row) => row.rule === "phase-project-by-code");
    expect(links).toHaveLength(33);
    const first = links[0];
    const phaseCode = world.withMirror(
      (mirror) =>
        mirror.sqlite
          .prepare("SELECT project_code FROM wt_phase_database WHERE page_id = ?")
          .pluck()
          .get(first?.pageId) as string,
    );
    expect(JSON.parse(first?.extraJson ?? "null")).toEqual({
      evidence: `projectCode ${phaseCode} = projectID`,
      score: 1,
    });
    // Rules without extra columns keep none.
    expect(proposals.filter((row) => row.rule === "project-id-from-code")[0]?.extraJson).toBeNull();
    // Proposals are not planned changes: push has only the 5 status fills to send.
    const planned = world.withMirror(
      (mirror) =>
        mirror.sqlite
          .prepare("SELECT count(*) FROM changes WHERE run_id = ?")
          .pluck()
          .get(runId) as number,
    );
    expect(planned).toBe(5);
    expect(plan.review[0]?.extra).toBeDefined();
  });

  it("records a run holding only proposals, so they can be reviewed", async () => {
    const { runId, plan } = await planRun(world.project.config, {
      rules: ["project-id-from-code"],
    });
    expect(plan.changes).toHaveLength(0);
    expect(runId).not.toBeNull();
    expect(world.withMirror((mirror) => findRun(mirror.sqlite, String(runId))?.status)).toBe(
      "planned",
    );
    expect(world.withMirror((mirror) => proposalsOf(mirror, String(runId)))).toHaveLength(16);
  });

  it("shows every proposal in people's terms: page title, related project by title with its id, rule, evidence", async () => {
    const ran = await world.cli("plan");
    expect(ran.code, ran.stderr).toBe(0);
    const { titleOfPhase, project } = world.withMirror((mirror) => {
      const row = mirror.sqlite
        .prepare(
          `SELECT phase.page_id AS phase, project.page_id AS project, project.project_name AS projectName
           FROM wt_phase_database AS phase JOIN wt_projects AS project ON project.project_id = phase.project_code
           WHERE phase.project_id IS NULL AND phase.in_trash = 0 ORDER BY phase.page_id LIMIT 1`,
        )
        .get() as { phase: string; project: string; projectName: string };
      const title = mirror.sqlite
        .prepare("SELECT phase_name FROM wt_phase_database WHERE page_id = ?")
        .pluck()
        .get(row.phase) as string;
      return { titleOfPhase: `${title} ${row.phase}`, project: row };
    });
    const at = ran.stdout.indexOf(`? wt_phase_database / ${titleOfPhase}\n`);
    expect(at, ran.stdout).toBeGreaterThan(-1);
    const block = ran.stdout.slice(at).split("\n").slice(1, 3).join("\n");
    expect(block).toContain(
      `projectId: (empty) → ${project.projectName} (${project.project})  [phase-project-by-code, medium]`,
    );
    expect(block).toContain("evidence projectCode ");
    expect(block).toContain("score 1");
    expect(ran.stdout).toMatch(
      /^review: phase-project-by-code → wt_phase_database\.projectId \(medium confidence\), 33 proposals\n\s{2}Links a phase/m,
    );
    expect(ran.stderr).toMatch(
      /49 proposals wait for review: notion-mirror review \S+, then notion-mirror push/,
    );
  });
});

describe("values in people's terms", () => {
  it("reads dates as people write them, keeping the time zone", () => {
    expect(readableDate("2024-03-05")).toBe("5 Mar 2024");
    expect(readableDate("2024-03-05T14:30:00.000+02:00")).toBe("5 Mar 2024 14:30 UTC+02:00");
    expect(readableDate("2024-12-31T09:05:00.000Z")).toBe("31 Dec 2024 09:05 UTC");
    expect(readableDate("next week")).toBe("next week");
  });

  it("names related pages and people, and falls back to the id alone for an unknown one", () => {
    const names = {
      pageTitle: (id: string) => (id === "p1" ? "Atlas" : undefined),
      userName: (id: string) => (id === "u1" ? "Ana" : undefined),
    };
    expect(valueInPeoplesTerms("relation", '["p1","p2"]', names)).toBe("Atlas (p1), p2");
    expect(valueInPeoplesTerms("people", "u1", names)).toBe("Ana (u1)");
    expect(
      valueInPeoplesTerms(
        "date",
        { start: "2024-03-05", end: "2024-03-07", time_zone: null },
        names,
      ),
    ).toBe("5 Mar 2024 → 7 Mar 2024");
    expect(valueInPeoplesTerms("rich_text", null, names)).toBe("(empty)");
  });
});
