import type { PartlyReverted } from "../runs/partly-reverted.ts";
import { partlyReverted } from "../runs/partly-reverted.ts";
import { changeCountsByStatus } from "../runs/change-store.ts";
import type { Mirror } from "../mirror/open-mirror.ts";
import { runChanges } from "../runs/change-store.ts";
import type { RunSummary } from "../apply/run-summary.ts";
import type { Plan } from "../fill/plan-types.ts";
import { checkRunId } from "../runs/run-id.ts";
import type { RunRow } from "../runs/run-store.ts";
import { requireRun } from "../runs/run-store.ts";
import type { RuleDecisions } from "../review/decision-summary.ts";
import { decisionSummary } from "../review/decision-summary.ts";
import { pageNames } from "./page-names.ts";
import type { RunEvent } from "../runs/run-events.ts";
import { runEventsOf } from "../runs/run-events.ts";

/** Everything `runs show` reports about a run, from the mirror. */
export interface RunReport {
  id: string;
  kind: RunRow["kind"];
  status: RunRow["status"];
  /** Some of what the run wrote was put back by a revert, the rest not (null otherwise). */
  partlyReverted: PartlyReverted | null;
  createdAt: string;
  appliedAt: string | null;
  revertsRunId: string | null;
  minConfidence: string | null;
  rules: Plan["rules"];
  review: { rule: string; count: number }[];
  /** How the run's proposals for review were decided, per rule (empty without proposals). */
  decisions: RuleDecisions[];
  summary: (RunSummary & { tracker?: unknown }) | null;
  /** What the changes do not say: each push that went ahead though its inputs had moved. */
  events: RunEvent[];
  changes: Array<{
    pageId: string;
    dataSourceId: string;
    /** The page's database (alias) and title, for people. */
    database: string;
    pageTitle: string;
    property: string;
    rule: string;
    confidence: string;
    status: string;
    before: unknown;
    after: unknown;
    error: string | null;
  }>;
}

/**
 * A run's plan as `plan_json` holds it: everything but the changes and the proposals (they have
 * their own rows). A run planned before proposals had their table still holds its `review` list.
 */
type StoredPlan = Partial<Omit<Plan, "changes" | "review">> & {
  review?: ReadonlyArray<{ rule: string }>;
};

/**
 * Proposals per rule, from the run's stored proposals (the one record of them); for a run planned
 * before proposals were stored apart, from the list its plan_json kept.
 */
function reviewCounts(decisions: readonly RuleDecisions[], plan: StoredPlan): RunReport["review"] {
  if (decisions.length > 0)
    return decisions.map((rule) => ({
      rule: rule.rule,
      count: rule.accepted + rule.rejected + rule.forReview,
    }));
  const counts = new Map<string, number>();
  for (const item of plan.review ?? []) counts.set(item.rule, (counts.get(item.rule) ?? 0) + 1);
  return [...counts].map(([rule, count]) => ({ rule, count }));
}

export function runReport(mirror: Mirror, runId: string): RunReport {
  const run = requireRun(mirror.sqlite, checkRunId(runId));
  const plan = JSON.parse(run.planJson) as StoredPlan;
  const names = pageNames(mirror.sqlite, new Map());
  const decisions = decisionSummary(mirror, run.id);
  const rows = runChanges(mirror.sqlite, run.id);
  names.learn(rows.map((row) => row.pageId));
  return {
    id: run.id,
    kind: run.kind,
    status: run.status,
    partlyReverted: partlyReverted(run.status, changeCountsByStatus(mirror.sqlite, run.id)),
    createdAt: run.createdAt,
    appliedAt: run.appliedAt,
    revertsRunId: run.revertsRunId,
    minConfidence: plan.minConfidence ?? null,
    rules: plan.rules ?? [],
    review: reviewCounts(decisions, plan),
    decisions,
    summary: run.summaryJson ? (JSON.parse(run.summaryJson) as RunReport["summary"]) : null,
    events: runEventsOf(mirror, run.id),
    changes: rows.map((row) => {
      const name = names.of(row.pageId, row.dataSourceId);
      return {
        pageId: row.pageId,
        dataSourceId: row.dataSourceId,
        database: name.database,
        pageTitle: name.title,
        property: row.propertyName,
        rule: row.rule,
        confidence: row.confidence,
        status: row.status,
        before: row.beforeJson ? (JSON.parse(row.beforeJson) as unknown) : null,
        after: row.afterJson ? (JSON.parse(row.afterJson) as unknown) : null,
        error: row.error,
      };
    }),
  };
}
