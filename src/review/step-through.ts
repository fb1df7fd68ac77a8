import type { Mirror } from "../mirror/open-mirror.ts";
import { listingOrder } from "../report/review-list.ts";
import type { DecisionResult } from "./decide-flags.ts";
import type { Decider, ProposalRow } from "./proposals.ts";
import { applyDecision } from "./proposals.ts";
import type { RunReview } from "./review-run.ts";
import { requireDecidable, requireDecidableRun } from "./review-run.ts";

/** A person's answer to one proposal. */
export type StepAnswer = "accept" | "reject" | "skip" | "accept-rule" | "reject-rule" | "quit";

/** Where the person is: this proposal's place among the undecided ones, and the tally so far. */
export interface StepPosition {
  index: number;
  total: number;
  accepted: number;
  rejected: number;
  skipped: number;
}

/**
 * Steps through the run's undecided proposals in order, asking `ask` about each. Every decision
 * is recorded at once (in its own transaction), so quitting keeps those made; "accept-rule" and
 * "reject-rule" decide this proposal and every undecided one of its rule still ahead. Returns the
 * tally.
 */
export async function stepThrough(
  mirror: Mirror,
  review: RunReview,
  ask: (proposal: ProposalRow, position: StepPosition) => Promise<StepAnswer>,
  decider: Decider,
): Promise<DecisionResult & { skipped: number; quit: boolean }> {
  requireDecidable(review);
  // In the listing's order, so that "proposal 3 of 16" is the third undecided one `--list` shows.
  const queue = listingOrder(review.proposals).filter((row) => row.status === "for_review");
  const done = new Set<number>();
  const tally = { accepted: 0, rejected: 0, unchanged: 0, skipped: 0, quit: false };
  const decide = (rows: readonly ProposalRow[], decision: "accept" | "reject") =>
    mirror.sqlite
      .transaction(() => {
        // A person takes their time: a push may have started since the proposals were read.
        requireDecidableRun(mirror, review.run.id);
        for (const row of rows) {
          applyDecision(mirror, row, decision, "terminal", decider);
          done.add(row.id);
          if (decision === "accept") tally.accepted += 1;
          else tally.rejected += 1;
        }
      })
      .immediate();
  for (const [index, proposal] of queue.entries()) {
    if (done.has(proposal.id)) continue;
    const answer = await ask(proposal, { index, total: queue.length, ...tally });
    if (answer === "quit") {
      tally.quit = true;
      break;
    }
    if (answer === "skip") tally.skipped += 1;
    else if (answer === "accept" || answer === "reject") decide([proposal], answer);
    else {
      const rest = queue
        .slice(index)
        .filter((row) => row.rule === proposal.rule && !done.has(row.id));
      decide(rest, answer === "accept-rule" ? "accept" : "reject");
    }
  }
  return tally;
}
