import { createInterface } from "node:readline";
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

/** Ctrl-D (end of input) and, in raw mode where it sends no signal, Ctrl-C. */
const END_OF_INPUT = "\u0004";
const INTERRUPT = "\u0003";

/** The question under each proposal, keys in bold on a terminal. */
function promptText(): string {
  const pc = paint(process.stderr);
  return `${pc.bold("[a]")}ccept  ${pc.bold("[r]")}eject  ${pc.bold("[s]")}kip  ${pc.bold("[A]")}ccept or ${pc.bold("[R]")}eject the rest of this rule  ${pc.bold("[q]")}uit: `;
}

/** One answer typed: a key (trimmed), or how the input ended. */
type Typed = { key: string } | { ended: "eof" | "interrupt" };

/**
 * Reads answers from stdin: on a terminal in raw mode, each keypress is an answer at once (Enter
 * alone is ignored, so "a" then Enter still reads as "a"); otherwise a line at a time. Ctrl-D or
 * the end of input ends it, as Ctrl-C does in raw mode.
 */
function answerReader(): { next(): Promise<Typed>; raw: boolean; close(): void } {
  const input = process.stdin;
  const raw = Boolean(input.isTTY && typeof input.setRawMode === "function");
  const waiting: Array<(typed: Typed) => void> = [];
  const ready: Typed[] = [];
  const deliver = (typed: Typed) => {
    const take = waiting.shift();
    if (take) take(typed);
    else ready.push(typed);
  };
  let close: () => void;
  if (raw) {
    input.setRawMode(true);
    input.setEncoding("utf8");
    const onData = (chunk: string) => {
      if (chunk.includes(END_OF_INPUT)) return deliver({ ended: "eof" });
      if (chunk.includes(INTERRUPT)) return deliver({ ended: "interrupt" });
      const key = chunk.trim();
      if (key === "") return;
      process.stderr.write(`${key}\n`);
      deliver({ key });
    };
    const onEnd = () => deliver({ ended: "eof" });
    input.on("data", onData);
    input.on("end", onEnd);
    input.resume();
    close = () => {
      input.off("data", onData);
      input.off("end", onEnd);
      input.setRawMode(false);
      input.pause();
    };
  } else {
    const lines = createInterface({ input, terminal: false });
    lines.on("line", (line) => deliver({ key: line.trim() }));
    lines.on("close", () => deliver({ ended: "eof" }));
    close = () => lines.close();
  }
  return {
    raw,
    next: () =>
      new Promise<Typed>((resolve) => {
        const typed = ready.shift();
        if (typed && "ended" in typed) ready.unshift(typed);
        if (typed) resolve(typed);
        else waiting.push(resolve);
      }),
    close: () => close(),
  };
}

/**
 * The terminal review: each undecided proposal with a progress line ("proposal 3 of 16") and its
 * diff, answered by a keypress (raw mode on a terminal; a line otherwise); on stderr, reading
 * stdin. Decisions are recorded as they are made; Ctrl-D (or the end of input) quits, keeping them.
 */
export async function reviewOnTerminal(
  mirror: Mirror,
  review: RunReview,
  toItem: (row: ProposalRow) => ReviewItem,
  decider: Decider,
): Promise<Awaited<ReturnType<typeof stepThrough>> & { ended?: "eof" | "interrupt" }> {
  const { pages, values } = reviewNames(mirror, review.proposals);
  const reader = answerReader();
  let ended: "eof" | "interrupt" | undefined;
  try {
    const done = await stepThrough(
      mirror,
      review,
      async (proposal, at) => {
        process.stderr.write(
          `\n${paint(process.stderr).cyan(`proposal ${at.index + 1} of ${at.total}`)}: ${at.accepted} accepted, ${at.rejected} rejected, ${at.skipped} skipped, ${at.total - at.index} left\n`,
        );
        process.stderr.write(renderReviewList([toItem(proposal)], review.rules, pages, values));
        for (;;) {
          process.stderr.write(promptText());
          const typed = await reader.next();
          if ("ended" in typed) {
            ended = typed.ended;
            return "quit";
          }
          const answer = KEYS[typed.key];
          if (answer) return answer;
          process.stderr.write("Answer a, r, s, A, R or q.\n");
        }
      },
      decider,
    );
    return ended ? { ...done, ended } : done;
  } finally {
    reader.close();
  }
}
