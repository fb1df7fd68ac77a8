import pc from "picocolors";
import type { RevertPlan } from "../apply/revert-plan.ts";
import type { RevertResult } from "../apply/revert.ts";
import { naturalValue } from "../notion/codec/index.ts";
import type { PropertyValue } from "../notion/codec/index.ts";
import { valueText } from "../report/value-text.ts";

const shown = (value: unknown) =>
  value && typeof value === "object" && "type" in value
    ? valueText(naturalValue(value as PropertyValue))
    : valueText(value);

/** Per page, what the revert would put back: the run's value → the pre-image. */
export function renderRevertDryRun(plan: RevertPlan): string {
  const lines: string[] = [];
  let page = "";
  for (const change of plan.changes) {
    if (change.pageId !== page) {
      page = change.pageId;
      lines.push(`${pc.yellow("~")} page ${page}`);
    }
    const restore = change.expected.kind === "value" ? change.expected.value : null;
    lines.push(
      `    ${change.propertyName}: ${pc.red(shown(change.expectedNow ?? "(unknown: the run was interrupted)"))} → ${pc.green(shown(restore))}`,
    );
  }
  for (const item of plan.unrestorable)
    lines.push(
      `${pc.red("cannot restore exactly")}: page ${item.pageId}, ${item.propertyName}: ${item.reason}`,
    );
  lines.push(
    `${plan.changes.length} fields would be restored (each page read live first; a value changed since the run is a conflict and is left alone). Nothing was written.`,
  );
  return `${lines.join("\n")}\n`;
}

export function renderRevertResult(result: RevertResult): string {
  const s = result.summary;
  const lines = [
    `Revert ${result.revertRunId} of run ${result.revertedRunId}: ${result.status}. ${s.applied} restored on ${s.pagesAffected} pages, ${result.conflicts.length} conflicts, ${s.failed} failed, ${s.pending} pending; ${s.requests.requests} requests in ${(s.durationMs / 1000).toFixed(1)} s.`,
  ];
  if (result.forced)
    lines.push("--force: values changed since the run were overwritten with their pre-images.");
  for (const conflict of result.conflicts) {
    lines.push(
      `conflict: page ${conflict.pageId}, ${conflict.propertyName}: now ${shown(conflict.now)}, the run wrote ${shown(conflict.runWrote)} — left as it is (${conflict.reason})`,
    );
  }
  for (const item of result.unrestorable)
    lines.push(`not restorable exactly: page ${item.pageId}, ${item.propertyName}: ${item.reason}`);
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
