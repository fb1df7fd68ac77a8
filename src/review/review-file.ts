import { NotionMirrorError } from "../errors.ts";
import type { Mirror } from "../mirror/open-mirror.ts";
import type { PropertyValue } from "../notion/codec/index.ts";
import { naturalValue } from "../notion/codec/index.ts";
import { valueInPeoplesTerms } from "../report/peoples-terms.ts";
import { replaceFile } from "../snapshot/replace-file.ts";
import { checkOutputFile } from "../util/path-checks.ts";
import { writeCsv } from "./csv.ts";
import type { ProposalRow } from "./proposals.ts";
import { EXCEL_UTF8, reviewFileFormat, valueCell } from "./review-file-format.ts";
import type { RunReview } from "./review-run.ts";
import { reviewNames } from "./review-names.ts";

/** The columns every exported proposal has, in order; the rules' extra columns follow `proposed_value`. */
const LEADING = [
  "proposal",
  "rule",
  "confidence",
  "rule_description",
  "database",
  "page_id",
  "page",
  "property",
  "current",
  "proposed",
  "proposed_value",
] as const;
const TRAILING = ["decision", "decided_by", "decided_at"] as const;

function decisionCell(row: ProposalRow): string {
  return row.status === "accepted" ? "accept" : row.status === "rejected" ? "reject" : "";
}

/** One exported record per proposal, keys in column order. */
function exportRecords(
  mirror: Mirror,
  review: RunReview,
): {
  columns: string[];
  records: Array<Record<string, unknown>>;
} {
  const { pages, values } = reviewNames(mirror, review.proposals);
  const extraNames: string[] = [];
  const extras = review.proposals.map((row) => {
    const extra = row.extraJson ? (JSON.parse(row.extraJson) as Record<string, unknown>) : {};
    for (const name of Object.keys(extra)) if (!extraNames.includes(name)) extraNames.push(name);
    return extra;
  });
  const descriptions = new Map(review.rules.map((rule) => [rule.rule, rule.description]));
  const reserved = new Set<string>([...LEADING, ...TRAILING]);
  const extraColumn = (name: string) => (reserved.has(name) ? `extra_${name}` : name);
  const columns = [...LEADING, ...extraNames.map(extraColumn), ...TRAILING];
  const records = review.proposals.map((row, index) => {
    const name = pages.of(row.pageId, row.dataSourceId);
    const before = row.beforeJson ? (JSON.parse(row.beforeJson) as unknown) : null;
    const natural = row.naturalJson ? (JSON.parse(row.naturalJson) as unknown) : null;
    const record: Record<string, unknown> = {
      proposal: row.id,
      rule: row.rule,
      confidence: row.confidence,
      rule_description: descriptions.get(row.rule) ?? "",
      database: name.database,
      page_id: row.pageId,
      page: name.title,
      property: row.propertyName,
      current: valueInPeoplesTerms(
        row.propertyType,
        before ? naturalValue(before as PropertyValue) : null,
        values,
      ),
      proposed: valueInPeoplesTerms(row.propertyType, natural, values),
      proposed_value: natural,
    };
    for (const extraName of extraNames)
      record[extraColumn(extraName)] = extras[index]?.[extraName] ?? null;
    record.decision = decisionCell(row);
    record.decided_by = row.decidedBy;
    record.decided_at = row.decidedAt;
    return record;
  });
  return { columns, records };
}

/**
 * The rules that made the run's proposals, each once: what it fills, its confidence and its
 * description (what a person deciding needs to know about it), in plan order.
 */
export function reviewRules(
  review: RunReview,
): Array<{ rule: string; target: string; confidence: string; description: string }> {
  const used = new Set(review.proposals.map((row) => row.rule));
  return review.rules
    .filter((rule) => used.has(rule.rule))
    .map(({ rule, target, confidence, description }) => ({
      rule,
      target,
      confidence,
      description,
    }));
}

/** A cell as CSV text: text as it is, NULL as nothing, anything else as JSON. */
function csvText(value: unknown): string {
  if (value === null || value === undefined) return "";
  return typeof value === "string" ? value : JSON.stringify(value);
}

/**
 * `review --export FILE`: writes the run's proposals to FILE (.csv or .json) with a `decision`
 * column holding each one's decision so far (accept, reject, or empty), for people to fill in and
 * `--import` back. A CSV file is UTF-8 with a byte-order mark, as spreadsheets expect, and every
 * cell is spreadsheet-safe (see `csv.ts`). An existing FILE (perhaps one people are deciding) is a
 * usage error unless `force`. The file is written aside, created 0600 as every file the project
 * writes, and renamed into place (never half-written). Returns how many were written.
 */
export function exportProposals(
  mirror: Mirror,
  review: RunReview,
  path: string,
  options: { force?: boolean } = {},
): number {
  const format = reviewFileFormat(path, "--export");
  const checked = checkOutputFile(path, "--export");
  if (checked.stats && !options.force)
    throw new NotionMirrorError(
      "usage",
      `${checked.shown} already exists; it was left as it is (it may hold decisions not imported yet).`,
      `Try: --import ${path} first if it holds decisions, then --export it again with --force to replace it (or --export another file name).`,
    );
  const { columns, records } = exportRecords(mirror, review);
  const text =
    format === "csv"
      ? // The byte-order mark makes spreadsheets (Excel) read the file as UTF-8, so that titles
        // such as "Atlas — Discovery" reach the people deciding intact; --import drops it.
        EXCEL_UTF8 +
        writeCsv(
          columns,
          records.map((record) =>
            columns.map((column) =>
              column === "proposed_value"
                ? valueCell(JSON.stringify(record[column] ?? null))
                : csvText(record[column]),
            ),
          ),
        )
      : `${JSON.stringify({ run: review.run.id, rules: reviewRules(review), proposals: records }, null, 2)}\n`;
  replaceFile(checked.real, text);
  return records.length;
}

export { importDecisions } from "./import-decisions.ts";
