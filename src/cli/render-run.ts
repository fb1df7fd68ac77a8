import { paint } from "../report/paint.ts";
import type { PushPlan, PushResult } from "../apply/push.ts";
import { fieldsWritten } from "../apply/push.ts";
import { laterText } from "./left-for-later.ts";
import type { PageNames } from "../report/page-names.ts";
import { pageNameText } from "../report/page-names.ts";
import { listedIds, valueInPeoplesTerms } from "../report/peoples-terms.ts";
import { propertyValueText } from "../report/property-value-text.ts";
import type { ValueNames } from "../report/value-names.ts";
import type { RunReport } from "../report/run-report.ts";
import { renderTable } from "./table.ts";
import { counted } from "../util/plural.ts";

const PAGE_PATH = /^\/v1\/pages\/(.+)$/;

/**
 * The requests a push would send, exactly, each under `#` lines naming its page by database and
 * title and, per property it fills, the value now → the value sent in people's terms (related
 * pages by title, people by name, each id after; dates readable), as `plan` shows them.
 */
export function renderPushDryRun(plan: PushPlan, names: PageNames, values: ValueNames): string {
  const { run, pending, requests } = plan;
  const pages = requests.filter((request) => request.method === "PATCH").length;
  const pendingIds = new Set(pending.map((change) => change.changeId));
  const byPage = new Map<string, PushPlan["all"]>();
  for (const row of plan.all) {
    if (!pendingIds.has(row.id)) continue;
    byPage.set(row.pageId, [...(byPage.get(row.pageId) ?? []), row]);
  }
  // Every page's name and every related page's title, each read in one statement.
  names.learn(byPage.keys());
  values.learnPages?.(
    [...byPage.values()]
      .flat()
      .filter((row) => row.propertyType === "relation")
      .flatMap((row) => listedIds(parsed(row.naturalJson))),
  );
  const lines: string[] = [];
  for (const request of requests) {
    const pageId = PAGE_PATH.exec(request.path)?.[1];
    if (request.method === "POST") lines.push(paint().dim(`# ${request.properties.join(", ")}`));
    else if (pageId) {
      lines.push(
        paint().dim(`# ${pageNameText(names.of(pageId))}: ${request.properties.join(", ")}`),
      );
      for (const row of byPage.get(pageId) ?? []) {
        const before = propertyValueText(parsed(row.beforeJson), values);
        const after = valueInPeoplesTerms(row.propertyType, parsed(row.naturalJson), values);
        lines.push(paint().dim(`#   ${row.propertyName}: ${before} → ${after}`));
      }
    }
    lines.push(`${request.method} ${request.path} ${JSON.stringify(request.body)}`);
  }
  lines.push(
    `${counted(fieldsWritten(requests), "change")} on ${counted(pages, "page")} of run ${run.id} would be written (each page read live first)${laterText(plan.leftForLater, "push")}. Nothing was written.`,
  );
  return `${lines.join("\n")}\n`;
}

/** A stored JSON column's value; null for none. */
function parsed(json: string | null): unknown {
  return json === null ? null : (JSON.parse(json) as unknown);
}

/** The push's outcome: per property, then each field kept or failed named by database and title. */
export function renderPushResult(result: PushResult, changes: RunReport["changes"] = []): string {
  const s = result.summary;
  const rows = s.perProperty.map((row) => [
    row.alias,
    row.property,
    row.applied,
    row.protected,
    row.failed,
    row.pending,
  ]);
  const lines = [
    renderTable(
      ["data source", "property", "applied", "protected", "failed", "pending"],
      rows,
    ).trimEnd(),
    `Run ${result.runId}: ${result.status}. ${s.applied} applied on ${counted(s.pagesAffected, "page")}, ${s.protected} protected from overwrite, ${s.failed} failed, ${s.pending} pending; ${counted(s.requests.requests, "request")} in ${(s.durationMs / 1000).toFixed(1)} s.`,
  ];
  for (const change of changes) {
    const word =
      change.status === "skipped_conflict" ? "kept" : change.status === "failed" ? "failed" : "";
    if (!word) continue;
    lines.push(
      `${word === "kept" ? paint().yellow(word) : paint().red(word)}: ${change.database} / ${change.pageTitle} ${paint().dim(change.pageId)}, ${change.property}${change.error ? `: ${change.error}` : ""}`,
    );
  }
  return `${lines.join("\n")}\n`;
}

/**
 * What to do next after a push, and what became of its tracker entry: notes for stderr, beside
 * the result ({@link renderPushResult}) on stdout.
 */
export function renderPushNotes(result: PushResult, interrupted = false): string {
  const lines: string[] = [];
  if (result.deferredPages > 0)
    lines.push(
      `${counted(result.deferredPages, "page")} left for later (${interrupted ? "stopped by Ctrl-C" : "--max-writes"}): run push ${result.runId} again.`,
    );
  if (result.summary.pending > 0)
    lines.push(`Unfinished: notion-mirror push ${result.runId} resumes it.`);
  if (result.tracker?.ok) lines.push(`Tracker entry written (${result.tracker.pageId}).`);
  else if (result.tracker) lines.push(`No tracker entry: ${result.tracker.reason}`);
  lines.push(`Undo with: notion-mirror revert ${result.runId}`);
  return `${lines.join("\n")}\n`;
}
