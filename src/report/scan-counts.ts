import type Database from "better-sqlite3";
import { quoteLiteral } from "../mirror/column-names.ts";

/** A property as the counter needs it. */
export interface CountedProperty {
  propertyId: string;
  valueKey: string;
  type: string;
}

/** Live pages of one data source, empties per value key, and option counts per value key. */
export interface DataSourceCounts {
  live: number;
  empty: Map<string, number>;
  /** For select / status / multi_select: pages per option name (multi_select: pages holding it). */
  values: Map<string, Map<string, number>>;
  /**
   * For formula / rollup, by property id: pages whose value Notion reports as `unsupported` (too
   * complex for its API). Their natural value is NULL, so they are among the empties too.
   */
  unsupported: Map<string, number>;
}

/** Types whose natural value is never NULL-as-empty: unchecked is a value; a button holds none. */
const NEVER_EMPTY = new Set(["checkbox", "button"]);
/** Types whose distinct values are counted. */
export const OPTION_TYPES = new Set(["select", "status", "multi_select"]);

const LIVE = "p.data_source_id = ? AND p.in_trash = 0 AND p.gone = 0";

/**
 * The SQL counting live pages and, per property, live pages whose natural value is NULL (empty;
 * a missing key counts as empty): one pass over the data source's pages. Columns: `live`, then
 * `e0`, `e1` … in the order of `keys`.
 */
export function emptyCountsSql(keys: readonly string[]): string {
  const sums = keys.map(
    (key, index) =>
      `COALESCE(SUM(json_extract(p.values_json, ${quoteLiteral(`$.${key}`)}) IS NULL), 0) AS e${index}`,
  );
  return `SELECT count(*) AS live${sums.map((sum) => `, ${sum}`).join("")} FROM pages AS p WHERE ${LIVE}`;
}

/**
 * The SQL counting, per option property, live pages per value: one pass over the pages with
 * json_each (a multi_select's array is opened with a second json_each). Rows: key, value, n;
 * value NULL is the empty count (ignored).
 */
export function optionCountsSql(keys: readonly string[]): string {
  return `SELECT j.key AS key, COALESCE(m.value, j.value) AS value, count(*) AS n
FROM pages AS p, json_each(p.values_json) AS j
LEFT JOIN json_each(CASE WHEN j.type = 'array' THEN j.value END) AS m
WHERE ${LIVE} AND j.key IN (${keys.map(quoteLiteral).join(", ")})
GROUP BY 1, 2`;
}

/** Types whose value Notion may report as `unsupported`. */
const COMPUTED_TYPES = new Set(["formula", "rollup"]);

/**
 * The SQL counting, per formula or rollup property (by id), live pages whose value has type
 * `unsupported`. Only Notion's raw JSON tells (the natural value is NULL, as for an empty one);
 * pages whose JSON holds no "unsupported" at all are passed over before it is opened. Rows: id, n.
 */
export function unsupportedCountsSql(): string {
  return `SELECT json_extract(j.value, '$.id') AS id, count(*) AS n
FROM pages AS p, json_each(p.raw_json, '$.properties') AS j
WHERE ${LIVE} AND p.raw_json LIKE '%"unsupported"%'
  AND json_extract(j.value, '$.type') IN ('formula', 'rollup')
  AND json_extract(j.value, '$.' || json_extract(j.value, '$.type') || '.type') = 'unsupported'
GROUP BY 1`;
}

/**
 * Counts a data source's live pages, empty values and option values with SQL over
 * `pages.values_json` (never parsing raw JSON in JavaScript): at most two passes over its pages
 * whatever the number of properties, and a third over the raw JSON of pages that may hold an
 * unsupported formula or rollup value.
 */
export function countDataSource(
  sqlite: Database.Database,
  dataSourceId: string,
  properties: readonly CountedProperty[],
): DataSourceCounts {
  const emptiable = properties.filter((property) => !NEVER_EMPTY.has(property.type));
  const keys = emptiable.map((property) => property.valueKey);
  const row = sqlite.prepare(emptyCountsSql(keys)).raw(true).get(dataSourceId) as number[];
  const empty = new Map<string, number>(properties.map((property) => [property.valueKey, 0]));
  keys.forEach((key, index) => empty.set(key, Number(row[index + 1] ?? 0)));

  const values = new Map<string, Map<string, number>>();
  const optionKeys = properties
    .filter((property) => OPTION_TYPES.has(property.type))
    .map((property) => property.valueKey);
  for (const key of optionKeys) values.set(key, new Map());
  if (optionKeys.length > 0) {
    const rows = sqlite.prepare(optionCountsSql(optionKeys)).all(dataSourceId) as Array<{
      key: string;
      value: unknown;
      n: number;
    }>;
    for (const { key, value, n } of rows) {
      if (value === null) continue;
      values.get(key)?.set(String(value), n);
    }
  }
  const unsupported = new Map<string, number>();
  if (properties.some((property) => COMPUTED_TYPES.has(property.type))) {
    const rows = sqlite.prepare(unsupportedCountsSql()).all(dataSourceId) as Array<{
      id: string;
      n: number;
    }>;
    for (const { id, n } of rows) unsupported.set(id, n);
  }
  return { live: Number(row[0] ?? 0), empty, values, unsupported };
}
