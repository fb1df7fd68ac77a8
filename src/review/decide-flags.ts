import { NotionMirrorError } from "../errors.ts";
import type { Mirror } from "../mirror/open-mirror.ts";
import { normalizeNotionId } from "../notion/codec/index.ts";
import type { Decider, Decision, ProposalRow } from "./proposals.ts";
import { applyDecision, undecideProposal } from "./proposals.ts";
import type { RunReview } from "./review-run.ts";
import { currentDecidableReview, requireDecidable } from "./review-run.ts";

/** What a set of decisions did: how many changed, how many already held that decision. */
export interface DecisionResult {
  accepted: number;
  rejected: number;
  unchanged: number;
  /** Proposals set back to undecided (`--undecide`). */
  undecided?: number;
}

/** What each flag asks: accept, reject, or set back to undecided. */
type FlagDecision = Decision | "undecide";

/**
 * The proposals one selector names: a rule's name (all its proposals), a page id (that page's
 * proposals) or a proposal's number (`12` or `#12`). Throws a usage error for a selector that names
 * none, listing the rules.
 */
export function selectProposals(review: RunReview, selector: string): ProposalRow[] {
  const byRule = review.proposals.filter((row) => row.rule === selector);
  if (byRule.length > 0) return byRule;
  const pageId = normalizeNotionId(selector);
  if (pageId) {
    const byPage = review.proposals.filter((row) => row.pageId === pageId);
    if (byPage.length > 0) return byPage;
  }
  const number = /^#?(\d+)$/.exec(selector.trim())?.[1];
  const byNumber = review.proposals.filter((row) => String(row.id) === number);
  if (byNumber.length > 0) return byNumber;
  const rules = [...new Set(review.proposals.map((row) => row.rule))];
  throw new NotionMirrorError(
    "usage",
    `"${selector}" names no proposal of run ${review.run.id}: it is not one of its rules (${rules.join(", ") || "none"}), a page with a proposal, or a proposal number.`,
    `Try: notion-mirror review ${review.run.id}, to list the proposals. Nothing was decided.`,
  );
}

/**
 * `review --accept … --reject … --undecide …`: decides every proposal the selectors name (or sets
 * it back to undecided), in one transaction (the proposals read again inside it), recorded with
 * `decider`. A proposal named by two of the flags is a usage error, and nothing is decided.
 */
export function decideBySelectors(
  mirror: Mirror,
  review: RunReview,
  selectors: { accept: readonly string[]; reject: readonly string[]; undecide?: readonly string[] },
  decider: Decider,
): DecisionResult {
  requireDecidable(review);
  return mirror.sqlite
    .transaction(() =>
      decideNamed(mirror, currentDecidableReview(mirror, review), selectors, decider),
    )
    .immediate();
}

function decideNamed(
  mirror: Mirror,
  review: RunReview,
  selectors: { accept: readonly string[]; reject: readonly string[]; undecide?: readonly string[] },
  decider: Decider,
): DecisionResult {
  const wanted = new Map<number, { decision: FlagDecision; selector: string }>();
  for (const decision of ["accept", "reject", "undecide"] as const) {
    for (const selector of selectors[decision] ?? []) {
      for (const row of selectProposals(review, selector)) {
        const earlier = wanted.get(row.id);
        if (earlier && earlier.decision !== decision)
          throw new NotionMirrorError(
            "usage",
            `Proposal ${row.id} (${row.rule}, page ${row.pageId}) is named by --${earlier.decision} ${earlier.selector} and by --${decision} ${selector}.`,
            "Name each proposal on one side only (a page id or proposal number is narrower than a rule). Nothing was decided.",
          );
        wanted.set(row.id, { decision, selector });
      }
    }
  }
  const result: DecisionResult = { accepted: 0, rejected: 0, unchanged: 0, undecided: 0 };
  const byId = new Map(review.proposals.map((row) => [row.id, row]));
  for (const [id, { decision }] of wanted) {
    const row = byId.get(id);
    if (!row) continue;
    if (decision === "undecide") {
      if (undecideProposal(mirror, row)) result.undecided = (result.undecided ?? 0) + 1;
      else result.unchanged += 1;
    } else if (applyDecision(mirror, row, decision, "flag", decider)) {
      if (decision === "accept") result.accepted += 1;
      else result.rejected += 1;
    } else result.unchanged += 1;
  }
  return result;
}
