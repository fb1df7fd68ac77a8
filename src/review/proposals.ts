import { userInfo } from "node:os";
import { eq } from "drizzle-orm";
import type { Mirror } from "../mirror/open-mirror.ts";
import { reviewProposals } from "../mirror/schema.ts";
import { addPlannedChange, removePlannedChange } from "../runs/change-store.ts";

/** A stored proposal, as the `review_proposals` table holds it. */
export type ProposalRow = typeof reviewProposals.$inferSelect;
export type NewProposal = typeof reviewProposals.$inferInsert;
export type ProposalStatus = ProposalRow["status"];
export type DecidedVia = NonNullable<ProposalRow["decidedVia"]>;
export type Decision = "accept" | "reject";

/** Who decided and when: the OS user and the time of the command. */
export interface Decider {
  by: string;
  at: string;
}

/** The OS user running this command, for the record of a decision. Never throws. */
export function currentDecider(now: Date = new Date()): Decider {
  let by: string;
  try {
    by = userInfo().username;
  } catch {
    by = process.env.USER ?? process.env.USERNAME ?? "unknown";
  }
  return { by, at: now.toISOString() };
}

/** The proposals of a run, in the order the plan listed them. */
export function proposalsOf(mirror: Mirror, runId: string): ProposalRow[] {
  return mirror.db
    .select()
    .from(reviewProposals)
    .where(eq(reviewProposals.runId, runId))
    .orderBy(reviewProposals.id)
    .all();
}

/**
 * Sets one proposal's decision, inside the caller's transaction. Accepting makes it a planned
 * change of its run (so push sends it); rejecting removes that change again. A decision carried
 * from an earlier plan names the run it was made in (`carriedFrom`). Returns whether the decision
 * changed anything.
 */
export function applyDecision(
  mirror: Mirror,
  proposal: ProposalRow,
  decision: Decision,
  via: DecidedVia,
  decider: Decider,
  carriedFrom: string | null = null,
): boolean {
  const status: ProposalStatus = decision === "accept" ? "accepted" : "rejected";
  if (proposal.status === status) return false;
  let changeId: number | null = null;
  if (decision === "accept") {
    changeId = addPlannedChange(mirror.sqlite, {
      runId: proposal.runId,
      pageId: proposal.pageId,
      dataSourceId: proposal.dataSourceId,
      propertyId: proposal.propertyId,
      propertyName: proposal.propertyName,
      propertyType: proposal.propertyType,
      rule: proposal.rule,
      confidence: proposal.confidence,
      beforeJson: proposal.beforeJson,
      payloadJson: proposal.payloadJson,
      naturalJson: proposal.naturalJson,
    });
  } else if (proposal.changeId !== null) {
    removePlannedChange(mirror.sqlite, proposal.changeId);
  }
  mirror.db
    .update(reviewProposals)
    .set({
      status,
      changeId,
      decidedBy: decider.by,
      decidedAt: decider.at,
      decidedVia: via,
      carriedFromRun: carriedFrom,
    })
    .where(eq(reviewProposals.id, proposal.id))
    .run();
  return true;
}

/**
 * Sets one proposal back to undecided, inside the caller's transaction: an accepted one's planned
 * change is removed (push no longer sends it) and who decided is cleared. Returns whether it was
 * decided.
 */
export function undecideProposal(mirror: Mirror, proposal: ProposalRow): boolean {
  if (proposal.status === "for_review") return false;
  if (proposal.changeId !== null) removePlannedChange(mirror.sqlite, proposal.changeId);
  mirror.db
    .update(reviewProposals)
    .set({
      status: "for_review",
      changeId: null,
      decidedBy: null,
      decidedAt: null,
      decidedVia: null,
    })
    .where(eq(reviewProposals.id, proposal.id))
    .run();
  return true;
}
