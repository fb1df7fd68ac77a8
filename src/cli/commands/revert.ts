import { existsSync } from "node:fs";
import type { Command } from "commander";
import { applyRevertPlan, locateRevertTarget, planRevertRun } from "../../apply/revert.ts";
import { pageWrites } from "../../apply/push.ts";
import type { ProjectConfig } from "../../config/project-config.ts";
import { loadConfig } from "../../config/project-config.ts";
import { NotionMirrorError } from "../../errors.ts";
import { openMirror } from "../../mirror/open-mirror.ts";
import { connectionFromEnv } from "../../notion/connection.ts";
import { NotionApi } from "../../notion/notion-api.ts";
import type { RequestEvent } from "../../notion/request-events.ts";
import { pageNames } from "../../report/page-names.ts";
import { valueNames } from "../../report/value-names.ts";
import type { SnapshotEntry } from "../../snapshot/entries.ts";
import { applyProgressDisplay } from "../apply-progress.ts";
import { confirmWrite } from "../confirm.ts";
import { globalFlags } from "../context.ts";
import { STOPPING_NOTICE, stopOnInterrupt, stoppedNotice } from "../interrupt.ts";
import { wholeNumber } from "../options.ts";
import { NothingRestoredError } from "../../apply/nothing-restored.ts";
import {
  nothingRestoredError,
  renderRevertDryRun,
  renderRevertNotice,
  renderRevertNotes,
  renderRevertResult,
  revertQuestion,
} from "../render-revert.ts";
import { targetLine, targetText, writeTarget } from "../write-target.ts";

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
      "Undo a run exactly from its snapshot: each value the run wrote is restored to its pre-image, unless someone changed it since (a reported conflict). Resumable; a revert can itself be reverted.",
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
        const names = pageNames(mirror?.sqlite, revertAliases(config, target.entries));
        const values = valueNames(mirror?.sqlite);
        const notice = renderRevertNotice(target);
        if (notice) process.stderr.write(notice);
        // Without a mirror, the plan reads the two-way relations from Notion (reads only), for
        // the dry run too: Notion is opened on first use, and then writes the revert.
        let onEvent: (event: RequestEvent) => void = () => undefined;
        let api: NotionApi | undefined;
        const notion = () => (api ??= revertApi(config, (event) => onEvent(event)));
        // The one plan: the dry run prints it, the revert applies it (a refusal is thrown by both).
        const work = await planRevertRun(target, mirror, config?.snapshotsDir, {
          force: flags.force,
          notion,
          forgetRefused: !flags.dryRun,
          trackerId: config?.tracker?.id,
          maxWrites: flags.maxWrites,
        });
        if (flags.dryRun) {
          const to = await writeTarget({ strict: false, notionVersion: config?.notionVersion });
          if (!flags.json) process.stderr.write(targetLine(to));
          process.stdout.write(
            flags.json
              ? `${JSON.stringify({ runId: target.runId, continues: work.revertRunId ?? null, settled: [...work.settled], dryRun: true, target: to, ...work.plan, requests: work.requests, leftForLater: work.leftForLater }, null, 2)}\n`
              : renderRevertDryRun(work, names, values),
          );
          return;
        }
        if (
          !(await confirmWrite(
            async () =>
              revertQuestion(
                target,
                work,
                targetText(
                  await writeTarget({ strict: true, notionVersion: config?.notionVersion }),
                ),
              ),
            flags.yes,
          ))
        ) {
          process.stderr.write("Nothing was sent.\n");
          return;
        }
        const progress = applyProgressDisplay(`revert ${target.runId}`, {
          pagesTotal: pageWrites(work.requests).length,
        });
        onEvent = progress.onRequestEvent;
        const interrupt = stopOnInterrupt(() => {
          progress.stop(); // first, so that its redraws cannot overwrite the notice
          process.stderr.write(STOPPING_NOTICE);
        });
        try {
          const writer = notion();
          const aliases = new Map(
            (config?.dataSources ?? []).map((source) => [source.id, source.alias]),
          );
          const result = await applyRevertPlan(target, work, mirror, writer, {
            signal: interrupt.signal,
            onProgress: progress.onProgress,
            trackerId: config?.tracker?.id,
            aliasOf: (id) => aliases.get(id) ?? id,
          }).catch((error: unknown) => {
            progress.stop();
            throw error instanceof NothingRestoredError
              ? nothingRestoredError(error, names, values)
              : error;
          });
          progress.stop();
          process.stdout.write(
            flags.json
              ? `${JSON.stringify(result, null, 2)}\n`
              : renderRevertResult(result, names, values),
          );
          if (!flags.json) process.stderr.write(renderRevertNotes(result));
          if (interrupt.signal.aborted) {
            const again = flags.snapshot ? `--snapshot ${flags.snapshot}` : target.runId;
            process.stderr.write(
              stoppedNotice(progress.last(), "restored", `notion-mirror revert ${again}`),
            );
            process.exitCode = 130;
          } else if (
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

/** Data source id → alias, from the run's snapshot and the config (which wins: it is current). */
function revertAliases(
  config: ProjectConfig | undefined,
  entries: readonly SnapshotEntry[],
): Map<string, string> {
  const run = entries[0];
  const aliases = new Map<string, string>(
    run?.type === "run" ? run.dataSources.map((source) => [source.id, source.alias]) : [],
  );
  for (const source of config?.dataSources ?? []) aliases.set(source.id, source.alias);
  return aliases;
}

/** The API a revert writes through, paced as the config says. */
function revertApi(
  config: ProjectConfig | undefined,
  onEvent: (event: RequestEvent) => void,
): NotionApi {
  return new NotionApi(connectionFromEnv(), {
    ...(config?.rateLimit === undefined ? {} : { rateLimit: config.rateLimit }),
    notionVersion: config?.notionVersion,
    onEvent,
  });
}

/** With --snapshot the config (and its mirror) may be gone; otherwise it is required. */
function optionalConfig(file: string, snapshotMode: boolean): ProjectConfig | undefined {
  if (!snapshotMode) return loadConfig(file);
  return existsSync(file) ? loadConfig(file) : undefined;
}
