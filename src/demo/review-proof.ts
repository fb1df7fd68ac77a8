import type { SeedFile } from "../emulator/index.ts";
import { DEMO_FACTS } from "../emulator/index.ts";
import type { Mirror } from "../mirror/open-mirror.ts";
import type { PropertyValue } from "../notion/codec/index.ts";
import { isEmptyValue } from "../notion/codec/index.ts";
import type { RunReport } from "../report/run-report.ts";
import { proposalsOf } from "../review/proposals.ts";
import type { DemoProof } from "./demo-proofs.ts";
import { DEMO_DECIDED_RULE, DEMO_REJECTED } from "./demo-decisions.ts";

/**
 * The review's claim: the exported proposals were decided in the file (the decided rule's links
 * accepted but {@link DEMO_REJECTED}, the rest undecided), the accepted ones were pushed with
 * the status fills, and no rejected or undecided one reached Notion (its field still empty
 * after the push).
 */
export function reviewDecisionsProof(
  mirror: Mirror,
  runId: string,
  written: RunReport["changes"],
  afterPush: SeedFile | undefined,
): DemoProof {
  const proposals = proposalsOf(mirror, runId);
  const accepted = proposals.filter((row) => row.status === "accepted");
  const rejected = proposals.filter((row) => row.status === "rejected").length;
  const undecided = proposals.filter((row) => row.status === "for_review").length;
  const pushedLinks = written.filter((change) => change.rule === DEMO_DECIDED_RULE).length;
  const pages = new Map((afterPush?.pages ?? []).map((page) => [String(page.id), page]));
  const notSent = proposals.filter((row) => row.status !== "accepted");
  const sentAnyway = notSent.filter((row) => {
    const page = pages.get(row.pageId) as
      { properties?: Record<string, PropertyValue> } | undefined;
    const value = Object.values(page?.properties ?? {}).find((item) => item.id === row.propertyId);
    return !value || !isEmptyValue(value);
  }).length;
  const expectedAccepted = DEMO_FACTS.emptyPhaseProjectId - DEMO_REJECTED;
  return {
    id: "decisions",
    ok:
      proposals.length === DEMO_FACTS.emptyProjectID + DEMO_FACTS.emptyPhaseProjectId &&
      accepted.length === expectedAccepted &&
      rejected === DEMO_REJECTED &&
      undecided === DEMO_FACTS.emptyProjectID &&
      pushedLinks === expectedAccepted &&
      sentAnyway === 0,
    text: `${proposals.length} proposals exported and decided in the file: ${accepted.length} accepted and pushed with the status fills, ${rejected} rejected and ${undecided} undecided, none of them sent`,
    figures: {
      proposals: proposals.length,
      accepted: accepted.length,
      rejected,
      undecided,
      pushed: pushedLinks,
      sentAnyway,
    },
  };
}
