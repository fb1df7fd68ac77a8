import type { PlannedChange, Plan } from "../fill/plan-types.ts";
import type { Mirror } from "../mirror/open-mirror.ts";
import { reviewProposals } from "../mirror/schema.ts";
import { recordPlanInputs } from "./mirror-binding.ts";
import type { RunKind } from "../runs/run-store.ts";
import { insertPlannedRun, listRuns } from "../runs/run-store.ts";
import { setRunStatus } from "../runs/run-status.ts";
import type { NewProposal } from "./proposals.ts";
import type { CarriedFrom } from "./carry-decisions.ts";
import { carryDecisions } from "./carry-decisions.ts";

/**
 * Records a planned run in one transaction: its planned changes, its proposals for review (each
 * with the rule's extra columns), the mirror state of every data source its rules read, and the
 * decisions carried over from earlier plans to proposals that did not change. Every older planned
 * fill run is superseded (no longer pushable). Returns the decisions carried (per run they came
 * from), how many proposals are left undecided, and the runs superseded.
 */
export function recordPlan(
  mirror: Mirror,
  run: { id: string; kind: RunKind; createdAt: string; plan: unknown },
  plan: Plan,
): { carried: CarriedFrom[]; undecided: number; superseded: string[] } {
  return mirror.sqlite.transaction(() => {
    const superseded = listRuns(mirror.sqlite)
      .filter((row) => row.kind === "fill" && row.status === "planned")
      .filter((row) =>
        setRunStatus(mirror.sqlite, row.id, "superseded", { onlyFrom: ["planned"] }),
      );
    insertPlannedRun(mirror.sqlite, run, plan.changes);
    recordPlanInputs(mirror, run.id, plan.rules);
    for (const item of plan.review) {
      mirror.db.insert(reviewProposals).values(proposalRow(run.id, item)).run();
    }
    const carried = carryDecisions(mirror, run.id);
    const decided = carried.reduce((sum, from) => sum + from.decisions, 0);
    return {
      carried,
      undecided: plan.review.length - decided,
      superseded: superseded.map((row) => row.id),
    };
  })();
}

function proposalRow(runId: string, item: PlannedChange): NewProposal {
  return {
    runId,
    pageId: item.pageId,
    dataSourceId: item.dataSourceId,
    propertyId: item.propertyId,
    propertyName: item.propertyName,
    propertyType: item.propertyType,
    rule: item.rule,
    confidence: item.confidence,
    beforeJson: JSON.stringify(item.before ?? null),
    payloadJson: JSON.stringify(item.payload),
    naturalJson: JSON.stringify(item.natural ?? null),
    extraJson: item.extra ? JSON.stringify(item.extra) : null,
    note: item.note ?? null,
    status: "for_review",
  };
}
