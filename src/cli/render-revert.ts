import pc from "picocolors";
import type { RevertPlan } from "../apply/revert-plan.ts";
import type { RevertResult } from "../apply/revert.ts";
import { naturalValue } from "../notion/codec/index.ts";
import type { PropertyValue } from "../notion/codec/index.ts";
import type { PageNames } from "../report/page-names.ts";
import { pageNameText } from "../report/page-names.ts";
import { valueText } from "../report/value-text.ts";
import { counted } from "../util/plural.ts";

const shown = (value: unknown) =>
  value && typeof value === "object" && "type" in value
    ? valueText(naturalValue(value as PropertyValue))
    : valueText(value);

/** "wt_phase_database / Atlas — Discovery" and the id, dimmed, as `plan` names a page. */
function pageLabel(names: PageNames, pageId: string, dataSourceId?: string): string {
  return `${pageNameText(names.of(pageId, dataSourceId))} ${pc.dim(pageId)}`;
}

/** Per page (by database and title), what the revert would put back: the run's value → the pre-image. */
export function renderRevertDryRun(plan: RevertPlan, names: PageNames): string {
  const lines: string[] = [];
  let page = "";
  const sourceOf = new Map(plan.run.changes.map((change) => [change.pageId, change.dataSourceId]));
  for (const change of plan.changes) {
    if (change.pageId !== page) {
      page = change.pageId;
      lines.push(`${pc.yellow("~")} ${pageLabel(names, page, change.dataSourceId)}`);
    }
    const restore = change.expected.kind === "value" ? change.expected.value : null;
    lines.push(
      `    ${change.propertyName}: ${pc.red(shown(change.expectedNow ?? "(unknown: the run was interrupted)"))} → ${pc.green(shown(restore))}`,
    );
  }
  for (const item of plan.unrestorable)
    lines.push(
      `${pc.red("cannot restore exactly")}: ${pageLabel(names, item.pageId, sourceOf.get(item.pageId))}, ${item.propertyName}: ${item.reason}`,
    );
  lines.push(
    `${counted(plan.changes.length, "field")} would be restored (each page read live first; a value changed since the run is a conflict and is left alone, unless --force). Nothing was written.`,
  );
  return `${lines.join("\n")}\n`;
}

/** The revert's outcome; conflicts and what could not be restored named by database and title. */
export function renderRevertResult(result: RevertResult, names: PageNames): string {
  const s = result.summary;
  const lines = [
    `Revert ${result.revertRunId} of run ${result.revertedRunId}: ${result.status}. ${s.applied} restored on ${counted(s.pagesAffected, "page")}, ${counted(result.conflicts.length, "conflict")}, ${s.failed} failed, ${s.pending} pending; ${counted(s.requests.requests, "request")} in ${(s.durationMs / 1000).toFixed(1)} s.`,
  ];
  if (result.forced)
    lines.push("--force: values changed since the run were overwritten with their pre-images.");
  for (const conflict of result.conflicts) {
    lines.push(
      `conflict: ${pageLabel(names, conflict.pageId)}, ${conflict.propertyName}: now ${shown(conflict.now)}, the run wrote ${shown(conflict.runWrote)} — left as it is (${conflict.reason})`,
    );
  }
  if (result.conflicts.length > 0 && !result.forced)
    lines.push(
      `To restore ${result.conflicts.length === 1 ? "it" : "them"} anyway, overwriting the newer ${result.conflicts.length === 1 ? "value" : "values"}: notion-mirror revert ${result.revertedRunId} --force`,
    );
  for (const item of result.unrestorable)
    lines.push(
      `not restorable exactly: ${pageLabel(names, item.pageId)}, ${item.propertyName}: ${item.reason}`,
    );
  for (const created of result.createdOptions)
    lines.push(
      `left in the schema: option "${created.option}" of ${created.propertyName}, which run ${result.revertedRunId} created; a revert restores values, not the schema (delete the option in Notion if it is unwanted).`,
    );
  if (result.optionsUnchecked.length > 0)
    lines.push(
      `Could not check whether run ${result.revertedRunId} created select options (the schema it was planned against is no longer in the mirror); any it created are left in the schema.`,
    );
  if (s.pending > 0)
    lines.push(`Unfinished: notion-mirror revert ${result.revertedRunId} resumes it.`);
  if (result.tracker?.ok) lines.push(`Tracker entry written (${result.tracker.pageId}).`);
  lines.push(
    `This revert is itself run ${result.revertRunId}: notion-mirror revert ${result.revertRunId} undoes it.`,
  );
  return `${lines.join("\n")}\n`;
}
