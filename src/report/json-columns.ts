import type Database from "better-sqlite3";

/** Property types whose view column holds a JSON array (of names, ids or URLs). */
export const JSON_ARRAY_TYPES: ReadonlySet<string> = new Set([
  "multi_select",
  "people",
  "relation",
  "files",
]);

/**
 * Which result columns of `sql` are view columns holding a JSON array, by the mirror's
 * `column_map`: a column whose name is such a column in a view the SQL names, and a column of no
 * other type in any view it names (`SELECT tags FROM wt_projects`). A column renamed with AS, or
 * computed, is not one: its values are whatever SQLite returns. Never throws (a mirror without
 * views has no such columns).
 *
 * @example jsonArrayColumns(sqlite, "SELECT page_id, tags FROM wt_projects", ["page_id", "tags"]) // [false, true]
 */
export function jsonArrayColumns(
  sqlite: Database.Database,
  sql: string,
  columns: readonly string[],
): boolean[] {
  let rows: Array<{ alias: string; column: string; type: string | null }>;
  try {
    rows = sqlite
      .prepare(
        `SELECT d.alias AS alias, c.column_name AS "column", c.property_type AS type
         FROM column_map AS c JOIN data_sources AS d ON d.id = c.data_source_id`,
      )
      .all() as typeof rows;
  } catch {
    return columns.map(() => false);
  }
  const text = sql.toLowerCase();
  const named = new Map<string, boolean>();
  const isNamed = (alias: string) => {
    let found = named.get(alias);
    if (found === undefined) {
      found = mentions(text, alias.toLowerCase());
      named.set(alias, found);
    }
    return found;
  };
  const json = new Set<string>();
  const other = new Set<string>();
  for (const row of rows) {
    if (!isNamed(row.alias)) continue;
    const column = row.column.toLowerCase();
    if (row.type !== null && JSON_ARRAY_TYPES.has(row.type)) json.add(column);
    else other.add(column);
  }
  return columns.map((column) => {
    const key = column.toLowerCase();
    return json.has(key) && !other.has(key);
  });
}

/** Whether `name` appears in `text` as a whole identifier (bare, or in "", `` or []). */
function mentions(text: string, name: string): boolean {
  for (let at = text.indexOf(name); at !== -1; at = text.indexOf(name, at + 1)) {
    const before = text[at - 1];
    const after = text[at + name.length];
    if (!isIdentifierChar(before) && !isIdentifierChar(after)) return true;
  }
  return false;
}

function isIdentifierChar(char: string | undefined): boolean {
  return char !== undefined && /[\w$]/.test(char);
}

/**
 * A value of a JSON-array column as JSON: the array it holds. A value that is not the text of
 * a JSON array (NULL, or something a query put under that name) is returned as it is.
 */
export function jsonArrayValue(value: unknown): unknown {
  if (typeof value !== "string") return value;
  try {
    const parsed: unknown = JSON.parse(value);
    return Array.isArray(parsed) ? parsed : value;
  } catch {
    return value;
  }
}
