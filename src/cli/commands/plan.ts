import type { Command } from "commander";
import { Option } from "commander";
import { planRun } from "../../fill/plan-run.ts";
import type { Plan } from "../../fill/plan-types.ts";
import type { Confidence } from "../../fill/rule-file.ts";
import { openMirrorReadOnly } from "../../mirror/open-read-only.ts";
import type { PageNames } from "../../report/page-names.ts";
import { pageNames } from "../../report/page-names.ts";
import { planSummaryLine, renderPlanDiff, renderPlanNotes } from "../../report/plan-report.ts";
import { projectConfig } from "../context.ts";

export function registerPlanCommand(program: Command): void {
  program
    .command("plan")
    .description(
      "Run fill rules (SQL over the mirror, read-only) and record a planned run: per page the values to fill, only where the field is empty.",
    )
    .argument("[rules...]", "rule names (default: every rule in the rules folder)")
    .addOption(
      new Option(
        "--min-confidence <level>",
        "plan rules of this confidence or higher; list the rest for review",
      )
        .choices(["high", "medium", "low"])
        .default("high"),
    )
    .option("--json", "print the plan as JSON")
    .action(
      async (
        rules: string[],
        flags: { minConfidence: Confidence; json?: boolean },
        command: Command,
      ) => {
        const config = projectConfig(command);
        const { runId, plan } = await planRun(config, {
          rules,
          minConfidence: flags.minConfidence,
        });
        if (flags.json) {
          process.stdout.write(
            `${JSON.stringify({ runId, summary: planSummaryLine(plan), ...plan }, null, 2)}\n`,
          );
        } else {
          process.stdout.write(renderPlanDiff(plan.changes));
          process.stdout.write(renderPlanNotes(plan, ...refusedPageNames(config.mirrorPath, plan)));
          process.stdout.write(`${planSummaryLine(plan)}\n`);
          process.stdout.write(
            runId
              ? `Planned run ${runId}. Next: notion-mirror push ${runId}\n`
              : "Nothing to fill: no run planned.\n",
          );
        }
        if (plan.refusals.length > 0) process.exitCode = 3;
      },
    );
}

/** Names for refused pages (database and title) from the mirror the plan read; none needed, none read. */
function refusedPageNames(mirrorPath: string, plan: Plan): [] | [PageNames] {
  if (plan.refusals.length === 0) return [];
  const sqlite = openMirrorReadOnly(mirrorPath);
  const names = pageNames(sqlite, new Map());
  // Names are read lazily: resolve them all before the connection closes.
  for (const refusal of plan.refusals) if (refusal.pageId) names.of(refusal.pageId);
  sqlite.close();
  return [names];
}
