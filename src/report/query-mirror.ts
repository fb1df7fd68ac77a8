import type Database from "better-sqlite3";
import { openMirrorReadOnly } from "../mirror/open-mirror.ts";
import { checkReadOnlySql, sqlRunError } from "../mirror/read-only-sql.ts";
import { jsonArrayColumns } from "./json-columns.ts";

/** An open read-only query on the mirror: its columns, then its rows streamed from SQLite. */
export interface MirrorQuery {
  /** Column names as SQLite gives them (may repeat: `SELECT a, a`). */
  columns: string[];
  /**
   * Per column, whether it is a view column holding a JSON array (multi-select, people,
   * relation, files; see `jsonArrayColumns`): JSON output writes its values as arrays.
   */
  jsonColumns: boolean[];
  /**
   * The rows as arrays of SQLite values (number, string, null, bigint, Buffer for a BLOB), read
   * one at a time; stops after `maxRows`. Iterate once. A SQL error while running is a usage
   * NotionMirrorError.
   */
  rows(): Generator<unknown[], void, undefined>;
  /** True once `rows()` has seen that there are more rows than `maxRows`. */
  readonly truncated: boolean;
  /** Closes the connection; safe to call twice. */
  close(): void;
}

/**
 * Opens the mirror read-only (`query_only`) and prepares `sql` as one read (see
 * `checkReadOnlySql`). Throws a config error when there is no mirror and a usage error for a
 * refused statement or a SQL error (with its position). The caller closes the query.
 *
 * @example
 * const query = openMirrorQuery(config.mirrorPath, "SELECT page_id, status FROM wt_phase_database");
 * try { for (const row of query.rows()) console.log(row); } finally { query.close(); }
 */
export function openMirrorQuery(
  mirrorPath: string,
  sql: string,
  options: { maxRows?: number } = {},
): MirrorQuery {
  const sqlite = openMirrorReadOnly(mirrorPath);
  let statement: Database.Statement;
  try {
    statement = checkReadOnlySql(sqlite, sql).raw(true);
  } catch (error) {
    sqlite.close();
    throw error;
  }
  const columns = statement.columns().map((column) => column.name);
  const jsonColumns = jsonArrayColumns(sqlite, sql, columns);
  const maxRows = options.maxRows ?? Infinity;
  let truncated = false;
  return {
    columns,
    jsonColumns,
    get truncated() {
      return truncated;
    },
    *rows() {
      let count = 0;
      try {
        for (const row of statement.iterate() as IterableIterator<unknown[]>) {
          if (count >= maxRows) {
            truncated = true;
            return;
          }
          count += 1;
          yield row;
        }
      } catch (error) {
        throw sqlRunError(error);
      }
    },
    close() {
      if (sqlite.open) sqlite.close();
    },
  };
}
