import { eq } from "drizzle-orm";
import { NotionMirrorError } from "../errors.ts";
import type { Mirror } from "../mirror/open-mirror.ts";
import { reviewProposals } from "../mirror/schema.ts";
import { hasPendingChanges } from "../runs/change-store.ts";
import type { RunRow } from "../runs/run-store.ts";

/** The refusal to push a run a newer plan replaced. */
export function supersededError(run: RunRow): NotionMirrorError {
  return new NotionMirrorError(
    "usage",
    `Run ${run.id} was superseded by a newer plan: it can no longer be pushed (the newer plan is computed from a later mirror, and carries over the decisions on proposals that did not change).`,
    "Try: notion-mirror runs, and push the latest planned run (or plan again).",
  );
}

/**
 * Refuses to push a planned run that has nothing to send because none of its proposals was
 * accepted: push sends planned changes and accepted proposals, never undecided or rejected ones.
 * Returns quietly when there is something to send, or when the run has no proposals.
 */
export function checkSomethingToPush(mirror: Mirror, run: RunRow): void {
  if (run.status !== "planned") return;
  if (hasPendingChanges(mirror.sqlite, run.id)) return;
  const proposals = mirror.db
    .select({ status: reviewProposals.status })
    .from(reviewProposals)
    .where(eq(reviewProposals.runId, run.id))
    .all();
  if (proposals.length === 0) return;
  const undecided = proposals.filter((row) => row.status === "for_review").length;
  throw new NotionMirrorError(
    "usage",
    `Run ${run.id} has nothing to push: it plans no change, and none of its ${proposals.length} proposals is accepted (${undecided} undecided, ${proposals.length - undecided} rejected).`,
    `Try: notion-mirror review ${run.id}, to accept proposals first.`,
  );
}
