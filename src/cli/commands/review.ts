import type { Command } from "commander";
import { openMirror } from "../../mirror/open-mirror.ts";
import type { PropertyValue } from "../../notion/codec/index.ts";
import { naturalValue } from "../../notion/codec/index.ts";
import { readableDate } from "../../report/peoples-terms.ts";
import type { ReviewItem } from "../../report/review-list.ts";
import { renderReviewList } from "../../report/review-list.ts";
import { reviewNames } from "../../review/review-names.ts";
import type { DecisionResult } from "../../review/decide-flags.ts";
import { decideBySelectors } from "../../review/decide-flags.ts";
import type { ImportResult } from "../../review/import-decisions.ts";
import type { ProposalRow } from "../../review/proposals.ts";
import { currentDecider } from "../../review/proposals.ts";
import { exportProposals, importDecisions, reviewRules } from "../../review/review-file.ts";
import { countsLine, runReview } from "../../review/review-run.ts";
import { projectConfig } from "../context.ts";
import { renderImport } from "../render-import.ts";
import { reviewOnTerminal } from "../review-stepper.ts";
import { counted } from "../../util/plural.ts";

interface ReviewFlags {
  export?: string;
  import?: string;
  accept?: string[];
  reject?: string[];
  undecide?: string[];
  force?: boolean;
  list?: boolean;
  json?: boolean;
}

export function registerReviewCommand(program: Command): void {
  program
    .command("review")
    .description(
      "Step through a planned run's proposals for review on a terminal (or list them), export them to CSV or JSON for people to decide, import the decided file, or accept and reject them by rule, page or number; push sends only the accepted ones.",
    )
    .argument("<run-id>", "the planned run whose proposals to review")
    .option(
      "--export <file>",
      "write the proposals to FILE.csv or FILE.json, with a decision column (an existing FILE only with --force)",
    )
    .option("--force", "let --export replace an existing file")
    .option("--import <file>", "record the decisions of a file --export wrote (all rows or none)")
    .option(
      "--accept <rule|page|number...>",
      "accept the proposals of these rules, pages or numbers",
    )
    .option(
      "--reject <rule|page|number...>",
      "reject the proposals of these rules, pages or numbers",
    )
    .option(
      "--undecide <rule|page|number...>",
      "set the proposals of these rules, pages or numbers back to undecided",
    )
    .option("--list", "list the proposals and their decisions (the default without a terminal)")
    .option("--json", "print the proposals and their decisions as JSON")
    .action(async (runId: string, flags: ReviewFlags, command: Command) => {
      const mirror = openMirror(projectConfig(command).mirrorPath);
      try {
        const decider = currentDecider();
        let review = runReview(mirror, runId);
        /** What this invocation decided, for --json: the import's summary, the flags' counts. */
        const decided: { imported?: ReturnType<typeof importJson>; flags?: DecisionResult } = {};
        if (flags.import) {
          const done = importDecisions(mirror, review, flags.import, decider);
          process.stderr.write(renderImport(mirror, flags.import, done, decider.by));
          decided.imported = importJson(done, flags.import);
          review = runReview(mirror, runId);
        }
        if (flags.accept || flags.reject || flags.undecide) {
          const done = decideBySelectors(
            mirror,
            review,
            {
              accept: flags.accept ?? [],
              reject: flags.reject ?? [],
              undecide: flags.undecide ?? [],
            },
            decider,
          );
          decided.flags = done;
          process.stderr.write(
            `${done.accepted} accepted, ${done.rejected} rejected, ${flags.undecide ? `${done.undecided ?? 0} set back to undecided, ` : ""}${done.unchanged} already so (by ${decider.by}).\n`,
          );
          review = runReview(mirror, runId);
        }
        if (flags.export) {
          const written = exportProposals(mirror, review, flags.export, { force: flags.force });
          process.stderr.write(
            `Wrote ${counted(written, "proposal")} to ${flags.export}. Fill its decision column with accept or reject, then: notion-mirror review ${review.run.id} --import ${flags.export}\n`,
          );
        }
        const acted = Boolean(
          flags.import || flags.accept || flags.reject || flags.undecide || flags.export,
        );
        if (flags.json) {
          process.stdout.write(
            `${JSON.stringify({ runId: review.run.id, status: review.run.status, counts: review.counts, ...decided, rules: reviewRules(review), proposals: review.proposals.map(jsonProposal) }, null, 2)}\n`,
          );
        } else if (
          !acted &&
          !flags.list &&
          process.stdin.isTTY &&
          process.stderr.isTTY &&
          review.counts.forReview > 0
        ) {
          const done = await reviewOnTerminal(mirror, review, reviewItemOf, decider);
          if (done.ended)
            process.stderr.write(
              `\n${done.ended === "eof" ? "Input ended (Ctrl-D)" : "Interrupted (Ctrl-C)"}: quitting; the decisions made so far are kept.`,
            );
          // Ctrl-C still ends the command as an interruption does (130), its decisions kept.
          if (done.ended === "interrupt") process.exitCode = 130;
          process.stderr.write(
            `\n${done.accepted} accepted, ${done.rejected} rejected, ${done.skipped} skipped${done.quit ? " (quit)" : ""} (by ${decider.by}).\n`,
          );
          review = runReview(mirror, runId);
        } else if (!acted) {
          const items = review.proposals.map(reviewItemOf);
          const { pages, values } = reviewNames(mirror, review.proposals);
          process.stdout.write(renderReviewList(items, review.rules, pages, values));
        }
        process.stderr.write(
          `Run ${review.run.id} (${review.run.status}): ${countsLine(review.counts)}.${review.counts.accepted > 0 && review.run.status === "planned" ? ` Next: notion-mirror push ${review.run.id} (sends the planned changes and the ${review.counts.accepted} accepted).` : ""}\n`,
        );
      } finally {
        mirror.close();
      }
    });
}

