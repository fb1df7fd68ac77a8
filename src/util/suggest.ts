/**
 * "Did you mean …?" for a name that matches nothing: a property, a view column, a view, an alias,
 * a header key. One rule everywhere, so every message suggests the same way.
 */

/** Something the mistyped name may have meant. */
export interface Candidate {
  /** Every spelling it answers to (a property: its Notion name and its view column). */
  names: readonly string[];
  /** How it is shown in the suggestion, e.g. "projectId (column project_id)". */
  label: string;
}

export interface SuggestOptions {
  /** At most this many suggestions (default 4). */
  max?: number;
  /**
   * Only near-identical names: the same but for case, `_`, `-` and spaces, or a typo away
   * (default false: also names that contain it or share a word with it).
   */
  typosOnly?: boolean;
}

/**
 * The candidates nearest to `wanted`, best first; empty when none is near. Nearness, in order,
 * and only the best kind found is returned:
 *
 * 1. the same name but for case, `_`, `-` and spaces (`projectID` ~ `project_id`);
 * 2. a typo away: an edit distance (insert, delete, replace, swap two neighbours) of 1 for names
 *    up to 7 characters, 2 up to 11, 3 beyond (`statsu` ~ `status`);
 * 3. one name contains the other (`wt_phase` ~ `wt_phase_database`);
 * 4. they share words (camelCase, snake_case and spaces split words; `phaseId` ~ `projectId`,
 *    `Phase name`), the candidates sharing most.
 *
 * Within a kind, the smaller edit distance first, then the label.
 *
 * @example
 * suggest("phaseId", [{ names: ["projectId", "project_id"], label: "projectId (column project_id)" }])
 * // → [that candidate]
 */
export function suggest<T extends Candidate>(
  wanted: string,
  candidates: readonly T[],
  options: SuggestOptions = {},
): T[] {
  const target = normalise(wanted);
  if (target === "") return [];
  const targetWords = words(wanted);
  const scored = candidates.flatMap((candidate) => {
    let best: Score | undefined;
    for (const name of candidate.names) {
      const found = score(target, targetWords, name);
      if (found && (!best || better(found, best))) best = found;
    }
    return best && (!options.typosOnly || best.kind <= 2) ? [{ candidate, ...best }] : [];
  });
  if (scored.length === 0) return [];
  const kind = Math.min(...scored.map((item) => item.kind));
  let kept = scored.filter((item) => item.kind === kind);
  if (kind === 4) {
    const most = Math.max(...kept.map((item) => item.shared));
    kept = kept.filter((item) => item.shared === most);
  }
  kept.sort(
    (a, b) => a.distance - b.distance || a.candidate.label.localeCompare(b.candidate.label, "en"),
  );
  const byLabel = new Map<string, T>();
  for (const { candidate } of kept) {
    if (!byLabel.has(candidate.label)) byLabel.set(candidate.label, candidate);
  }
  return [...byLabel.values()].slice(0, options.max ?? 4);
}

/**
 * "did you mean a?", "did you mean a or b?", "did you mean a, b or c?" for the labels of
 * {@link suggest}'s answer; "" when there is none.
 */
export function didYouMean(found: readonly Candidate[]): string {
  const labels = found.map((candidate) => candidate.label);
  if (labels.length === 0) return "";
  const last = labels.at(-1) ?? "";
  const list = labels.length === 1 ? last : `${labels.slice(0, -1).join(", ")} or ${last}`;
  return `did you mean ${list}?`;
}

interface Score {
  /** 1 same but for case and separators, 2 a typo, 3 containment, 4 shared words. */
  kind: 1 | 2 | 3 | 4;
  distance: number;
  shared: number;
}

function better(a: Score, b: Score): boolean {
  if (a.kind !== b.kind) return a.kind < b.kind;
  if (a.shared !== b.shared) return a.shared > b.shared;
  return a.distance < b.distance;
}

function score(target: string, targetWords: readonly string[], name: string): Score | undefined {
  const other = normalise(name);
  if (other === "") return undefined;
  const distance = editDistance(target, other);
  if (distance === 0) return { kind: 1, distance, shared: 0 };
  if (distance <= typoLimit(target.length)) return { kind: 2, distance, shared: 0 };
  const [shorter, longer] = target.length <= other.length ? [target, other] : [other, target];
  if (shorter.length >= 3 && longer.includes(shorter)) return { kind: 3, distance, shared: 0 };
  const otherWords = words(name);
  const shared = targetWords.filter((word) => otherWords.some((each) => sameWord(word, each)));
  return shared.length > 0 ? { kind: 4, distance, shared: shared.length } : undefined;
}

/** Edits that still count as a typo of a name this long. */
function typoLimit(length: number): number {
  return length < 8 ? 1 : length < 12 ? 2 : 3;
}

function normalise(name: string): string {
  return name.toLowerCase().replace(/[\s_-]+/g, "");
}

/** `phaseId` → phase, id; `Phase name` → phase, name; `wt_phase_database` → wt, phase, database. */
function words(name: string): string[] {
  return name
    .replace(/([a-z0-9])([A-Z])/g, "$1 $2")
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter((word) => word.length >= 2);
}

/** The same word, a typo of it (4 letters or more), or one a prefix of the other (3 or more). */
function sameWord(a: string, b: string): boolean {
  if (a === b) return true;
  const [shorter, longer] = a.length <= b.length ? [a, b] : [b, a];
  if (shorter.length >= 3 && longer.startsWith(shorter)) return true;
  return shorter.length >= 4 && editDistance(a, b) <= 1;
}

/**
 * Optimal string alignment distance: the fewest inserts, deletes, replacements and swaps of two
 * neighbouring characters that turn `a` into `b` (no substring edited twice).
 */
export function editDistance(a: string, b: string): number {
  const rows: number[][] = [];
  for (let i = 0; i <= a.length; i += 1) {
    const row: number[] = [i];
    for (let j = 1; j <= b.length; j += 1) {
      if (i === 0) {
        row.push(j);
        continue;
      }
      const up = rows[i - 1] ?? [];
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let best = Math.min((up[j] ?? 0) + 1, (row[j - 1] ?? 0) + 1, (up[j - 1] ?? 0) + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
        best = Math.min(best, (rows[i - 2]?.[j - 2] ?? 0) + 1);
      }
      row.push(best);
    }
    rows.push(row);
  }
  return rows[a.length]?.[b.length] ?? 0;
}
