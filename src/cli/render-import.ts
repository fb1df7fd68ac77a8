import type { Mirror } from "../mirror/open-mirror.ts";
import { pageNameText } from "../report/page-names.ts";
import type { ImportResult } from "../review/import-decisions.ts";
import { reviewNames } from "../review/review-names.ts";
import { counted } from "../util/plural.ts";

/** At most this many flips and unmatched rows are listed one by one. */
const LISTED = 20;

/**
 * What `review --import` did, for stderr: the counts, each decision turned around (accepted →
 * rejected or back) by page, and each decided row of an earlier plan that matched nothing here.
 */
export function renderImport(mirror: Mirror, path: string, done: ImportResult, by: string): string {
  const lines = [
    `Imported ${path}${done.separator === ";" ? " (read as semicolon-separated)" : ""}: ${done.accepted} accepted, ${done.rejected} rejected, ${done.undecided} left undecided, ${done.unchanged} unchanged, ${done.flips.length} changed from an earlier decision (by ${by}).`,
  ];
  if (done.matchedFromEarlierPlan > 0)
    lines.push(
      `${counted(done.matchedFromEarlierPlan, "row")} of an earlier plan matched this run's proposals by page, property, rule and proposed value.`,
    );
  if (done.notInFile > 0)
    lines.push(
      `${counted(done.notInFile, "proposal")} of the run not in the file: left as they were.`,
    );
  const { pages } = reviewNames(
    mirror,
    done.flips.map((flip) => flip.proposal),
  );
  if (done.flips.length > 0) {
    lines.push("Changed from an earlier decision:");
    for (const { proposal, from, to } of done.flips.slice(0, LISTED))
      lines.push(
        `  #${proposal.id} ${pageNameText(pages.of(proposal.pageId, proposal.dataSourceId))} ${proposal.propertyName} [${proposal.rule}]: ${from} → ${to}`,
      );
    if (done.flips.length > LISTED) lines.push(`  … and ${done.flips.length - LISTED} more`);
  }
  if (done.unmatched.length > 0) {
    lines.push(
      `Not applied: ${counted(done.unmatched.length, "decided row")} of an earlier plan that match${done.unmatched.length === 1 ? "es" : ""} no proposal of this run:`,
    );
    for (const row of done.unmatched.slice(0, LISTED))
      lines.push(
        `  ${row.where}: ${pageNameText(pages.of(row.pageId))} ${row.property} [${row.rule}], ${row.decision}: ${row.reason}`,
      );
    if (done.unmatched.length > LISTED)
      lines.push(`  … and ${done.unmatched.length - LISTED} more`);
  }
  return `${lines.join("\n")}\n`;
}
