import { createInterface } from "node:readline/promises";
import { paint } from "../report/paint.ts";
import type { Mirror } from "../mirror/open-mirror.ts";
import type { ReviewItem } from "../report/review-list.ts";
import { renderReviewList } from "../report/review-list.ts";
import { reviewNames } from "../review/review-names.ts";
import type { Decider, ProposalRow } from "../review/proposals.ts";
import type { RunReview } from "../review/review-run.ts";
import type { StepAnswer } from "../review/step-through.ts";
import { stepThrough } from "../review/step-through.ts";

const KEYS: Record<string, StepAnswer> = {
  a: "accept",
  r: "reject",
  s: "skip",
  A: "accept-rule",
  R: "reject-rule",
  q: "quit",
};

/** The question under each proposal, keys in bold on a terminal. */
function promptText(): string {
  const pc = paint(process.stderr);
  return `${pc.bold("[a]")}ccept  ${pc.bold("[r]")}eject  ${pc.bold("[s]")}kip  ${pc.bold("[A]")}ccept or ${pc.bold("[R]")}eject the rest of this rule  ${pc.bold("[q]")}uit: `;
}

/**
 * The terminal review: each undecided proposal with a progress line and its diff, answered by a
 * key and Enter; on stderr, reading stdin. Decisions are recorded as they are made.
 */
export async function reviewOnTerminal(
  mirror: Mirror,
  review: RunReview,
  toItem: (row: ProposalRow) => ReviewItem,
  decider: Decider,
): ReturnType<typeof stepThrough> {
  const { pages, values } = reviewNames(mirror, review.proposals);
  const prompt = createInterface({ input: process.stdin, output: process.stderr });
  try {
    return await stepThrough(
      mirror,
      review,
      async (proposal, at) => {
        process.stderr.write(
          `\n${paint(process.stderr).cyan(`[${at.index + 1}/${at.total}]`)} ${at.accepted} accepted, ${at.rejected} rejected, ${at.skipped} skipped, ${at.total - at.index} left\n`,
        );
        process.stderr.write(renderReviewList([toItem(proposal)], review.rules, pages, values));
        for (;;) {
          const key = (await prompt.question(promptText())).trim();
          const answer = KEYS[key];
          if (answer) return answer;
          process.stderr.write("Answer a, r, s, A, R or q.\n");
        }
      },
      decider,
    );
  } finally {
    prompt.close();
  }
}
