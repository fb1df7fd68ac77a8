import { inArray } from "drizzle-orm";
import { NotionMirrorError } from "../errors.ts";
import type { Mirror } from "../mirror/open-mirror.ts";
import { reviewProposals } from "../mirror/schema.ts";
import { normalizeNotionId } from "../notion/codec/index.ts";
import { parseDecisionCell } from "./decision-words.ts";
import type { Decider, Decision, ProposalRow } from "./proposals.ts";
import { applyDecision } from "./proposals.ts";
import type { ImportedRow } from "./read-review-file.ts";
import { readReviewFile } from "./read-review-file.ts";
import type { ReviewFileFormat } from "./review-file-format.ts";
import { reviewFileFormat, valueCell } from "./review-file-format.ts";
import type { RunReview } from "./review-run.ts";
import { currentDecidableReview, requireDecidable } from "./review-run.ts";

/** A proposal whose decision the import turned around: accepted → rejected or the other way. */
export interface DecisionFlip {
  proposal: ProposalRow;
  from: "accepted" | "rejected";
  to: "accepted" | "rejected";
}

/** A decided row of a file from an earlier plan that matches no proposal of this run. */
export interface UnmatchedRow {
  where: string;
  pageId: string;
  property: string;
  rule: string;
  decision: Decision;
  /** "proposal gone …", "proposed value changed …" */
  reason: string;
}

/** What an import did. */
export interface ImportResult {
  accepted: number;
  rejected: number;
  /** Rows with an empty decision: those proposals were left as they were. */
  undecided: number;
  /** Rows whose decision the proposal already had. */
  unchanged: number;
  /** Decisions the import turned around (counted in accepted / rejected too). */
  flips: DecisionFlip[];
  /** Rows of an earlier plan matched to this run's proposals by page, property, rule and value. */
  matchedFromEarlierPlan: number;
  /** Decided rows of an earlier plan that match nothing here: listed, not applied. */
  unmatched: UnmatchedRow[];
  /** Proposals of the run no row names (left as they were). */
  notInFile: number;
  separator?: ";";
}

/**
 * `review --import FILE`: reads a decided proposals file and records its decisions, all or none.
 * Every row is checked first: it names a proposal (by `proposal`), once; its page and property,
 * when given, are that proposal's; its `proposed_value` was not edited (a decision accepts or
 * rejects the value as proposed); its decision is accept, reject or empty (undecided: left as it
 * is). A row of a file exported from an earlier plan (a proposal number of another run, or a JSON
 * file whose `run` is another) is matched to this run's proposal for the same page, property,
 * rule and proposed value; a decided row that matches none is listed with why (proposal gone,
 * proposed value changed) and not applied. Any bad row is a usage error listing every bad row,
 * and nothing is recorded. The checks and the writes are one write transaction, against the
 * run's proposals as they are in it (a push or another import that started since `review` was
 * read is seen, not overwritten).
 */
export function importDecisions(
  mirror: Mirror,
  review: RunReview,
  path: string,
  decider: Decider,
): ImportResult {
  requireDecidable(review);
  const format = reviewFileFormat(path, "--import");
  const file = readReviewFile(path, format);
  if (file.rows.length === 0 && review.proposals.length > 0)
    throw new NotionMirrorError(
      "usage",
      `${path} holds no proposal rows (${format === "csv" ? "only its header" : "an empty list"}); nothing was imported.`,
      `Try: notion-mirror review ${review.run.id} --export FILE --force, decide its rows (the decision column), and import it again.`,
    );
  const result = mirror.sqlite
    .transaction(() =>
      importRows(mirror, currentDecidableReview(mirror, review), file, { path, format }, decider),
    )
    .immediate();
  return file.separator === ";" ? { ...result, separator: ";" } : result;
}

/** The file's value as the run holds it (CSV: text as exported; JSON: the value itself). */
function fileValueMatches(fileValue: unknown, row: ProposalRow, format: ReviewFileFormat): boolean {
  const stored = row.naturalJson === null ? null : (JSON.parse(row.naturalJson) as unknown);
  if (format === "csv") return String(fileValue ?? "") === valueCell(row.naturalJson);
  return JSON.stringify(fileValue ?? null) === JSON.stringify(stored);
}

function cellText(value: unknown): string {
  return value === undefined || value === null ? "" : String(value).trim();
}

/** Proposals of other runs the file's numbers name: the file was exported from an earlier plan. */
function proposalsElsewhere(
  mirror: Mirror,
  runId: string,
  ids: number[],
): Map<number, ProposalRow> {
  if (ids.length === 0) return new Map();
  const rows = mirror.db
    .select()
    .from(reviewProposals)
    .where(inArray(reviewProposals.id, ids))
    .all();
  return new Map(rows.filter((row) => row.runId !== runId).map((row) => [row.id, row]));
}

