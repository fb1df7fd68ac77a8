import { createHash } from "node:crypto";
import { PAGE_COLUMNS, assignColumnNames, quoteIdentifier, quoteLiteral } from "./column-names.ts";

/** A property as the view generator sees it. */
export interface ViewProperty {
  propertyId: string;
  name: string;
  type: string;
  valueKey: string;
  /** The property's schema object (`properties.config_json`), where the SQL type depends on it. */
  config?: unknown;
}

/** One column of a generated view. */
export interface ViewColumn {
  columnName: string;
  propertyId: string | null;
  propertyType: string | null;
  sqlType: "TEXT" | "REAL" | "INTEGER" | "ANY";
  part: "page" | "value" | "start" | "end";
  /** The SQL expression over `p` (a pages row) that computes it. */
  expression: string;
}

/** The key under which a page's values_json holds a property: path-safe whatever the id holds. */
export function valueKeyOf(propertyId: string): string {
  return `k${createHash("sha1").update(propertyId).digest("hex").slice(0, 12)}`;
}

const PAGE_EXPRESSIONS: Record<(typeof PAGE_COLUMNS)[number], string> = {
  page_id: "p.id",
  url: "p.url",
  created_time: "p.created_time",
  last_edited_time: "p.last_edited_time",
  in_trash: "p.in_trash",
};

const SQL_TYPES: Record<string, ViewColumn["sqlType"]> = {
  number: "REAL",
  checkbox: "INTEGER",
  formula: "ANY",
  rollup: "ANY",
};

/**
 * A unique_id without a prefix is a bare number ("4"), with one a text ("TASK-4"): the column map
 * says which, so that it matches what `typeof()` finds in the view.
 */
function sqlTypeOf(property: ViewProperty): ViewColumn["sqlType"] {
  if (property.type === "unique_id") {
    const config = property.config as { unique_id?: { prefix?: unknown } } | undefined;
    return config?.unique_id?.prefix ? "TEXT" : "INTEGER";
  }
  return SQL_TYPES[property.type] ?? "TEXT";
}

/**
 * The columns of a data source's view: the page columns, then one column per property (two for
 * dates: start, and end with an `_end` suffix), named by `assignColumnNames`.
 */
export function planViewColumns(properties: readonly ViewProperty[]): ViewColumn[] {
  const names = assignColumnNames(
    properties.map((property) => ({
      key: property.propertyId,
      name: property.name,
      extraSuffixes: property.type === "date" ? ["_end"] : [],
    })),
  );
  const columns: ViewColumn[] = PAGE_COLUMNS.map((name) => ({
    columnName: name,
    propertyId: null,
    propertyType: null,
    sqlType: name === "in_trash" ? "INTEGER" : "TEXT",
    part: "page",
    expression: PAGE_EXPRESSIONS[name],
  }));
  for (const property of properties) {
    const column = names.get(property.propertyId);
    if (!column) continue;
    const path = (suffix = "") =>
      `json_extract(p.values_json, ${quoteLiteral(`$.${property.valueKey}${suffix}`)})`;
    const base = { propertyId: property.propertyId, propertyType: property.type };
    if (property.type === "date") {
      columns.push({
        ...base,
        columnName: column,
        sqlType: "TEXT",
        part: "start",
        expression: path(".start"),
      });
      columns.push({
        ...base,
        columnName: `${column}_end`,
        sqlType: "TEXT",
        part: "end",
        expression: path(".end"),
      });
      continue;
    }
    const sqlType = sqlTypeOf(property);
    const expression = sqlType === "REAL" ? `CAST(${path()} AS REAL)` : path();
    columns.push({ ...base, columnName: column, sqlType, part: "value", expression });
  }
  return columns;
}

/** The CREATE VIEW statement for a data source (pages gone from Notion are left out). */
export function createViewSql(
  alias: string,
  dataSourceId: string,
  columns: readonly ViewColumn[],
): string {
  const select = columns
    .map((column) => `  ${column.expression} AS ${quoteIdentifier(column.columnName)}`)
    .join(",\n");
  return `CREATE VIEW ${quoteIdentifier(alias)} AS SELECT\n${select}\nFROM pages AS p\nWHERE p.data_source_id = ${quoteLiteral(dataSourceId)} AND p.gone = 0`;
}
