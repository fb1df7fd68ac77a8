import { readFileSync } from "node:fs";
import { extname } from "node:path";
import { NotionMirrorError } from "../errors.ts";
import type { Mirror } from "../mirror/open-mirror.ts";
import type { PropertyValue } from "../notion/codec/index.ts";
import { naturalValue, normalizeNotionId } from "../notion/codec/index.ts";
import { valueInPeoplesTerms } from "../report/peoples-terms.ts";
import { replaceFile } from "../snapshot/replace-file.ts";
import { checkOutputFile } from "../util/path-checks.ts";
import { parseCsv, writeCsv } from "./csv.ts";
import type { DecisionResult } from "./decide-flags.ts";
import type { Decider, Decision, ProposalRow } from "./proposals.ts";
import { applyDecision } from "./proposals.ts";
import type { RunReview } from "./review-run.ts";
import { reviewNames } from "./review-names.ts";
import { currentDecidableReview, requireDecidable } from "./review-run.ts";

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

export type ReviewFileFormat = "csv" | "json";

/** The byte-order mark that tells a spreadsheet a CSV file is UTF-8. */
const EXCEL_UTF8 = "\uFEFF";

/** The format a file's name asks for: `.csv` or `.json`; a usage error otherwise. */
export function reviewFileFormat(path: string, flag: string): ReviewFileFormat {
  const ext = extname(path).toLowerCase();
  if (ext === ".csv") return "csv";
  if (ext === ".json") return "json";
  throw new NotionMirrorError(
    "usage",
    `${flag} ${path}: the file name must end in .csv or .json (the format is taken from it).`,
    `Try: ${flag} proposals.csv`,
  );
}

/** The value a proposal puts, as the file carries it: text as it is, anything else as JSON. */
function valueCell(naturalJson: string | null): string {
  const value = naturalJson === null ? null : (JSON.parse(naturalJson) as unknown);
  return typeof value === "string" ? value : JSON.stringify(value);
}

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
 * `--import` back. A CSV file is UTF-8 with a byte-order mark, as spreadsheets expect. The file is replaced whole (never half-written). Returns how many were written.
 */
