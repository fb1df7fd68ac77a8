import { paint } from "../report/paint.ts";
import type { RevertResult, RevertTarget, RevertWork } from "../apply/revert.ts";
import type { PageNames } from "../report/page-names.ts";
import { pageNameText } from "../report/page-names.ts";
import { propertyValueText } from "../report/property-value-text.ts";
import type { ValueNames } from "../report/value-names.ts";
import { valueNames } from "../report/value-names.ts";
import { counted } from "../util/plural.ts";
import { fieldsWritten } from "../apply/planned-request.ts";
import { laterText } from "./left-for-later.ts";
import { NotionMirrorError } from "../errors.ts";
import type { NothingRestoredError } from "../apply/nothing-restored.ts";
import { conflictHint } from "../apply/nothing-restored.ts";

/** No mirror: every related page and person is shown by the name its value carries, or its id. */
const NO_NAMES = valueNames(undefined);

/** "wt_phase_database / Atlas — Discovery" and the id, dimmed, as `plan` names a page. */
function pageLabel(names: PageNames, pageId: string, dataSourceId?: string): string {
  return `${pageNameText(names.of(pageId, dataSourceId))} ${paint().dim(pageId)}`;
}

/**
 * What the revert will do when it is not simply "revert the run named": it continues an unfinished
 * revert (named itself, found by --last, or found as the named run's revert), or --last found a
 * finished revert, which it undoes. Empty when there is nothing to say. For stderr.
 */
export function renderRevertNotice(target: RevertTarget): string {
  return `${lastPickText(target)}${continueNotice(target)}`;
}

/** Which run `--last` picked and why, and the later runs it passed over. Empty without --last. */
function lastPickText({ named }: RevertTarget): string {
  const { picked } = named;
  if (named.via !== "last" || !picked) return "";
  const why =
    picked.written > 0
      ? `the latest run that wrote to Notion (${counted(picked.written, "field")} of it there now)`
      : "the latest run that did not finish";
  const skipped =
    picked.skipped.length > 0
      ? ` Passed over, having written nothing to Notion: ${picked.skipped.map((run) => `${run.runId} (${run.kind}, ${run.status})`).join(", ")}.`
      : "";
  return `--last picked run ${named.runId} (${picked.kind}, ${picked.status}): ${why}.${skipped}\n`;
}

function continueNotice(target: RevertTarget): string {
  const { named, resumes } = target;
  const last = named.via === "last" ? "--last: the latest run, " : "Run ";
  if (resumes) {
    const never = resumes.snapshot ? "" : " It had stopped before anything was sent.";
    if (named.runId === resumes.runId)
      return `${last}${resumes.runId}, is a revert of run ${target.runId} that did not finish: continuing it, not undoing it.${never} Once it has finished, notion-mirror revert ${resumes.runId} undoes it.\n`;
    return `Run ${target.runId} has a revert that did not finish, ${resumes.runId}: continuing it under the same id.${never}\n`;
  }
  const first = target.entries[0];
  if (named.via === "last" && first?.type === "run" && first.kind === "revert")
    return `--last: the latest run, ${target.runId}, is a finished revert of run ${first.revertsRunId ?? "?"}: undoing it puts back what that run wrote.\n`;
  return "";
}

/** The confirmation asked before any write. */
export function revertQuestion(target: RevertTarget, work: RevertWork, where: string): string {
  const force = work.force ? " (--force: even those changed since)" : "";
  const later = laterText(work.leftForLater, "revert");
  if (work.continued) {
    const what = later
      ? `${counted(fieldsWritten(work.requests), "field")} of the ${work.pending} left${later}`
      : `the ${counted(work.pending, "field")} left`;
    return `Continue revert ${work.revertRunId ?? ""} of run ${target.runId}: restore ${what} in ${where}${force}?`;
  }
  return `Revert run ${target.runId}: restore ${counted(fieldsWritten(work.requests), "field")}${later} in ${where}${force}?`;
}

/**
 * Per page (by database and title), what the revert would put back: the run's value → the
 * pre-image, in people's terms as `plan` shows values (related pages by title, people by name,
 * each id after; dates readable) when `values` can name them; under it, the exact request sent,
 * and after the pages the tracker's entry when one is configured.
 */
