import { ne } from "drizzle-orm";
import type { Mirror } from "../mirror/open-mirror.ts";
import { reviewProposals } from "../mirror/schema.ts";
import type { ProposalRow } from "./proposals.ts";
import { applyDecision, proposalsOf } from "./proposals.ts";

/** What makes two proposals the same: page, property, rule, the value proposed and the one replaced. */
function sameness(row: ProposalRow): string {
  return JSON.stringify([row.pageId, row.propertyId, row.rule, row.payloadJson, row.beforeJson]);
}

/** Decisions carried to a new plan from one earlier run. */
export interface CarriedFrom {
  runId: string;
  decisions: number;
}

/**
 * Gives each proposal of run `runId` the decision the latest earlier run holds on the same
 * proposal (same page, property, rule, proposed value and current value), recorded as
 * carried: with the original decider and time, and the run it was first made in. A proposal that
 * changed in any of these is left for review. Call inside the transaction that records the run.
 * Returns how many decisions came from each earlier run (the run they were carried from).
 */
export function carryDecisions(mirror: Mirror, runId: string): CarriedFrom[] {
  // Every earlier proposal, undecided ones too, in the order they were recorded: the latest run
  // that holds a proposal has the last word, so a proposal set back to undecided there does not
  // take an older run's decision back.
  const earlierProposals = mirror.db
    .select()
    .from(reviewProposals)
    .where(ne(reviewProposals.runId, runId))
    .orderBy(reviewProposals.id)
    .all();
  if (earlierProposals.length === 0) return [];
  const latest = new Map<string, ProposalRow>();
  for (const row of earlierProposals) latest.set(sameness(row), row);
  const carried = new Map<string, number>();
  for (const proposal of proposalsOf(mirror, runId)) {
    const earlier = latest.get(sameness(proposal));
    if (!earlier || earlier.status === "for_review") continue;
    applyDecision(
      mirror,
      proposal,
      earlier.status === "accepted" ? "accept" : "reject",
      "carried",
      {
        by: earlier.decidedBy ?? "unknown",
        at: earlier.decidedAt ?? "",
      },
      earlier.carriedFromRun ?? earlier.runId,
    );
    carried.set(earlier.runId, (carried.get(earlier.runId) ?? 0) + 1);
  }
  return [...carried].map(([from, decisions]) => ({ runId: from, decisions }));
}
