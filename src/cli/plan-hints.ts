import type { PlanResult } from "../fill/plan-run.ts";
import { counted } from "../util/plural.ts";

/**
 * What `plan` tells a person after the plan (stderr): the older planned runs it superseded, the
 * decisions carried over from them and how many proposals are left, and the next step, which
 * counts the proposals still waiting for a decision.
 *
 * @example "Superseded run 20250601-101500-ab12 (planned earlier: it can no longer be pushed)."
 */
export function planHints(result: PlanResult): string {
  const { runId, plan } = result;
  if (!runId) return "";
  const lines: string[] = [];
  const superseded = result.superseded ?? [];
  if (superseded.length > 0)
    lines.push(
      `Superseded ${superseded.length === 1 ? "run" : "runs"} ${superseded.join(", ")} (planned earlier: ${superseded.length === 1 ? "it" : "they"} can no longer be pushed).`,
    );
  const carried = result.carriedDecisions ?? [];
  const undecided = result.undecided ?? plan.review.length;
  if (carried.length > 0)
    lines.push(
      `${carried
        .map(
          (from, index) =>
            `${index === 0 ? counted(from.decisions, "decision") : from.decisions} carried from ${from.runId}`,
        )
        .join(", ")} to unchanged proposals; ${undecided} undecided.`,
    );
  lines.push(
    undecided > 0
      ? `${counted(undecided, "proposal")} ${undecided === 1 ? "waits" : "wait"} for review: notion-mirror review ${runId}, then notion-mirror push ${runId}`
      : `Next: notion-mirror push ${runId}`,
  );
  return `${lines.join("\n")}\n`;
}
