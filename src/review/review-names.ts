import type { Mirror } from "../mirror/open-mirror.ts";
import type { PageNames } from "../report/page-names.ts";
import { listedIds } from "../report/peoples-terms.ts";
import { pageNames } from "../report/page-names.ts";
import type { ValueNames } from "../report/value-names.ts";
import { valueNames } from "../report/value-names.ts";
import type { ProposalRow } from "./proposals.ts";

/**
 * Names for showing `rows` in people's terms, read up front: every proposal's page and every page
 * a proposed relation links to, each set in one statement, so that listing or exporting hundreds
 * of proposals asks the mirror a handful of questions rather than one per row. (People are named
 * per distinct person, when first shown.)
 *
 * @example const { pages, values } = reviewNames(mirror, review.proposals);
 */
export function reviewNames(
  mirror: Mirror,
  rows: readonly ProposalRow[],
): { pages: PageNames; values: ValueNames } {
  const pages = pageNames(mirror.sqlite, new Map());
  const values = valueNames(mirror.sqlite);
  pages.learn(rows.map((row) => row.pageId));
  values.learnPages?.(
    rows
      .filter((row) => row.propertyType === "relation")
      .flatMap((row) => listedIds(JSON.parse(row.naturalJson ?? "null") as unknown)),
  );
  return { pages, values };
}
