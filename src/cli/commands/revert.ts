import { existsSync } from "node:fs";
import type { Command } from "commander";
import { locateRevertTarget, prepareRevert, revertRun, revertWork } from "../../apply/revert.ts";
import type { ProjectConfig } from "../../config/project-config.ts";
import { loadConfig } from "../../config/project-config.ts";
import { NotionMirrorError } from "../../errors.ts";
import { openMirror } from "../../mirror/open-mirror.ts";
import { connectionFromEnv } from "../../notion/connection.ts";
import { NotionApi } from "../../notion/notion-api.ts";
import { applyProgressDisplay } from "../apply-progress.ts";
import { confirmWrite } from "../confirm.ts";
import { globalFlags } from "../context.ts";
import { stopOnInterrupt } from "../interrupt.ts";
import { wholeNumber } from "../options.ts";
import {
  renderRevertDryRun,
  renderRevertNotice,
  renderRevertResult,
  revertQuestion,
} from "../render-revert.ts";

interface RevertFlags {
  last?: boolean;
  snapshot?: string;
  dryRun?: boolean;
  yes?: boolean;
  force?: boolean;
  maxWrites?: number;
  json?: boolean;
}

export function registerRevertCommand(program: Command): void {
  program
    .command("revert")
    .description(
      "Undo a run exactly from its snapshot: each value the run wrote is restored to its pre-image, unless someone changed it since (a reported conflict). Resumable: a revert that did not finish is continued, however it is named; a finished revert can itself be reverted.",
    )
    .argument("[run-id]", "the run to revert")
    .option(
      "--last",
      "revert the latest run that wrote to Notion (a revert that did not finish is continued instead)",
    )
    .option("--snapshot <file>", "revert from a snapshot file alone (when the mirror is lost)")
    .option("--dry-run", "show per page what would be restored, and send nothing")
    .option("--yes", "do not ask for confirmation")
    .option("--force", "restore even values changed since the run (and say so)")
    .option(
      "--max-writes <n>",
      "write at most N pages in this invocation",
      wholeNumber("--max-writes", 1),
    )
    .option("--json", "print the result as JSON")
    .action(async (runId: string | undefined, flags: RevertFlags, command: Command) => {
      if ([runId, flags.last, flags.snapshot].filter(Boolean).length !== 1) {
        throw new NotionMirrorError(
          "usage",
          "Name the run to revert: a RUN-ID, --last, or --snapshot FILE (one of them).",
          "Try: notion-mirror runs",
        );
      }
      const config = optionalConfig(globalFlags(command).config, Boolean(flags.snapshot));
      const mirror =
        config && existsSync(config.mirrorPath) ? openMirror(config.mirrorPath) : undefined;
      try {
        const target = locateRevertTarget(config?.snapshotsDir, mirror, {
          runId,
          last: flags.last,
          snapshotFile: flags.snapshot,
        });
        const notice = renderRevertNotice(target);
        if (notice) process.stderr.write(notice);
        const work = (flags.dryRun ? revertWork : prepareRevert)(
          target,
          mirror,
          config?.snapshotsDir,
          { force: flags.force },
        );
        if (flags.dryRun) {
          process.stdout.write(
            flags.json
              ? `${JSON.stringify({ runId: target.runId, continues: work.revertRunId ?? null, settled: [...work.settled], dryRun: true, ...work.plan }, null, 2)}\n`
              : renderRevertDryRun(work),
          );
          return;
        }
        if (!(await confirmWrite(revertQuestion(target, work), flags.yes))) {
          process.stderr.write("Nothing was sent.\n");
          return;
        }
        const progress = applyProgressDisplay(`revert ${target.runId}`);
        const interrupt = stopOnInterrupt(() =>
          process.stderr.write(
            "\nStopping after the writes in flight; run the same command to resume.\n",
          ),
        );
        try {
          const api = new NotionApi(connectionFromEnv(), { rateLimit: config?.rateLimit ?? 3 });
          const aliases = new Map(
            (config?.dataSources ?? []).map((source) => [source.id, source.alias]),
          );
          const result = await revertRun(target, mirror, api, config?.snapshotsDir, {
            force: flags.force,
            maxWrites: flags.maxWrites,
            signal: interrupt.signal,
            onProgress: progress.onProgress,
            trackerId: config?.tracker?.id,
            aliasOf: (id) => aliases.get(id) ?? id,
          });
          progress.stop();
          process.stdout.write(
            flags.json ? `${JSON.stringify(result, null, 2)}\n` : renderRevertResult(result),
          );
          if (
            result.conflicts.length > 0 ||
            result.summary.failed > 0 ||
            result.summary.pending > 0 ||
            result.unrestorable.length > 0
          )
            process.exitCode = 3;
        } finally {
          progress.stop();
          interrupt.dispose();
        }
      } finally {
        mirror?.close();
      }
    });
}

/** With --snapshot the config (and its mirror) may be gone; otherwise it is required. */
function optionalConfig(file: string, snapshotMode: boolean): ProjectConfig | undefined {
  if (!snapshotMode) return loadConfig(file);
  return existsSync(file) ? loadConfig(file) : undefined;
}
