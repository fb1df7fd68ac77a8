import { snakeCase } from "../util/snake-case.ts";

/** Columns every view starts with, before the property columns. */
export const PAGE_COLUMNS = [
  "page_id",
  "url",
  "created_time",
  "last_edited_time",
  "in_trash",
] as const;

/**
 * Gives each property its column names, unique within the view (case-insensitively, as SQLite
 * compares them) and never clashing with the page columns. `parts` lists the suffixes a property
 * needs beyond its main column (dates add `_end`). Deterministic: properties are taken in the
 * order given, and a clash gets `_2`, `_3` … on the later one.
 */
export function assignColumnNames(
  items: ReadonlyArray<{ key: string; name: string; extraSuffixes: readonly string[] }>,
): Map<string, string> {
  const taken = new Set<string>(PAGE_COLUMNS);
  const result = new Map<string, string>();
  for (const item of items) {
    const base = snakeCase(item.name);
    let candidate = base;
    for (let n = 2; !fits(candidate, item.extraSuffixes, taken); n += 1) candidate = `${base}_${n}`;
    taken.add(candidate);
    for (const suffix of item.extraSuffixes) taken.add(`${candidate}${suffix}`);
    result.set(item.key, candidate);
  }
  return result;
}

function fits(candidate: string, suffixes: readonly string[], taken: ReadonlySet<string>): boolean {
  return !taken.has(candidate) && suffixes.every((suffix) => !taken.has(`${candidate}${suffix}`));
}

/** An identifier quoted for SQL, whatever it holds. */
export function quoteIdentifier(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

/** A string quoted as an SQL literal. */
export function quoteLiteral(text: string): string {
  return `'${text.replaceAll("'", "''")}'`;
}
