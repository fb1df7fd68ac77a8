import { statusLabel } from "../runs/partly-reverted.ts";
import type { RunReport } from "./run-report.ts";
import { counted } from "../util/plural.ts";

const pct = (rate: number) => `${(rate * 100).toFixed(1)}%`;

/** A completion summary a person can paste into a ticket. */
export function runMarkdown(report: RunReport): string {
  const s = report.summary;
  const title =
    report.kind === "revert"
      ? `Revert ${report.id} of run ${report.revertsRunId ?? "?"}`
      : `Backfill run ${report.id}`;
  const lines = [
    `# ${title} — ${statusLabel(report.status, report.partlyReverted).toUpperCase()}`,
    "",
  ];
  lines.push(`- **Created**: ${report.createdAt}`);
  if (report.appliedAt) lines.push(`- **Applied**: ${report.appliedAt}`);
  if (report.minConfidence)
    lines.push(`- **Execution mode**: ${report.minConfidence} confidence and above`);
  const tracker = s?.tracker as { ok: true; pageId: string } | { ok: false; reason: string } | null;
  if (tracker?.ok) lines.push(`- **Tracker entry**: written (page ${tracker.pageId})`);
  else if (tracker) lines.push(`- **Tracker entry**: not written — ${tracker.reason}`);
  if (s) {
    lines.push(
      "",
      "## Results",
      "",
      "| | count |",
      "| --- | ---: |",
      `| Changes planned | ${s.changes} |`,
      `| Fields ${report.kind === "revert" ? "restored" : "filled"} | ${s.applied} |`,
      `| Records affected | ${s.pagesAffected} |`,
      report.kind === "revert"
        ? `| Conflicts (changed since the run, left as they are) | ${s.protected} |`
        : `| Protected from overwrite (skipped) | ${s.protected} |`,
      `| Failed | ${s.failed} |`,
      `| Pending (resume with the same command) | ${s.pending} |`,
      `| Success rate | ${pct(s.successRate)} |`,
      "",
      "## By data source and property",
      "",
      `| data source | property | applied | ${report.kind === "revert" ? "conflicts" : "protected"} | failed | pending |`,
      "| --- | --- | ---: | ---: | ---: | ---: |",
      ...s.perProperty.map(
        (row) =>
          `| ${row.alias} | ${row.property} | ${row.applied} | ${row.protected} | ${row.failed} | ${row.pending} |`,
      ),
      "",
      "## Timing and requests",
      "",
      `- ${s.startedAt} → ${s.finishedAt} (${(s.durationMs / 1000).toFixed(1)} s)`,
      `- ${counted(s.requests.requests, "request")} (${Object.entries(s.requests.byKind)
        .map(([kind, count]) => `${kind} ${count}`)
        .join(
          ", ",
        )}); ${counted(s.requests.retries, "retry", "retries")}, ${s.requests.rateLimited} rate-limited`,
    );
  }
  if (report.rules.length > 0) {
    lines.push("", "## Rules", "");
    for (const rule of report.rules) {
      lines.push(
        `### ${rule.rule} → \`${rule.target}\` (${rule.confidence})`,
        "",
        rule.description || "(no description)",
        "",
        `${rule.planned} planned, ${rule.protected} protected, ${rule.refused} refused, ${rule.forReview} for review.`,
        "",
        "```sql",
        rule.sql,
        "```",
        "",
      );
    }
  }
  if (report.decisions.length > 0) {
    lines.push(
      "## Review decisions",
      "",
      "| rule | accepted | rejected | undecided | decided by |",
      "| --- | ---: | ---: | ---: | --- |",
      ...report.decisions.map(
        (rule) =>
          `| ${rule.rule} | ${rule.accepted} | ${rule.rejected} | ${rule.forReview} | ${rule.deciders.join("; ") || "—"} |`,
      ),
      "",
      "Push sends the planned changes and the accepted proposals; rejected and undecided ones are never sent.",
      "",
    );
  }
  const despite = report.events.filter((event) => event.kind === "pushed_despite_moved_inputs");
  if (despite.length > 0) {
    lines.push("## Pushed despite moved inputs", "");
    for (const event of despite) {
      lines.push(
        `- ${event.at} by ${event.by} (\`--ignore-moved-inputs\`): a pull had changed what the rules read —`,
        ...event.moved.map((input) => `  - ${input.alias}: ${input.what.join("; ")}`),
      );
    }
    lines.push("");
  }
  const failures = report.changes.filter((change) => change.error);
  if (failures.length > 0) {
    lines.push(
      "## Skipped or failed",
      "",
      ...failures.map(
        (change) =>
          `- ${change.database} / ${change.pageTitle} (\`${change.pageId}\`), ${change.property}: ${change.status} — ${change.error}`,
      ),
      "",
    );
  }
  if (report.kind === "fill" && report.status !== "planned") {
    lines.push(
      "## Undo",
      "",
      `Every write has a pre-image in the run's snapshot: \`notion-mirror revert ${report.id}\` restores them exactly.`,
      "",
    );
  }
  return `${lines.join("\n").trimEnd()}\n`;
}
