import { userInfo } from "node:os";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { ProposalRow } from "../../src/review/proposals.ts";
import type { ReviewWorld } from "./review-world.ts";
import { reviewWorld } from "./review-world.ts";

let world: ReviewWorld;
beforeEach(async () => {
  world = await reviewWorld();
});
afterEach(async () => {
  await world?.stop();
});

const planned = () => world.plan();

const proposals = (runId: string): ProposalRow[] => world.proposals(runId);

/** A person types another phase's project code into the first linked phase; the mirror pulls it. */
async function onePhaseMoves(runId: string): Promise<string> {
  const [changed, other] = proposals(runId).filter((row) => row.rule === "phase-project-by-code");
  const code = (pageId: string | undefined) =>
    world.withMirror(
      (mirror) =>
        mirror.sqlite
          .prepare("SELECT project_code FROM wt_phase_database WHERE page_id = ?")
          .pluck()
          .get(pageId) as string,
    );
  expect(code(other?.pageId)).not.toBe(code(changed?.pageId));
  world.session.emulator.editAsPerson({
    pageId: changed?.pageId ?? "",
    properties: { projectCode: { rich_text: [{ text: { content: code(other?.pageId) } }] } },
  });
  await world.project.pull();
  return changed?.pageId ?? "";
}

describe("re-planning", () => {
  it("says which runs it superseded, how many decisions it carried from which and how many wait, on stderr", async () => {
    const first = await planned();
    expect(first.ran.stderr).toContain(
      `49 proposals wait for review: notion-mirror review ${first.runId}, then notion-mirror push ${first.runId}`,
    );
    expect(first.ran.stderr).not.toContain("Superseded");
    expect(first.ran.stdout).not.toContain("wait for review");
    expect((await world.cli("review", first.runId, "--accept", "phase-project-by-code")).code).toBe(
      0,
    );
    await onePhaseMoves(first.runId);

    const second = await planned();
    expect(second.ran.stderr).toContain(
      `Superseded run ${first.runId} (planned earlier: it can no longer be pushed).`,
    );
    expect(second.ran.stderr).toContain(
      `32 decisions carried from ${first.runId} to unchanged proposals; 17 undecided.`,
    );
    expect(second.ran.stderr).toContain(
      `17 proposals wait for review: notion-mirror review ${second.runId}, then notion-mirror push ${second.runId}`,
    );
    expect(second.ran.stdout).not.toContain("Superseded");

    const json = await world.cli("plan", "--json");
    const parsed = JSON.parse(json.stdout) as {
      runId: string;
      superseded: string[];
      carriedDecisions: Array<{ runId: string; decisions: number }>;
      undecided: number;
    };
    expect(parsed.superseded).toEqual([second.runId]);
    expect(parsed.carriedDecisions).toEqual([{ runId: second.runId, decisions: 32 }]);
    expect(parsed.undecided).toBe(17);
  });

  it("keeps a carried decision's decider and time, and names the run it was made in", async () => {
    const first = await planned();
    expect((await world.cli("review", first.runId, "--accept", "phase-project-by-code")).code).toBe(
      0,
    );
    const decided = new Map(
      proposals(first.runId)
        .filter((row) => row.status === "accepted")
        .map((row) => [row.pageId, row]),
    );
    expect(decided.size).toBe(33);
    const moved = await onePhaseMoves(first.runId);
    const second = await planned();
    const third = await planned();
    for (const runId of [second.runId, third.runId]) {
      const carried = proposals(runId).filter((row) => row.status === "accepted");
      expect(carried).toHaveLength(32);
      for (const row of carried) {
        const original = decided.get(row.pageId);
        expect(row.decidedVia).toBe("carried");
        expect(row.decidedBy).toBe(userInfo().username);
        expect(row.decidedAt).toBe(original?.decidedAt);
        expect(row.carriedFromRun).toBe(first.runId);
      }
      expect(proposals(runId).find((row) => row.pageId === moved)?.status).toBe("for_review");
    }
    const listed = await world.cli("review", third.runId, "--list");
    expect(listed.code, listed.stderr).toBe(0);
    expect(listed.stdout).toContain(`, carried from run ${first.runId}`);
  });
});

describe("a decision set back to undecided", () => {
  it("is not brought back from an older run by the next plan", async () => {
    const first = await planned();
    expect((await world.cli("review", first.runId, "--accept", "phase-project-by-code")).code).toBe(
      0,
    );
    const second = await planned();
    const carried = proposals(second.runId).filter((row) => row.status === "accepted");
    expect(carried).toHaveLength(33);
    const undone = carried[0];
    const undecided = await world.cli("review", second.runId, "--undecide", String(undone?.id));
    expect(undecided.code, undecided.stderr).toBe(0);
    expect(proposals(second.runId).find((row) => row.id === undone?.id)?.status).toBe("for_review");

    const third = await planned();
    const again = proposals(third.runId).find((row) => row.pageId === undone?.pageId);
    expect(again?.status).toBe("for_review");
    expect(proposals(third.runId).filter((row) => row.status === "accepted")).toHaveLength(32);
  });
});