export function renderRevertDryRun(
  work: RevertWork,
  names: PageNames,
  values: ValueNames = NO_NAMES,
): string {
  const shown = (value: unknown) => propertyValueText(value, values);
  const { plan } = work;
  const lines: string[] = [];
  if (work.continued)
    lines.push(
      `Continuing revert ${work.revertRunId ?? ""}, which did not finish: ${work.restoredBefore} restored already; what is left:`,
    );
  const sourceOf = new Map(plan.run.changes.map((change) => [change.pageId, change.dataSourceId]));
  const left = plan.changes.filter((change) => !work.settled.has(change.changeId));
  for (const request of work.requests) {
    if (request.method === "POST") {
      lines.push(paint().dim(`# ${request.properties.join(", ")}`));
    } else {
      const pageId = request.path.slice("/v1/pages/".length);
      const fields = left.filter((change) => change.pageId === pageId);
      lines.push(
        `${paint().yellow("~")} ${pageLabel(names, pageId, fields[0]?.dataSourceId ?? sourceOf.get(pageId))}`,
      );
      for (const change of fields) {
        const restore = change.expected.kind === "value" ? change.expected.value : null;
        lines.push(
          `    ${change.propertyName}: ${paint().red(shown(change.expectedNow ?? "(unknown: the run was interrupted)"))} → ${paint().green(shown(restore))}`,
        );
      }
    }
    lines.push(`    ${request.method} ${request.path} ${JSON.stringify(request.body)}`);
  }
  const count = fieldsWritten(work.requests);
  for (const item of plan.unrestorable)
    lines.push(
      `${paint().red("cannot restore exactly")}: ${pageLabel(names, item.pageId, sourceOf.get(item.pageId))}, ${item.propertyName}: ${item.reason}`,
    );
  lines.push(
    `${counted(count, "field")} would be restored${laterText(work.leftForLater, "revert")} (each page read live first; a value changed since the run is a conflict and is left alone, unless --force). Nothing was written.`,
  );
  return `${lines.join("\n")}\n`;
}

/**
 * The revert's outcome; conflicts and what could not be restored named by database and title,
 * a conflict's values in people's terms as the dry run shows them.
 */
export function renderRevertResult(
  result: RevertResult,
  names: PageNames,
  values: ValueNames = NO_NAMES,
): string {
  const shown = (value: unknown) => propertyValueText(value, values);
  const s = result.summary;
  const held =
    result.alreadyHeld > 0
      ? `, ${result.alreadyHeld} of them already held their pre-image (nothing sent for those)`
      : "";
  const lines = [
    `Revert ${result.revertRunId} of run ${result.revertedRunId}: ${result.status}. ${s.applied} restored on ${counted(s.pagesAffected, "page")}${held}, ${counted(result.conflicts.length, "conflict")}, ${s.failed} failed, ${s.pending} pending; ${counted(s.requests.requests, "request")} in ${(s.durationMs / 1000).toFixed(1)} s.`,
  ];
  if (result.continued)
    lines.push(
      `Continued the unfinished revert ${result.revertRunId}: ${result.continued.restoredBefore} of those fields were restored before this invocation.`,
    );
  if (result.forced)
    lines.push("--force: values changed since the run were overwritten with their pre-images.");
  for (const conflict of result.conflicts) {
    lines.push(
      `conflict: ${pageLabel(names, conflict.pageId)}, ${conflict.propertyName}: now ${shown(conflict.now)}, the run wrote ${shown(conflict.runWrote)} — left as it is (${conflict.reason})`,
    );
  }
  for (const failure of result.failures)
    lines.push(
      `${paint().red("failed")}: ${pageLabel(names, failure.pageId)}, ${failure.propertyName}: ${failure.reason}`,
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
  return `${lines.join("\n")}\n`;
}

/**
 * What to do next after a revert, and what became of its tracker entry: notes for stderr, beside
 * the result ({@link renderRevertResult}) on stdout.
 */
export function renderRevertNotes(result: RevertResult): string {
  const lines: string[] = [];
  const hint = result.forced
    ? undefined
    : conflictHint(result.revertedRunId, result.conflicts.length);
  if (hint) lines.push(hint);
  if (result.tracker?.ok) lines.push(`Tracker entry written (${result.tracker.pageId}).`);
  else if (result.tracker) lines.push(`No tracker entry: ${result.tracker.reason}`);
  if (result.summary.pending > 0)
    lines.push(
      `Unfinished: notion-mirror revert ${result.revertedRunId} resumes it (so does notion-mirror revert ${result.revertRunId}; it can be undone once it has finished).`,
    );
  else
    lines.push(
      `This revert is itself run ${result.revertRunId}: notion-mirror revert ${result.revertRunId} undoes it.`,
    );
  return `${lines.join("\n")}\n`;
}

/**
 * A revert that could restore nothing, for people: each field changed since the run (its page by
 * database and title, what it is now and what the run wrote, in people's terms) and each failure.
 */
export function nothingRestoredError(
  error: NothingRestoredError,
  names: PageNames,
  values: ValueNames = NO_NAMES,
): NotionMirrorError {
  const shown = (value: unknown) => propertyValueText(value, values);
  names.learn(new Set([...error.conflicts, ...error.failures].map((field) => field.pageId)));
  const lines = [
    `Nothing of run ${error.revertedRunId} can be restored; no revert was recorded and nothing was written.`,
    ...error.conflicts.map(
      (field) =>
        `  changed since the run: ${pageLabel(names, field.pageId)}, ${field.propertyName}: now ${shown(field.now)}, the run wrote ${shown(field.runWrote)}`,
    ),
    ...error.failures.map(
      (field) =>
        `  failed: ${pageLabel(names, field.pageId)}, ${field.propertyName}: ${field.reason}`,
    ),
  ];
  return new NotionMirrorError("usage", lines.join("\n"), error.hint, { cause: error });
}
