import { copyFileSync, mkdirSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { planRun } from "../../src/fill/plan-run.ts";
import { editSimilarity, normText, tokenSimilarity } from "../../src/fill/sql-sandbox-functions.ts";
import { openSqlSandbox } from "../../src/fill/sql-sandbox.ts";
import type { ReviewWorld } from "./review-world.ts";
import { reviewWorld } from "./review-world.ts";

const SIMILARITY_RULE = fileURLToPath(
  new URL("../../examples/matching/phase-project-by-similarity.sql", import.meta.url),
);

let world: ReviewWorld;
beforeAll(async () => {
  world = await reviewWorld();
});
afterAll(async () => {
  await world?.stop();
});

describe("matching functions", () => {
  it("normalise text: case, accents, punctuation and spaces", () => {
    expect(normText("  Café—Déjà  Vu! ")).toBe("cafe deja vu");
    expect(normText("Atlas Data Platform — Discovery")).toBe("atlas data platform discovery");
  });

  it("measure shared words and edit distance, 0 to 1", () => {
    expect(tokenSimilarity("Atlas Data Platform", "atlas platform")).toBeCloseTo(2 / 3, 6);
    expect(tokenSimilarity("Atlas", "Garnet")).toBe(0);
    expect(tokenSimilarity("", "")).toBe(1);
    expect(editSimilarity("Garnet", "Garnett")).toBeCloseTo(6 / 7, 6);
    expect(editSimilarity("abc", "abc")).toBe(1);
    expect(editSimilarity("abc", "xyz")).toBe(0);
  });

  it("are callable from a rule's SQL, NULL in, NULL out", async () => {
    const sandbox = openSqlSandbox(world.project.config.mirrorPath);
    const answer = await sandbox
      .run(
        "SELECT norm_text(' Él Niño '), token_similarity('a b', 'b c'), edit_similarity('kitten', 'sitting'), token_similarity(NULL, 'x'), norm_text(NULL)",
        { timeoutMs: 10_000, maxRows: 10 },
      )
      .finally(() => sandbox.close());
    expect(answer.rows).toEqual([["el nino", 1 / 3, 1 - 3 / 7, null, null]]);
  });
});

describe("the demo similarity rule", () => {
  it("proposes for review, with a score and its evidence, the same links the exact-code rule finds", async () => {
    const dir = join(world.project.dir, "matching");
    mkdirSync(dir, { recursive: true });
    copyFileSync(SIMILARITY_RULE, join(dir, "phase-project-by-similarity.sql"));
    const { plan } = await planRun({ ...world.project.config, fillsDir: dir });
    expect(plan.changes).toEqual([]);
    expect(plan.refusals).toEqual([]);
    expect(plan.review.length).toBeGreaterThan(0);
    const byCode = new Map(
      world
        .withMirror(
          (mirror) =>
            mirror.sqlite
              .prepare(
                `SELECT phase.page_id AS phase, project.page_id AS project
               FROM wt_phase_database AS phase
               JOIN wt_projects AS project ON project.project_id = phase.project_code AND project.in_trash = 0
               WHERE phase.project_id IS NULL AND phase.in_trash = 0`,
              )
              .all() as Array<{ phase: string; project: string }>,
        )
        .map((row) => [row.phase, row.project]),
    );
    let agreed = 0;
    for (const item of plan.review) {
      const score = item.extra?.score;
      expect(typeof score).toBe("number");
      expect(score).toBeGreaterThanOrEqual(0.5);
      expect(String(item.extra?.evidence)).toMatch(/^name like project /);
      const linked = (JSON.parse(String(item.natural)) as string[])[0];
      const expected = byCode.get(item.pageId);
      if (expected !== undefined) {
        expect(linked).toBe(expected);
        agreed += 1;
      }
    }
    expect(agreed).toBeGreaterThan(0);
  });
});
