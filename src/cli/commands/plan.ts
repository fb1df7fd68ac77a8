import type { Command } from "commander";
import { Option } from "commander";
import { planRun } from "../../fill/plan-run.ts";
import type { Confidence } from "../../fill/rule-file.ts";
import { openMirrorReadOnly } from "../../mirror/open-read-only.ts";
import type { PlannedChange } from "../../fill/plan-types.ts";
import type { PropertyValue } from "../../notion/codec/index.ts";
import { naturalValue } from "../../notion/codec/index.ts";
import { pageNames } from "../../report/page-names.ts";
import type { ReviewItem } from "../../report/review-list.ts";
import { renderReviewList } from "../../report/review-list.ts";
import { valueNames } from "../../report/value-names.ts";
import { counted } from "../../util/plural.ts";
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
        const { runId, plan, carriedDecisions } = await planRun(config, {
          rules,
          minConfidence: flags.minConfidence,
        });
        if (flags.json) {
          process.stdout.write(
            `${JSON.stringify({ runId, summary: planSummaryLine(plan), ...plan }, null, 2)}\n`,
          );
        } else {
          const sqlite = openMirrorReadOnly(config.mirrorPath);
          try {
            const names = pageNames(sqlite, new Map());
            const values = valueNames(sqlite);
            process.stdout.write(renderPlanDiff(plan.changes, values));
            process.stdout.write(
              renderReviewList(plan.review.map(reviewItemOf), plan.rules, names, values),
            );
            process.stdout.write(renderPlanNotes(plan, names));
          } finally {
            sqlite.close();
          }
          process.stdout.write(`${planSummaryLine(plan)}\n`);
          if (carriedDecisions)
            process.stderr.write(
              `${counted(carriedDecisions, "decision")} carried over from earlier plans to unchanged proposals.\n`,
            );
          process.stdout.write(
            !runId ? "Nothing to fill: no run planned.\n" : `Planned run ${runId}.\n`,
          );
          if (runId)
            process.stderr.write(
              plan.review.length > 0
                ? `Next: notion-mirror review ${runId} (decide the ${plan.review.length} proposals), then notion-mirror push ${runId}\n`
                : `Next: notion-mirror push ${runId}\n`,
            );
        }
        if (plan.refusals.length > 0) process.exitCode = 3;
      },
    );
}

/** A plan's review item as the review listing shows it. */
function reviewItemOf(item: PlannedChange): ReviewItem {
  return {
    pageId: item.pageId,
    dataSourceId: item.dataSourceId,
    propertyName: item.propertyName,
    propertyType: item.propertyType,
    rule: item.rule,
    confidence: item.confidence,
    current: item.before ? naturalValue(item.before as PropertyValue) : null,
    proposed: item.natural,
    extra: item.extra,
    note: item.note,
  };
}
