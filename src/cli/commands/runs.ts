import type { Command } from "commander";
import { statusLabel } from "../../runs/partly-reverted.ts";
import { openMirror } from "../../mirror/open-mirror.ts";
import { runMarkdown } from "../../report/run-markdown.ts";
import { runReport } from "../../report/run-report.ts";
import { discardRun } from "../../runs/discard-run.ts";
import { runListing } from "../../runs/run-listing.ts";
import { projectConfig } from "../context.ts";
import { renderTable } from "../table.ts";
import { counted } from "../../util/plural.ts";

export function registerRunsCommand(program: Command): void {
  const runs = program
    .command("runs")
    .description("List the runs (plans, pushes and reverts) recorded in the mirror.")
    .option("--json", "print the list as JSON")
    .action((flags: { json?: boolean }, command: Command) => {
      const mirror = openMirror(projectConfig(command).mirrorPath);
      try {
        const list = runListing(mirror.sqlite);
        if (flags.json) {
          process.stdout.write(
            `${JSON.stringify(
              list.map((run) => ({
                id: run.id,
                kind: run.kind,
                status: run.status,
                partlyReverted: run.partlyReverted,
                createdAt: run.createdAt,
                appliedAt: run.appliedAt,
                revertsRunId: run.revertsRunId,
                changes: run.changes,
              })),
              null,
              2,
            )}\n`,
          );
          return;
        }
        process.stdout.write(
          list.length === 0
            ? "No runs yet: notion-mirror plan makes one.\n"
            : renderTable(
                [
                  "run",
                  "kind",
                  "status",
                  "created",
                  "changes",
                  "applied",
                  "protected",
                  "conflicts",
                  "failed",
                ],
                // A revert's skipped changes are conflicts (values changed since the run), not
                // targets protected from a fill.
                list.map((run) => [
                  run.id,
                  run.kind + (run.revertsRunId ? ` of ${run.revertsRunId}` : ""),
                  statusLabel(run.status, run.partlyReverted),
                  run.createdAt,
                  run.changes,
                  run.applied ?? "-",
                  run.kind === "revert" ? "-" : (run.protected ?? "-"),
                  run.kind === "revert" ? (run.protected ?? "-") : "-",
                  run.failed ?? "-",
                ]),
              ),
        );
      } finally {
        mirror.close();
      }
    });
  runs
    .command("show")
    .description(
      "Report one run: records affected per data source and property, protected, failed, success rate, rules and their SQL, timings, requests.",
    )
    .argument("<run-id>")
    .option("--json", "the report as JSON")
    .option("--md", "the report as Markdown (a completion summary to paste into a ticket)")
    .action((runId: string, flags: { json?: boolean; md?: boolean }, command: Command) => {
      const mirror = openMirror(projectConfig(command).mirrorPath);
      try {
        const report = runReport(mirror, runId);
        // `runs --json show RUN` asks for JSON too, though the flag reached `runs`.
        const json = flags.json ?? command.parent?.opts<{ json?: boolean }>().json;
        process.stdout.write(json ? `${JSON.stringify(report, null, 2)}\n` : runMarkdown(report));
      } finally {
        mirror.close();
      }
    });
  runs
    .command("discard")
    .description(
      "Discard a planned run that wrote nothing (a plan you will not push), so status stops listing it and push refuses it. Refused for a run that wrote, or may have written, anything.",
    )
    .argument("<run-id>")
    .option("--json", "print the result as JSON")
    .action((runId: string, flags: { json?: boolean }, command: Command) => {
      const config = projectConfig(command);
      const mirror = openMirror(config.mirrorPath);
      try {
        const result = discardRun(mirror, config.snapshotsDir, runId);
        process.stdout.write(
          flags.json
            ? `${JSON.stringify(result, null, 2)}\n`
            : `Discarded run ${result.runId} (${result.kind}, was ${result.was}): ${counted(result.changes, "change")}, none sent.\n`,
        );
      } finally {
        mirror.close();
      }
    });
}
