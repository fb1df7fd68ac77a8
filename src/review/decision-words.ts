import { didYouMean, suggest } from "../util/suggest.ts";
import type { Decision } from "./proposals.ts";

/**
 * The words a decided file's `decision` cell may hold: `accept`, `reject`, or nothing
 * (undecided), case and surrounding spaces aside. Nothing else is taken: a "yes" or an
 * "accepted" could be meant either way by someone who did not read the column's rule, so it is an
 * error that suggests the word it is nearest to.
 */
const WORDS: ReadonlyArray<{ names: readonly string[]; label: Decision }> = [
  {
    names: ["accept", "accepted", "yes", "y", "ok", "approve", "approved", "true"],
    label: "accept",
  },
  { names: ["reject", "rejected", "no", "n", "deny", "denied", "false"], label: "reject" },
];

/** A decision cell read: the decision (null: undecided), or what is wrong with it. */
export function parseDecisionCell(
  raw: unknown,
): { decision: Decision | null } | { problem: string } {
  if (raw === null || raw === undefined) return { decision: null };
  const text = String(raw).trim();
  const lower = text.toLowerCase();
  if (lower === "") return { decision: null };
  if (lower === "accept" || lower === "reject") return { decision: lower };
  const hint = didYouMean(suggest(text, WORDS, { typosOnly: true }));
  return {
    problem: `decision ${JSON.stringify(raw)} is not accept, reject or empty (undecided)${hint ? `; ${hint}` : ""}`,
  };
}
