import { and, ne } from "drizzle-orm";
import type { Mirror } from "../mirror/open-mirror.ts";
import { reviewProposals } from "../mirror/schema.ts";
import type { ProposalRow } from "./proposals.ts";
import { applyDecision, proposalsOf } from "./proposals.ts";

/** What makes two proposals the same: page, property, rule, the value proposed and the one replaced. */
function sameness(row: ProposalRow): string {
  return JSON.stringify([row.pageId, row.propertyId, row.rule, row.payloadJson, row.beforeJson]);
}

/**
 * Gives each proposal of run `runId` the latest decision a person made on the same proposal in
 * an earlier run (same page, property, rule, proposed value and current value), recorded as
 * carried, with the original decider. A proposal that changed in any of these is left for review.
 * Call inside the transaction that records the run. Returns how many decisions were carried.
 */
export function carryDecisions(mirror: Mirror, runId: string, at: string): number {
  const decided = mirror.db
    .select()
    .from(reviewProposals)
    .where(and(ne(reviewProposals.runId, runId), ne(reviewProposals.status, "for_review")))
    .orderBy(reviewProposals.decidedAt, reviewProposals.id)
    .all();
  if (decided.length === 0) return 0;
  const latest = new Map<string, ProposalRow>();
  for (const row of decided) latest.set(sameness(row), row);
  let carried = 0;
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
        at,
      },
    );
    carried += 1;
  }
  return carried;
}
