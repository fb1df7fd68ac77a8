import type { Command } from "commander";
import { applyPushPlan, fieldsWritten, pageWrites, planPush } from "../../apply/push.ts";
import { laterText } from "../left-for-later.ts";
import { openMirror } from "../../mirror/open-mirror.ts";
import { applyProgressDisplay } from "../apply-progress.ts";
import { confirmWrite } from "../confirm.ts";
import { notionApi, projectConfig } from "../context.ts";
import { STOPPING_NOTICE, stopOnInterrupt, stoppedNotice } from "../interrupt.ts";
import { wholeNumber } from "../options.ts";
import { pageNames } from "../../report/page-names.ts";
import { runReport } from "../../report/run-report.ts";
import { valueNames } from "../../report/value-names.ts";
import { renderPushDryRun, renderPushNotes, renderPushResult } from "../render-run.ts";
import { targetLine, targetText, writeTarget } from "../write-target.ts";
import { counted } from "../../util/plural.ts";

export function registerPushCommand(program: Command): void {
  program
    .command("push")
    .description(
      "Apply a planned run to Notion: each page read live first (a field filled since the plan is kept), its pre-image snapshotted before the write, one write per page; resumable.",
    )
    .argument("[run-id]", "the run to push (default: the latest planned or unfinished one)")
    .option("--dry-run", "print exactly what would be sent, and send nothing")
    .option("--yes", "do not ask for confirmation")
    .option(
      "--max-writes <n>",
      "write at most N pages in this invocation (the rest stay planned)",
      wholeNumber("--max-writes", 1),
    )
    .option(
      "--ignore-moved-inputs",
      "push a planned run even though a pull changed pages or relations its rules read since the plan",
    )
    .option("--json", "print the result as JSON")
    .action(
      async (
        runId: string | undefined,
        flags: {
          dryRun?: boolean;
          yes?: boolean;
          maxWrites?: number;
          ignoreMovedInputs?: boolean;
          json?: boolean;
        },
        command: Command,
      ) => {
        const config = projectConfig(command);
        const mirror = openMirror(config.mirrorPath);
        try {
          // The one plan: the dry run prints it, the push applies it (a refusal is thrown by both).
          const plan = planPush(mirror, runId, {
            ignoreMovedInputs: flags.ignoreMovedInputs,
            trackerId: config.tracker?.id,
            maxWrites: flags.maxWrites,
          });
          const { run } = plan;
          const pages = pageWrites(plan.requests).length;
          if (plan.binding.unchecked)
            process.stderr.write(
              `Run ${run.id}'s last push stopped before it could record the mirror as its writes left it: whether a pull moved its inputs since cannot be told this once.
`,
            );
          if (plan.binding.moved.length > 0)
            process.stderr.write(
              `Run ${run.id}'s inputs moved (${plan.binding.moved.map((item) => item.alias).join(", ")}); pushed anyway (--ignore-moved-inputs)${flags.dryRun ? "" : `, and recorded: notion-mirror runs show ${run.id}`}.
`,
            );
          if (flags.dryRun) {
            const target = await writeTarget({
              strict: false,
              notionVersion: config.notionVersion,
            });
            if (!flags.json) process.stderr.write(targetLine(target));
            process.stdout.write(
              flags.json
                ? `${JSON.stringify({ runId: run.id, dryRun: true, target, requests: plan.requests, leftForLater: plan.leftForLater }, null, 2)}\n`
                : `${renderPushDryRun(
                    plan,
                    pageNames(mirror.sqlite, new Map()),
                    valueNames(mirror.sqlite),
                  )}`,
            );
            return;
          }
          const question = async () =>
            `Push run ${run.id}: ${counted(fieldsWritten(plan.requests), "field")} on ${counted(pages, "page")}${laterText(plan.leftForLater, "push")} to ${targetText(await writeTarget({ strict: true, notionVersion: config.notionVersion }))}?`;
          if (!(await confirmWrite(question, flags.yes))) {
            process.stderr.write("Nothing was sent.\n");
            return;
          }
          const progress = applyProgressDisplay(`push ${run.id}`, { pagesTotal: pages });
          const interrupt = stopOnInterrupt(() => {
            progress.stop(); // first, so that its redraws cannot overwrite the notice
            process.stderr.write(STOPPING_NOTICE);
          });
          try {
            const api = notionApi(config, progress.onRequestEvent);
            const result = await applyPushPlan(config, mirror, api, plan, {
              ignoreMovedInputs: flags.ignoreMovedInputs,
              signal: interrupt.signal,
              onProgress: progress.onProgress,
            });
            progress.stop();
            const interrupted = interrupt.signal.aborted;
            process.stdout.write(
              flags.json
                ? `${JSON.stringify(result, null, 2)}\n`
                : renderPushResult(result, runReport(mirror, result.runId).changes),
            );
            if (!flags.json) process.stderr.write(renderPushNotes(result, interrupted));
            if (interrupted) {
              process.stderr.write(
                stoppedNotice(progress.last(), "written", `notion-mirror push ${run.id}`),
              );
              process.exitCode = 130;
            } else if (
              result.summary.failed > 0 ||
              result.summary.pending > 0 ||
              result.summary.protected > 0
            )
              process.exitCode = 3;
          } finally {
            progress.stop();
            interrupt.dispose();
          }
        } finally {
          mirror.close();
        }
      },
    );
}
