import type Database from "better-sqlite3";

/**
 * SQL functions for matching rules, registered in the rule sandbox (and nowhere that writes):
 *
 * - `norm_text(text)`: lower case, accents removed, every run of characters other than letters
 *   and digits made one space, trimmed. `norm_text('  Café—Déjà  Vu! ')` → `'cafe deja vu'`.
 * - `token_similarity(a, b)`: how many of the words of the two normalised texts they share, over
 *   how many distinct words they hold together (Jaccard), 0 to 1.
 *   `token_similarity('Atlas Data Platform', 'atlas platform')` → 0.667.
 * - `edit_similarity(a, b)`: 1 minus the edit distance (Levenshtein) of the two normalised
 *   texts over the length of the longer, 0 to 1; texts are compared on their first 1,000
 *   characters. `edit_similarity('Garnet', 'Garnett')` → 0.857.
 *
 * Each returns NULL when an argument is NULL, and two empty texts are alike (1). They are
 * deterministic, so SQLite may compute them once per distinct argument.
 */
export function registerMatchFunctions(sqlite: Database.Database): void {
  const options = { deterministic: true };
  sqlite.function("norm_text", options, (value: unknown) =>
    value === null || value === undefined ? null : normText(String(value)),
  );
  sqlite.function("token_similarity", options, (a: unknown, b: unknown) =>
    a === null || b === null ? null : tokenSimilarity(String(a), String(b)),
  );
  sqlite.function("edit_similarity", options, (a: unknown, b: unknown) =>
    a === null || b === null ? null : editSimilarity(String(a), String(b)),
  );
}

/** See {@link registerMatchFunctions}: `norm_text`. */
export function normText(text: string): string {
  return text
    .normalize("NFKD")
    .replace(/\p{M}+/gu, "")
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, " ")
    .trim();
}

/** See {@link registerMatchFunctions}: `token_similarity`. */
export function tokenSimilarity(a: string, b: string): number {
  const left = new Set(normText(a).split(" ").filter(Boolean));
  const right = new Set(normText(b).split(" ").filter(Boolean));
  if (left.size === 0 && right.size === 0) return 1;
  let shared = 0;
  for (const token of left) if (right.has(token)) shared += 1;
  return shared / (left.size + right.size - shared);
}

const EDIT_LIMIT = 1000;

/** See {@link registerMatchFunctions}: `edit_similarity`. */
export function editSimilarity(a: string, b: string): number {
  const left = [...normText(a)].slice(0, EDIT_LIMIT);
  const right = [...normText(b)].slice(0, EDIT_LIMIT);
  const longer = Math.max(left.length, right.length);
  if (longer === 0) return 1;
  let previous = Array.from({ length: right.length + 1 }, (_, index) => index);
  for (let i = 1; i <= left.length; i += 1) {
    const current = [i];
    for (let j = 1; j <= right.length; j += 1) {
      const cost = left[i - 1] === right[j - 1] ? 0 : 1;
      current[j] = Math.min(
        (previous[j] ?? 0) + 1,
        (current[j - 1] ?? 0) + 1,
        (previous[j - 1] ?? 0) + cost,
      );
    }
    previous = current;
  }
  return 1 - (previous[right.length] ?? longer) / longer;
}
