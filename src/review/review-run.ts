import { NotionMirrorError } from "../errors.ts";
import type { RuleOutcome } from "../fill/plan-types.ts";
import type { Mirror } from "../mirror/open-mirror.ts";
import { checkRunId } from "../runs/run-id.ts";
import type { RunRow } from "../runs/run-store.ts";
import { requireRun } from "../runs/run-store.ts";
import type { ProposalRow } from "./proposals.ts";
import { proposalsOf } from "./proposals.ts";

/** A run's proposals with what the listing says about their rules. */
export interface RunReview {
  run: RunRow;
  proposals: ProposalRow[];
  rules: RuleOutcome[];
  counts: { forReview: number; accepted: number; rejected: number };
}

/** The proposals of fill run `runId` (a usage error for an unknown run or a revert run). */
export function runReview(mirror: Mirror, runId: string): RunReview {
  const run = requireRun(mirror.sqlite, checkRunId(runId));
  if (run.kind !== "fill")
    throw new NotionMirrorError(
      "usage",
      `Run ${run.id} is a revert run; it has no proposals to review.`,
      "Try: notion-mirror runs, to find the fill run.",
    );
  const proposals = proposalsOf(mirror, run.id);
  const plan = JSON.parse(run.planJson) as { rules?: RuleOutcome[] };
  const count = (status: ProposalRow["status"]) =>
    proposals.filter((row) => row.status === status).length;
  return {
    run,
    proposals,
    rules: plan.rules ?? [],
    counts: {
      forReview: count("for_review"),
      accepted: count("accepted"),
      rejected: count("rejected"),
    },
  };
}

/**
 * Refuses decisions on a run that is no longer only planned: once push has started, what it
 * sends is fixed (a decision then would not be what was pushed).
 */
export function requireDecidable(review: Pick<RunReview, "run">): void {
  const { run } = review;
  if (run.status === "planned") return;
  throw new NotionMirrorError(
    "usage",
    `Run ${run.id} is ${run.status}: decisions are made while a run is planned, before push.`,
    run.status === "superseded"
      ? "Try: notion-mirror runs, and review the newer plan (decisions on unchanged proposals were carried over to it)."
      : "Try: notion-mirror plan, to plan the proposals left again.",
  );
}

/**
 * The run's proposals read afresh and checked decidable, inside the caller's (immediate)
 * transaction, so that decisions are checked and recorded against one state of the mirror: a push
 * or another review that started since `review` was read is seen, not overwritten.
 */
export function currentDecidableReview(mirror: Mirror, review: RunReview): RunReview {
  const current = runReview(mirror, review.run.id);
  requireDecidable(current);
  return current;
}

/** {@link requireDecidable} for the run as the mirror holds it now. */
export function requireDecidableRun(mirror: Mirror, runId: string): void {
  requireDecidable({ run: requireRun(mirror.sqlite, runId) });
}

/** "3 accepted, 1 rejected, 45 for review". */
export function countsLine(counts: RunReview["counts"]): string {
  return `${counts.accepted} accepted, ${counts.rejected} rejected, ${counts.forReview} for review`;
}
