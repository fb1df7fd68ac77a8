import type { Command } from "commander";
import { openMirror } from "../../mirror/open-mirror.ts";
import type { MirrorStatus } from "../../mirror/status.ts";
import { mirrorStatus } from "../../mirror/status.ts";
import { completenessText } from "../../mirror/completeness.ts";
import { projectConfig } from "../context.ts";
import { renderTable } from "../table.ts";
import { counted } from "../../util/plural.ts";

export function registerStatusCommand(program: Command): void {
  program
    .command("status")
    .description(
      "Show what the mirror holds per data source: live and trashed pages, last pull, watermark, whether it holds every page, schema changes.",
    )
    .option("--json", "print the status as JSON")
    .action((flags: { json?: boolean }, command: Command) => {
      const config = projectConfig(command);
      const mirror = openMirror(config.mirrorPath);
      try {
        const status = mirrorStatus(config, mirror);
        process.stdout.write(
          flags.json ? `${JSON.stringify(status, null, 2)}\n` : renderStatus(status),
        );
      } finally {
        mirror.close();
      }
    });
}

function renderStatus(status: MirrorStatus): string {
  const rows = status.dataSources.map((source) => [
    source.alias,
    source.livePages,
    source.trashedPages,
    source.gonePages,
    source.pulledAt ?? "never",
    source.watermark ?? "-",
    completenessText(source.completeness),
    source.schemaChanges
      .map((change) => `${change.kind} ${change.after ?? change.before ?? ""}`)
      .join("; ") || "-",
  ]);
  const last = status.lastPull
    ? `Last pull ${status.lastPull.finishedAt} (${status.lastPull.mode}, ${counted(status.lastPull.requests, "request")}, ${counted(status.lastPull.pagesWritten, "page")} read).`
    : "Never pulled: run notion-mirror sync pull.";
  const open =
    status.openRuns.length === 0
      ? "No open runs."
      : `Open runs: ${status.openRuns.map((run) => `${run.id} (${run.kind}, ${run.status})`).join(", ")} — push them to finish (revert, for a revert run), or drop a plan you will not push: notion-mirror runs discard RUN-ID.`;
  const changesSince = status.lastPlanAt
    ? `Schema changes are those since the last plan (${status.lastPlanAt}).`
    : "Schema changes: all recorded (no plan yet).";
  return `${renderTable(["data source", "live", "trashed", "gone", "last pull", "watermark", "mirror", "schema changes"], rows)}${status.mirrorPath}\n${last}\n${open}\n${changesSince}\n`;
}
