import type { Mirror } from "../mirror/open-mirror.ts";
import { proposalsOf } from "./proposals.ts";

/** Per rule, how its proposals were decided, and by whom. */
export interface RuleDecisions {
  rule: string;
  accepted: number;
  rejected: number;
  forReview: number;
  /** "ana (import, 2026-12-02T06:40:00.000Z)", one per distinct decider and way. */
  deciders: string[];
}

/** The decisions on a run's proposals, per rule in plan order; empty for a run without proposals. */
export function decisionSummary(mirror: Mirror, runId: string): RuleDecisions[] {
  const byRule = new Map<string, RuleDecisions & { seen: Map<string, string> }>();
  for (const row of proposalsOf(mirror, runId)) {
    const entry = byRule.get(row.rule) ?? {
      rule: row.rule,
      accepted: 0,
      rejected: 0,
      forReview: 0,
      deciders: [],
      seen: new Map<string, string>(),
    };
    if (row.status === "accepted") entry.accepted += 1;
    else if (row.status === "rejected") entry.rejected += 1;
    else entry.forReview += 1;
    if (row.status !== "for_review") {
      const key = `${row.decidedBy ?? "?"} (${row.decidedVia ?? "?"}`;
      const latest = entry.seen.get(key);
      if (!latest || (row.decidedAt ?? "") > latest) entry.seen.set(key, row.decidedAt ?? "");
    }
    byRule.set(row.rule, entry);
  }
  return [...byRule.values()].map(({ seen, ...entry }) => ({
    ...entry,
    deciders: [...seen].map(([key, at]) => `${key}, ${at})`),
  }));
}
