import { paint } from "../report/paint.ts";
import type { PlannedRequest, PushResult } from "../apply/push.ts";
import type { PageNames } from "../report/page-names.ts";
import { pageNameText } from "../report/page-names.ts";
import type { RunReport } from "../report/run-report.ts";
import { renderTable } from "./table.ts";
import { counted } from "../util/plural.ts";

const PAGE_PATH = /^\/v1\/pages\/(.+)$/;

/**
 * The requests a push would send, exactly, each under a `#` line naming its page by database
 * and title and the properties it fills.
 */
export function renderPushDryRun(
  runId: string,
  changes: number,
  requests: readonly PlannedRequest[],
  names: PageNames,
): string {
  const lines: string[] = [];
  for (const request of requests) {
    const pageId = PAGE_PATH.exec(request.path)?.[1];
    if (pageId)
      lines.push(
        paint().dim(`# ${pageNameText(names.of(pageId))}: ${request.properties.join(", ")}`),
      );
    lines.push(`${request.method} ${request.path} ${JSON.stringify(request.body)}`);
  }
  lines.push(
    `${counted(changes, "change")} on ${counted(requests.length, "page")} of run ${runId} would be written (each page read live first). Nothing was written.`,
  );
  return `${lines.join("\n")}\n`;
}

/** The push's outcome: per property, then each field kept or failed named by database and title. */
export function renderPushResult(
  result: PushResult,
  changes: RunReport["changes"] = [],
  interrupted = false,
): string {
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
  if (result.deferredPages > 0)
    lines.push(
      `${counted(result.deferredPages, "page")} left for later (${interrupted ? "stopped by Ctrl-C" : "--max-writes"}): run push ${result.runId} again.`,
    );
  if (s.pending > 0) lines.push(`Unfinished: notion-mirror push ${result.runId} resumes it.`);
  if (result.tracker?.ok) lines.push(`Tracker entry written (${result.tracker.pageId}).`);
  else if (result.tracker) lines.push(`No tracker entry: ${result.tracker.reason}`);
  lines.push(`Undo with: notion-mirror revert ${result.runId}`);
  return `${lines.join("\n")}\n`;
}