export function exportProposals(mirror: Mirror, review: RunReview, path: string): number {
  const format = reviewFileFormat(path, "--export");
  const checked = checkOutputFile(path, "--export");
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

/** One row of an imported file: its line or position for messages, and its cells. */
interface ImportedRow {
  where: string;
  cells: Record<string, unknown>;
}

function readRows(path: string, format: ReviewFileFormat): ImportedRow[] {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (error) {
    throw new NotionMirrorError(
      "usage",
      `Cannot read ${path}: ${(error as NodeJS.ErrnoException).code ?? String(error)}.`,
      "Try: --import with the file --export wrote (and people decided).",
    );
  }
  const bad = (why: string) =>
    new NotionMirrorError(
      "usage",
      `${path} is not a proposals file: ${why}. Nothing was imported.`,
      "Try: notion-mirror review RUN --export FILE, and import the file it writes once decided.",
    );
  if (format === "json") {
    let parsed: unknown;
    try {
      // A byte-order mark, as some editors save one, is not part of the JSON.
      parsed = JSON.parse(text.startsWith(EXCEL_UTF8) ? text.slice(1) : text) as unknown;
    } catch (error) {
      throw bad(`it is not valid JSON (${(error as Error).message})`);
    }
    const list = Array.isArray(parsed)
      ? parsed
      : parsed &&
          typeof parsed === "object" &&
          Array.isArray((parsed as { proposals?: unknown }).proposals)
        ? (parsed as { proposals: unknown[] }).proposals
        : undefined;
    if (!list) throw bad('it holds neither a list of proposals nor an object with "proposals"');
    return list.map((item, index) => {
      if (!item || typeof item !== "object" || Array.isArray(item))
        throw bad(`proposals[${index}] is not an object`);
      return { where: `proposals[${index}]`, cells: item as Record<string, unknown> };
    });
  }
  let records: string[][];
  try {
    records = parseCsv(text);
  } catch (error) {
    throw bad((error as Error).message);
  }
  const [header, ...body] = records;
  if (!header) throw bad("it is empty");
  for (const needed of ["proposal", "decision"])
    if (!header.includes(needed)) throw bad(`its header has no "${needed}" column`);
  return body.map((record, index) => ({
    where: `row ${index + 2}`,
    cells: Object.fromEntries(header.map((column, at) => [column, record[at] ?? ""])),
  }));
}

function parseDecision(raw: unknown): Decision | null | undefined {
  if (raw === null || raw === undefined) return null;
  const text = String(raw).trim().toLowerCase();
  if (text === "") return null;
  if (["accept", "accepted", "yes", "y"].includes(text)) return "accept";
  if (["reject", "rejected", "no", "n"].includes(text)) return "reject";
  return undefined;
}

/** Whether the file's value is the one proposed: text compared as it is, anything else as JSON. */
function sameValue(fileValue: unknown, row: ProposalRow, format: ReviewFileFormat): boolean {
  const stored = row.naturalJson === null ? null : (JSON.parse(row.naturalJson) as unknown);
  if (format === "csv") return String(fileValue ?? "") === valueCell(row.naturalJson);
  return JSON.stringify(fileValue ?? null) === JSON.stringify(stored);
}

/**
 * `review --import FILE`: reads a decided proposals file and records its decisions, all or none.
 * Every row is checked first: it names a proposal of this run (by `proposal`), once; its page and
 * property, when given, are that proposal's; its `proposed_value` was not edited (a decision
 * accepts or rejects the value as proposed); its decision is accept, reject or empty (undecided:
 * left as it is). Any bad row is a usage error listing every bad row, and nothing is recorded.
 * Otherwise the decisions are recorded with `decider`. The checks and the writes are one write
 * transaction, against the run's proposals as they are in it (a push or another import that
 * started since `review` was read is seen, not overwritten).
 */
export function importDecisions(
  mirror: Mirror,
  review: RunReview,
  path: string,
  decider: Decider,
): DecisionResult & { undecided: number } {
  requireDecidable(review);
  const format = reviewFileFormat(path, "--import");
  const rows = readRows(path, format);
  // Checked and recorded in one write transaction, against the proposals as they are in it.
  return mirror.sqlite
    .transaction(() =>
      importRows(mirror, currentDecidableReview(mirror, review), rows, { path, format }, decider),
    )
    .immediate();
}

/** {@link importDecisions}' checks and writes, inside its transaction. */
function importRows(
  mirror: Mirror,
  review: RunReview,
  rows: readonly ImportedRow[],
  file: { path: string; format: ReviewFileFormat },
  decider: Decider,
): DecisionResult & { undecided: number } {
  const { path, format } = file;
  const byId = new Map(review.proposals.map((row) => [row.id, row]));
  const firstSeen = new Map<number, string>();
  const problems: string[] = [];
  const decisions: Array<{ row: ProposalRow; decision: Decision }> = [];
  let undecided = 0;
  for (const { where, cells } of rows) {
    const rawId = cells.proposal;
    const id =
      typeof rawId === "number"
        ? rawId
        : Number(
            String(rawId ?? "")
              .trim()
              .replace(/^#/, ""),
          );
    if (!Number.isInteger(id) || String(rawId ?? "").trim() === "") {
      problems.push(`${where}: "proposal" ${JSON.stringify(rawId ?? "")} is not a proposal number`);
      continue;
    }
    const row = byId.get(id);
    if (!row) {
      problems.push(`${where}: proposal ${id} is not a proposal of run ${review.run.id}`);
      continue;
    }
    const earlier = firstSeen.get(id);
    if (earlier) {
      problems.push(`${where}: proposal ${id} is listed again (first at ${earlier})`);
      continue;
    }
    firstSeen.set(id, where);
    const page = cells.page_id;
    if (page !== undefined && page !== "" && normalizeNotionId(String(page)) !== row.pageId)
      problems.push(
        `${where}: proposal ${id} is for page ${row.pageId}, the file says ${String(page)}`,
      );
    const property = cells.property;
    if (property !== undefined && property !== "" && String(property) !== row.propertyName)
      problems.push(
        `${where}: proposal ${id} fills ${row.propertyName}, the file says ${String(property)}`,
      );
    if ("proposed_value" in cells && !sameValue(cells.proposed_value, row, format))
      problems.push(
        `${where}: proposal ${id}'s proposed_value was edited (file: ${JSON.stringify(cells.proposed_value)}, run: ${valueCell(row.naturalJson)}); a decision accepts or rejects the value as proposed`,
      );
    const decision = parseDecision(cells.decision);
    if (decision === undefined) {
      problems.push(
        `${where}: decision ${JSON.stringify(cells.decision)} is not accept, reject or empty`,
      );
      continue;
    }
    if (decision === null) undecided += 1;
    else decisions.push({ row, decision });
  }
  if (problems.length > 0) {
    const shown = problems.slice(0, 20);
    throw new NotionMirrorError(
      "usage",
      `${path}: ${problems.length} bad row${problems.length === 1 ? "" : "s"}; nothing was imported.\n  ${shown.join("\n  ")}${problems.length > shown.length ? `\n  … and ${problems.length - shown.length} more` : ""}`,
      "Fix these rows (or export the proposals again) and import the file again. To fill another value than the one proposed, write a rule for it.",
    );
  }
  const result = { accepted: 0, rejected: 0, unchanged: 0, undecided };
  for (const { row, decision } of decisions) {
    if (applyDecision(mirror, row, decision, "import", decider)) {
      if (decision === "accept") result.accepted += 1;
      else result.rejected += 1;
    } else result.unchanged += 1;
  }
  return result;
}
