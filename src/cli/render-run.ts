import type { PushResult } from "../apply/push.ts";
import { renderTable } from "./table.ts";

/** The push summary; `interrupted` when Ctrl-C, not --max-writes, left pages for later. */
export function renderPushResult(result: PushResult, interrupted = false): string {
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
    `Run ${result.runId}: ${result.status}. ${s.applied} applied on ${s.pagesAffected} pages, ${s.protected} protected from overwrite, ${s.failed} failed, ${s.pending} pending; ${s.requests.requests} requests in ${(s.durationMs / 1000).toFixed(1)} s.`,
  ];
  if (result.deferredPages > 0)
    lines.push(
      `${result.deferredPages} pages left for later (${interrupted ? "stopped by Ctrl-C" : "--max-writes"}): run push ${result.runId} again.`,
    );
  if (s.pending > 0) lines.push(`Unfinished: notion-mirror push ${result.runId} resumes it.`);
  if (result.tracker?.ok) lines.push(`Tracker entry written (${result.tracker.pageId}).`);
  else if (result.tracker) lines.push(`No tracker entry: ${result.tracker.reason}`);
  lines.push(`Undo with: notion-mirror revert ${result.runId}`);
  return `${lines.join("\n")}\n`;
}
