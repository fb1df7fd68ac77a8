import type Database from "better-sqlite3";
import type { Candidate } from "../util/suggest.ts";
import { didYouMean, suggest } from "../util/suggest.ts";

/**
 * For SQLite's "no such table: X" or "no such column: X", the views, tables or columns of the
 * mirror nearest to X, as a sentence ("Did you mean project_id (projectId)?"); "" for any other
 * message or when nothing is near. Views are named with their database's title, view columns
 * with their property's Notion name. Columns are looked for in the tables and views the SQL names
 * (all views when it names none). Never throws: a suggestion is a courtesy.
 *
 * @example sqlNameSuggestion(sqlite, "SELECT phase_id FROM wt_phase_database", "no such column: phase_id")
 */
export function sqlNameSuggestion(sqlite: Database.Database, sql: string, message: string): string {
  try {
    const table = /^no such table: (?:\w+\.)?(.+)$/.exec(message)?.[1];
    if (table) return sentence(suggest(table, tableCandidates(sqlite)));
    const column =
      /^no such column: "(.+)" - should this be a string literal/.exec(message)?.[1] ??
      /^no such column: (.+)$/.exec(message)?.[1];
    if (column) {
      const name = column.split(".").pop() ?? column;
      return sentence(suggest(name, columnCandidates(sqlite, sql)));
    }
  } catch {
    // A mirror without the expected tables (or any other surprise): no suggestion.
  }
  return "";
}

function sentence(found: readonly Candidate[]): string {
  const text = didYouMean(found);
  return text ? `${text[0]?.toUpperCase() ?? ""}${text.slice(1)}` : "";
}

interface TableRow {
  name: string;
  title: string | null;
  dataSourceId: string | null;
}

/** The mirror's views (with their titles) and tables, SQLite's own and drizzle's left out. */
function tables(sqlite: Database.Database): TableRow[] {
  const names = sqlite
    .prepare(
      `SELECT name FROM sqlite_master
       WHERE type IN ('table', 'view') AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\'
         AND name NOT LIKE '\\_\\_%' ESCAPE '\\'
       ORDER BY name`,
    )
    .pluck()
    .all() as string[];
  const sources = new Map<string, { title: string; id: string }>();
  if (names.includes("data_sources")) {
    const rows = sqlite.prepare("SELECT alias, title, id FROM data_sources").all() as Array<{
      alias: string;
      title: string;
      id: string;
    }>;
    for (const row of rows) sources.set(row.alias, row);
  }
  return names.map((name) => ({
    name,
    title: sources.get(name)?.title ?? null,
    dataSourceId: sources.get(name)?.id ?? null,
  }));
}

function tableCandidates(sqlite: Database.Database): Candidate[] {
  return tables(sqlite).map((row) => ({
    names: row.title ? [row.name, row.title] : [row.name],
    label: row.title ? `${row.name} (${row.title})` : row.name,
  }));
}

function columnCandidates(sqlite: Database.Database, sql: string): Candidate[] {
  const all = tables(sqlite);
  const text = sql.toLowerCase();
  const named = all.filter((row) =>
    new RegExp(`(^|[^\\w$])${escapeRegExp(row.name.toLowerCase())}($|[^\\w$])`).test(text),
  );
  const searched = named.length > 0 ? named : all.filter((row) => row.dataSourceId !== null);
  const notionName = searched.some((table) => table.dataSourceId)
    ? sqlite
        .prepare(
          `SELECT p.name FROM column_map AS c JOIN properties AS p
             ON p.data_source_id = c.data_source_id AND p.property_id = c.property_id
           WHERE c.data_source_id = ? AND c.column_name = ?`,
        )
        .pluck()
    : undefined;
  const columnsOf = sqlite.prepare("SELECT name FROM pragma_table_info(?)").pluck();
  return searched.flatMap((table) =>
    (columnsOf.all(table.name) as string[]).map((column) => {
      const property = table.dataSourceId
        ? (notionName?.get(table.dataSourceId, column) as string | undefined)
        : undefined;
      return property && property !== column
        ? { names: [column, property], label: `${column} (${property})` }
        : { names: [column], label: column };
    }),
  );
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}
