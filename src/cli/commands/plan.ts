import type { Command } from "commander";
import { Option } from "commander";
import { planRun } from "../../fill/plan-run.ts";
import type { Confidence } from "../../fill/rule-file.ts";
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
          process.stdout.write(renderPlanNotes(plan));
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
