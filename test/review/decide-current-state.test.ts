import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { decideBySelectors } from "../../src/review/decide-flags.ts";
import { currentDecider, proposalsOf } from "../../src/review/proposals.ts";
import { importDecisions } from "../../src/review/review-file.ts";
import { runReview } from "../../src/review/review-run.ts";
import { setRunStatus } from "../../src/runs/run-status.ts";
import type { ReviewWorld } from "./review-world.ts";
import { reviewWorld } from "./review-world.ts";

let world: ReviewWorld;
beforeEach(async () => {
  world = await reviewWorld();
});
afterEach(async () => {
  await world?.stop();
});

const planned = async (): Promise<string> => (await world.plan()).runId;

const decidedCount = (runId: string) =>
  world.withMirror(
    (mirror) => proposalsOf(mirror, runId).filter((row) => row.status !== "for_review").length,
  );

describe("decisions are checked against the mirror as it is when they are recorded", () => {
  it("refuses an import and flags once a push started after the proposals were read, recording nothing", async () => {
    const runId = await planned();
    const file = join(world.project.dir, "decided.json");
    world.withMirror((mirror) => {
      const review = runReview(mirror, runId);
      writeFileSync(
        file,
        JSON.stringify({
          proposals: review.proposals.map((row) => ({ proposal: row.id, decision: "accept" })),
        }),
      );
      // A push starts between the read and the decisions.
      expect(setRunStatus(mirror.sqlite, runId, "applying", { onlyFrom: ["planned"] })).toBe(true);
      expect(() => importDecisions(mirror, review, file, currentDecider())).toThrow(
        `Run ${runId} is applying: decisions are made while a run is planned, before push.`,
      );
      expect(() =>
        decideBySelectors(
          mirror,
          review,
          { accept: ["phase-project-by-code"], reject: [] },
          currentDecider(),
        ),
      ).toThrow(`Run ${runId} is applying`);
    });
    expect(decidedCount(runId)).toBe(0);
  });

  it("sees a decision recorded since the proposals were read: importing it again leaves it unchanged", async () => {
    const runId = await planned();
    const file = join(world.project.dir, "decided.json");
    world.withMirror((mirror) => {
      const review = runReview(mirror, runId);
      const first = review.proposals[0];
      if (!first) throw new Error("the demo plan has proposals");
      writeFileSync(
        file,
        JSON.stringify({ proposals: [{ proposal: first.id, decision: "accept" }] }),
      );
      // Another reviewer accepts it first.
      expect(
        decideBySelectors(
          mirror,
          review,
          { accept: [String(first.id)], reject: [] },
          currentDecider(),
        ).accepted,
      ).toBe(1);
      const done = importDecisions(mirror, review, file, currentDecider());
      expect(done).toMatchObject({ accepted: 0, unchanged: 1 });
      const changes = mirror.sqlite
        .prepare("SELECT count(*) FROM changes WHERE run_id = ?")
        .pluck()
        .get(runId) as number;
      // The five planned fills and the one accepted proposal, not a second copy of it.
      expect(changes).toBe(6);
    });
  });
});
