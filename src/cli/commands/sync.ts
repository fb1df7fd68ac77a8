import type { Command } from "commander";
import type { Mirror } from "../../mirror/open-mirror.ts";
import { openMirror } from "../../mirror/open-mirror.ts";
import type { PullSummary } from "../../mirror/pull.ts";
import { pullMirror } from "../../mirror/pull.ts";
import { notionApi, projectConfig } from "../context.ts";
import { exitOnInterrupt } from "../interrupt.ts";
import { pullProgressDisplay } from "../progress.ts";
import { renderTable } from "../table.ts";
import { counted } from "../../util/plural.ts";

export function registerSyncCommand(program: Command): void {
  const sync = program.command("sync").description("Synchronise the mirror with Notion.");
  sync
    .command("pull")
    .description(
      "Bring the SQLite mirror up to date: schemas, every page (relations completed past 25), typed views. Incremental after the first pull; atomic.",
    )
    .option("--full", "re-read every page and reconcile trashed or deleted pages")
    .option("--only <alias...>", "pull only these data sources")
    .option("--json", "print the summary as JSON")
    .action(
      async (flags: { full?: boolean; only?: string[]; json?: boolean }, command: Command) => {
        const config = projectConfig(command);
        const progress = pullProgressDisplay({
          dataSources: flags.only?.length ?? config.dataSources.length,
        });
        let mirror: Mirror | undefined;
        // The pull is one transaction: closing the mirror rolls it back, and nothing of it stays.
        const interrupt = exitOnInterrupt(() => {
          progress.stop();
          mirror?.close();
        }, "\nstopped by Ctrl-C: the pull was abandoned and the mirror left as it was before it (a pull keeps nothing until it completes); `notion-mirror sync pull` starts it again.\n");
        try {
          // The token is checked before the mirror is created: without one, no file is made.
          const api = notionApi(config, progress.onRequestEvent);
          mirror = openMirror(config.mirrorPath);
          const summary = await pullMirror(config, mirror, api, {
            full: flags.full,
            only: flags.only,
            onProgress: progress.onProgress,
          });
          progress.stop();
          process.stdout.write(
            flags.json
              ? `${JSON.stringify({ ...summary, stats: api.stats }, null, 2)}\n`
              : renderPullSummary(summary),
          );
        } finally {
          interrupt.dispose();
          progress.stop();
          mirror?.close();
        }
      },
    );
}

function renderPullSummary(summary: PullSummary): string {
  const rows = summary.dataSources.map((source) => [
    source.alias,
    source.mode === "full" ? `full (${source.reason})` : "incremental",
    source.pagesWritten,
    source.livePages,
    source.trashedPages + source.gonePages,
    source.schemaChanges
      .map((change) => `${change.kind} ${change.after ?? change.before}`)
      .join("; ") || "-",
  ]);
  const live = summary.dataSources.reduce((sum, source) => sum + source.livePages, 0);
  return (
    renderTable(
      ["data source", "mode", "pages read", "live", "trashed/gone", "schema changes"],
      rows,
    ) +
    summary.dataSources.map(walkNote).join("") +
    `${counted(summary.dataSources.length, "data source")}, ${counted(live, "live page")}; ${counted(summary.requests, "request")} in ${(summary.durationMs / 1000).toFixed(1)} s.\n`
  );
}

/** A line for a data source that Notion's per-query cap or a refused cursor made walk in windows. */
function walkNote(source: PullSummary["dataSources"][number]): string {
  const notes = [
    source.cappedWindows > 0
      ? `Notion's per-query cap was reached ${counted(source.cappedWindows, "time")}`
      : "",
    source.cursorRestarts > 0
      ? `Notion refused ${counted(source.cursorRestarts, "cursor")} (walk restarted where it was)`
      : "",
  ].filter(Boolean);
  if (notes.length === 0) return "";
  return `${source.alias}: ${notes.join("; ")}; read whole in ${counted(source.windows, "query window")}.\n`;
}
