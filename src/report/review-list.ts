import { paint } from "./paint.ts";
import type { PageNames } from "./page-names.ts";
import { pageNameText } from "./page-names.ts";
import { extraText, valueInPeoplesTerms } from "./peoples-terms.ts";
import type { ValueNames } from "./value-names.ts";

/** One proposal as a person reviews it: the plan's review items and a run's stored proposals. */
export interface ReviewItem {
  /** The proposal's number in its run (absent before the run is recorded). */
  id?: number;
  pageId: string;
  dataSourceId: string;
  propertyName: string;
  propertyType: string;
  rule: string;
  confidence: string;
  /** Natural values: the current one (null: empty) and the one proposed. */
  current: unknown;
  proposed: unknown;
  extra?: Record<string, unknown> | null;
  note?: string | null;
  /** "for review", "accepted by ana on 2 Dec 2026 06:40 UTC" … (absent: not decided yet). */
  decision?: string;
  /** The stored proposal's status, shown as its mark: ✓ accepted, ✗ rejected, ? for review. */
  status?: "for_review" | "accepted" | "rejected";
}

/**
 * Items in the order the listing shows them: grouped by rule (rules in the order they first
 * appear), each rule's items in their own order. The terminal review steps through proposals in
 * this order too, so its "proposal 3 of 16" walks down the listing.
 */
export function listingOrder<T extends { rule: string }>(items: readonly T[]): T[] {
  const byRule = new Map<string, T[]>();
  for (const item of items) byRule.set(item.rule, [...(byRule.get(item.rule) ?? []), item]);
  return [...byRule.values()].flat();
}

/** ✓ accepted (green), ✗ rejected (red), ? for review or not stored yet (cyan). */
function mark(status: ReviewItem["status"]): string {
  if (status === "accepted") return paint().green("✓");
  if (status === "rejected") return paint().red("✗");
  return paint().cyan("?");
}

/** What the listing says about each rule, once, above its proposals. */
export interface ReviewRule {
  rule: string;
  target: string;
  confidence: string;
  description: string;
}

/**
 * The proposals grouped by rule (the rule's target, confidence and description once), each as
 * its page's name, the current and proposed value in people's terms, the rule's extra columns and
 * its decision. Empty text for no proposals.
 */
export function renderReviewList(
  items: readonly ReviewItem[],
  rules: readonly ReviewRule[],
  pages: PageNames,
  values: ValueNames,
): string {
  const byRule = new Map<string, ReviewItem[]>();
  for (const item of items) byRule.set(item.rule, [...(byRule.get(item.rule) ?? []), item]);
  const blocks: string[] = [];
  for (const [ruleName, list] of byRule) {
    const rule = rules.find((candidate) => candidate.rule === ruleName);
    const lines = [
      paint().bold(
        `review: ${ruleName}${rule ? ` → ${rule.target} (${rule.confidence} confidence)` : ""}, ${list.length} proposal${list.length === 1 ? "" : "s"}`,
      ),
    ];
    if (rule?.description) lines.push(`  ${paint().dim(rule.description)}`);
    for (const item of list) {
      const name = pageNameText(pages.of(item.pageId, item.dataSourceId));
      lines.push(
        `${mark(item.status)} ${item.id !== undefined ? `#${item.id} ` : ""}${name} ${paint().dim(item.pageId)}`,
      );
      const current = valueInPeoplesTerms(item.propertyType, item.current, values);
      const proposed = valueInPeoplesTerms(item.propertyType, item.proposed, values);
      lines.push(
        `    ${item.propertyName}: ${paint().dim(current)} → ${paint().green(proposed)}  ${paint().dim(`[${item.rule}, ${item.confidence}]`)}`,
      );
      const extra = extraText(item.extra);
      if (extra) lines.push(`      ${extra}`);
      if (item.note) lines.push(`      ${paint().dim(`note: ${item.note}`)}`);
      if (item.decision) lines.push(`      ${item.decision}`);
    }
    blocks.push(lines.join("\n"));
  }
  return blocks.length > 0 ? `${blocks.join("\n")}\n` : "";
}