function decisionText(row: ProposalRow): string | undefined {
  if (row.status === "for_review") return "for review";
  const when = row.decidedAt ? ` on ${readableDate(row.decidedAt)}` : "";
  const via =
    row.decidedVia === "carried"
      ? `, carried from ${row.carriedFromRun ? `run ${row.carriedFromRun}` : "an earlier plan"}`
      : row.decidedVia
        ? ` (${row.decidedVia})`
        : "";
  return `${row.status} by ${row.decidedBy ?? "?"}${when}${via}`;
}

function reviewItemOf(row: ProposalRow): ReviewItem {
  const before = row.beforeJson ? (JSON.parse(row.beforeJson) as unknown) : null;
  return {
    id: row.id,
    pageId: row.pageId,
    dataSourceId: row.dataSourceId,
    propertyName: row.propertyName,
    propertyType: row.propertyType,
    rule: row.rule,
    confidence: row.confidence,
    current: before ? naturalValue(before as PropertyValue) : null,
    proposed: row.naturalJson ? (JSON.parse(row.naturalJson) as unknown) : null,
    extra: row.extraJson ? (JSON.parse(row.extraJson) as Record<string, unknown>) : null,
    note: row.note,
    decision: decisionText(row),
    status: row.status,
  };
}

/** An import's summary as `--json` prints it: counts, and the rows it turned around or could not match. */
function importJson(done: ImportResult, file: string) {
  return {
    file,
    accepted: done.accepted,
    rejected: done.rejected,
    undecided: done.undecided,
    unchanged: done.unchanged,
    notInFile: done.notInFile,
    matchedFromEarlierPlan: done.matchedFromEarlierPlan,
    flips: done.flips.map((flip) => ({
      proposal: flip.proposal.id,
      pageId: flip.proposal.pageId,
      property: flip.proposal.propertyName,
      from: flip.from,
      to: flip.to,
    })),
    unmatched: done.unmatched,
  };
}

function jsonProposal(row: ProposalRow) {
  return {
    proposal: row.id,
    pageId: row.pageId,
    property: row.propertyName,
    rule: row.rule,
    confidence: row.confidence,
    proposed: row.naturalJson ? (JSON.parse(row.naturalJson) as unknown) : null,
    extra: row.extraJson ? (JSON.parse(row.extraJson) as unknown) : null,
    status: row.status,
    decidedBy: row.decidedBy,
    decidedAt: row.decidedAt,
    decidedVia: row.decidedVia,
  };
}