/** {@link importDecisions}' checks and writes, inside its transaction. */
function importRows(
  mirror: Mirror,
  review: RunReview,
  file: { rows: readonly ImportedRow[]; run?: string },
  where: { path: string; format: ReviewFileFormat },
  decider: Decider,
): ImportResult {
  const { path, format } = where;
  const byId = new Map(review.proposals.map((row) => [row.id, row]));
  const parsedIds = file.rows.map(({ cells }) => {
    const raw = cells.proposal;
    const text = cellText(raw).replace(/^#/, "");
    const id = typeof raw === "number" ? raw : Number(text);
    return Number.isInteger(id) && text !== "" ? id : undefined;
  });
  const elsewhere = proposalsElsewhere(
    mirror,
    review.run.id,
    parsedIds.filter((id): id is number => id !== undefined && !byId.has(id)),
  );
  const fileFromOtherRun = file.run !== undefined && file.run !== review.run.id;
  const firstSeen = new Map<number, string>();
  const problems: string[] = [];
  const decisions: Array<{ row: ProposalRow; decision: Decision }> = [];
  const unmatched: UnmatchedRow[] = [];
  let undecided = 0;
  let matchedFromEarlierPlan = 0;
  for (const [index, { where: at, cells }] of file.rows.entries()) {
    const id = parsedIds[index];
    if (id === undefined) {
      problems.push(
        `${at}: "proposal" ${JSON.stringify(cells.proposal ?? "")} is not a proposal number`,
      );
      continue;
    }
    const decided = parseDecisionCell(cells.decision);
    if ("problem" in decided) {
      problems.push(`${at}: ${decided.problem}`);
      continue;
    }
    const edits = (row: ProposalRow): string[] => {
      const found: string[] = [];
      const page = cellText(cells.page_id);
      if (page !== "" && normalizeNotionId(page) !== row.pageId)
        found.push(`${at}: proposal ${row.id} is for page ${row.pageId}, the file says ${page}`);
      const property = cellText(cells.property);
      if (property !== "" && property !== row.propertyName)
        found.push(
          `${at}: proposal ${row.id} fills ${row.propertyName}, the file says ${property}`,
        );
      if ("proposed_value" in cells && !fileValueMatches(cells.proposed_value, row, format))
        found.push(
          `${at}: proposal ${row.id}'s proposed_value was edited (file: ${JSON.stringify(cells.proposed_value)}, run: ${valueCell(row.naturalJson)}); a decision accepts or rejects the value as proposed`,
        );
      return found;
    };
    let target = byId.get(id);
    if (target) {
      const found = edits(target);
      if (found.length > 0) {
        problems.push(...found);
        continue;
      }
    } else {
      const earlier = elsewhere.get(id);
      if (!earlier && !fileFromOtherRun) {
        problems.push(`${at}: proposal ${id} is not a proposal of run ${review.run.id}`);
        continue;
      }
      if (earlier) {
        const found = edits(earlier);
        if (found.length > 0) {
          problems.push(...found);
          continue;
        }
      }
      const key = earlier
        ? {
            pageId: earlier.pageId,
            property: earlier.propertyName,
            rule: earlier.rule,
            value: valueCell(earlier.naturalJson),
          }
        : {
            pageId: normalizeNotionId(cellText(cells.page_id)) ?? "",
            property: cellText(cells.property),
            rule: cellText(cells.rule),
            value: undefined,
          };
      if (!earlier && (key.pageId === "" || key.property === "" || key.rule === "")) {
        problems.push(
          `${at}: proposal ${id} is of another plan and the row lacks its page_id, property or rule to match it by`,
        );
        continue;
      }
      const now = review.proposals.find(
        (row) => row.pageId === key.pageId && row.propertyName === key.property,
      );
      const sameValue = now
        ? key.value !== undefined
          ? valueCell(now.naturalJson) === key.value
          : !("proposed_value" in cells) || fileValueMatches(cells.proposed_value, now, format)
        : false;
      const reason = !now
        ? `proposal gone: run ${review.run.id} proposes nothing for this page's ${key.property}`
        : now.rule !== key.rule
          ? `proposed by another rule now (${now.rule})`
          : !sameValue
            ? `proposed value changed: the file's ${key.value ?? cellText(cells.proposed_value)}, now ${valueCell(now.naturalJson)}`
            : undefined;
      if (reason !== undefined || !now) {
        if (decided.decision === null) undecided += 1;
        else
          unmatched.push({
            where: at,
            pageId: key.pageId,
            property: key.property,
            rule: key.rule,
            decision: decided.decision,
            reason: reason ?? "proposal gone",
          });
        continue;
      }
      target = now;
      matchedFromEarlierPlan += 1;
    }
    const first = firstSeen.get(target.id);
    if (first) {
      problems.push(`${at}: proposal ${target.id} is listed again (first at ${first})`);
      continue;
    }
    firstSeen.set(target.id, at);
    if (decided.decision === null) undecided += 1;
    else decisions.push({ row: target, decision: decided.decision });
  }
  if (problems.length > 0) {
    const shown = problems.slice(0, 20);
    throw new NotionMirrorError(
      "usage",
      `${path}: ${problems.length} bad row${problems.length === 1 ? "" : "s"}; nothing was imported.\n  ${shown.join("\n  ")}${problems.length > shown.length ? `\n  … and ${problems.length - shown.length} more` : ""}`,
      "Fix these rows (or export the proposals again) and import the file again. To fill another value than the one proposed, write a rule for it.",
    );
  }
  const result: ImportResult = {
    accepted: 0,
    rejected: 0,
    undecided,
    unchanged: 0,
    flips: [],
    matchedFromEarlierPlan,
    unmatched,
    notInFile: review.proposals.filter((row) => !firstSeen.has(row.id)).length,
  };
  for (const { row, decision } of decisions) {
    if (!applyDecision(mirror, row, decision, "import", decider)) {
      result.unchanged += 1;
      continue;
    }
    if (decision === "accept") result.accepted += 1;
    else result.rejected += 1;
    if (row.status !== "for_review")
      result.flips.push({
        proposal: row,
        from: row.status,
        to: decision === "accept" ? "accepted" : "rejected",
      });
  }
  return result;
}
