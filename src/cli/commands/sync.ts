import type { Command } from "commander";
import { openMirror } from "../../mirror/open-mirror.ts";
import type { PullSummary } from "../../mirror/pull.ts";
import { pullMirror } from "../../mirror/pull.ts";
import { notionApi, projectConfig } from "../context.ts";
import { exitOnInterrupt } from "../interrupt.ts";
import { pullProgressDisplay } from "../progress.ts";
import { renderTable } from "../table.ts";

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
        const api = notionApi(config);
        const mirror = openMirror(config.mirrorPath);
        const progress = pullProgressDisplay();
        // The pull is one transaction: closing the mirror rolls it back, and nothing of it stays.
        const interrupt = exitOnInterrupt(() => {
          progress.stop();
          mirror.close();
        }, "\nstopped by Ctrl-C: the pull was abandoned and the mirror left as it was before it (a pull keeps nothing until it completes); `notion-mirror sync pull` starts it again.\n");
        try {
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
          mirror.close();
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
    `${summary.dataSources.length} data sources, ${live} live pages; ${summary.requests} requests in ${(summary.durationMs / 1000).toFixed(1)} s.\n`
  );
}
