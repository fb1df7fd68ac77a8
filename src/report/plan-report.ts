import { diffWords } from "diff";
import { paint } from "./paint.ts";
import type { Plan, PlannedChange } from "../fill/plan-types.ts";
import { naturalValue } from "../notion/codec/index.ts";
import type { PropertyValue } from "../notion/codec/index.ts";
import type { PageNames } from "./page-names.ts";
import { pageNameText } from "./page-names.ts";
import { valueInPeoplesTerms } from "./peoples-terms.ts";
import type { ValueNames } from "./value-names.ts";
import { valueText } from "./value-text.ts";
import { counted } from "../util/plural.ts";

const TEXT_TYPES = new Set(["title", "rich_text", "url", "email", "phone_number"]);

/** The one-line summary: "5 fields to fill on 5 pages; 0 protected; 49 for review". */
export function planSummaryLine(plan: Plan): string {
  const pages = new Set(plan.changes.map((change) => change.pageId)).size;
  const parts = [
    `${counted(plan.changes.length, "field")} to fill on ${counted(pages, "page")}`,
    `${plan.protected.length} protected`,
    `${plan.review.length} for review`,
  ];
  if (plan.refusals.length > 0) parts.push(`${plan.refusals.length} refused`);
  return parts.join("; ");
}

/**
 * Per page, a diff of the properties the plan fills, like a plan/apply tool shows it. With
 * `names`, related pages and people are shown by title and name (id after) and dates readably.
 */
export function renderPlanDiff(changes: readonly PlannedChange[], names?: ValueNames): string {
  const byPage = new Map<string, PlannedChange[]>();
  for (const change of changes) {
    const list = byPage.get(change.pageId) ?? [];
    list.push(change);
    byPage.set(change.pageId, list);
  }
  const blocks: string[] = [];
  for (const [pageId, list] of byPage) {
    const first = list[0];
    if (!first) continue;
    const lines = [
      `${paint().yellow("~")} ${first.alias} / ${first.pageTitle || "(untitled)"} ${paint().dim(pageId)}`,
    ];
    for (const change of list) {
      const before = change.before
        ? valueText(naturalValue(change.before as PropertyValue))
        : "(empty)";
      const after = names
        ? valueInPeoplesTerms(change.propertyType, change.natural, names)
        : valueText(change.natural);
      const shown = TEXT_TYPES.has(change.propertyType)
        ? wordDiff(before === "(empty)" ? "" : before, after)
        : `${paint().dim(before)} → ${paint().green(after)}`;
      lines.push(
        `    ${change.propertyName}: ${shown}  ${paint().dim(`[${change.rule}, ${change.confidence}]`)}`,
      );
      if (change.note) lines.push(`      ${paint().dim(`note: ${change.note}`)}`);
    }
    blocks.push(lines.join("\n"));
  }
  return blocks.length > 0 ? `${blocks.join("\n")}\n` : "";
}

function wordDiff(before: string, after: string): string {
  return diffWords(before, after)
    .map((part) =>
      part.added
        ? paint().green(`+${part.value}`)
        : part.removed
          ? paint().red(`-${part.value}`)
          : part.value,
    )
    .join("");
}

const SHOWN_VALUE = 80;

/**
 * A refused value as the rule returned it: JSON (so "12" and 12, or NULL and "", stay apart),
 * cut to 80 characters so that a 200,000-character text does not flood the terminal.
 */
function refusedValue(value: unknown): string {
  if (value === null || value === undefined) return "NULL";
  const text =
    typeof value === "number" && !Number.isFinite(value) ? String(value) : JSON.stringify(value);
  return text.length > SHOWN_VALUE
    ? `${text.slice(0, SHOWN_VALUE)}… (${text.length} characters)`
    : text;
}

/**
 * Review items and refusals, grouped by rule, with counts. With `names`, a refused page is named
 * by its database and title (then its id), as the diff names planned pages.
 */
export function renderPlanNotes(plan: Plan, names?: PageNames): string {
  const pageOf = (pageId: string | null | undefined) =>
    pageId === null || pageId === undefined
      ? "page ?"
      : names
        ? `${pageNameText(names.of(pageId))} ${paint().dim(pageId)}`
        : `page ${pageId}`;
  const lines: string[] = [];
  for (const rule of plan.rules.filter((outcome) => outcome.forReview > 0)) {
    lines.push(
      `for review: ${rule.forReview} × ${rule.target} from ${rule.rule} (${rule.confidence} confidence${rule.description ? `: ${rule.description}` : ""})`,
    );
  }
  for (const refusal of plan.refusals) {
    lines.push(
      `${paint().red("refused")}: rule ${refusal.rule}, ${pageOf(refusal.pageId)}, value ${refusedValue(refusal.value)}: ${refusal.reason}`,
    );
  }
  for (const rule of plan.rules.filter((outcome) => outcome.truncated)) {
    lines.push(
      `${paint().yellow("cut")}: rule ${rule.rule} returned more rows than the limit; only the first ${rule.rows} were read`,
    );
  }
  return lines.length > 0 ? `${lines.join("\n")}\n` : "";
}
