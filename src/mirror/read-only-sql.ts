import type Database from "better-sqlite3";
import { NotionMirrorError } from "../errors.ts";
import { sqlNameSuggestion } from "./sql-name-suggestions.ts";

/**
 * Where a SQL text starts in the file it was read from (1-based line and column), so that error
 * positions name the file's lines: a rule's SQL follows its header.
 */
export interface SqlStart {
  line: number;
  column: number;
}

/** The statements a read may start with. */
const READ_KEYWORDS = new Set(["SELECT", "WITH", "VALUES"]);

/** Why a statement kind is refused, by leading keyword (anything else: "it is not a read"). */
const REFUSAL_REASONS: Record<string, string> = {
  ATTACH: "ATTACH would open another database file",
  DETACH: "DETACH changes the databases of the connection",
  PRAGMA: "PRAGMA can change settings of the connection or the file",
  VACUUM: "VACUUM rewrites the mirror file",
  REINDEX: "REINDEX rewrites the mirror's indexes",
  ANALYZE: "ANALYZE writes statistics into the mirror",
  INSERT: "it would change the mirror",
  REPLACE: "it would change the mirror",
  UPDATE: "it would change the mirror",
  DELETE: "it would change the mirror",
  UPSERT: "it would change the mirror",
  CREATE: "it would change the mirror's schema",
  DROP: "it would change the mirror's schema",
  ALTER: "it would change the mirror's schema",
  BEGIN: "a read needs no transaction",
  COMMIT: "a read needs no transaction",
  END: "a read needs no transaction",
  ROLLBACK: "a read needs no transaction",
  SAVEPOINT: "a read needs no transaction",
  RELEASE: "a read needs no transaction",
  EXPLAIN: "only the statement itself may run here",
};

const READ_ONLY_HINT =
  "Only one SELECT (or WITH … SELECT, or VALUES) runs here; the mirror is changed by `notion-mirror sync pull` alone.";

/**
 * Prepares `sql` as exactly one read and returns the statement, or throws a usage
 * NotionMirrorError saying what was refused and why: empty SQL, more than one statement, a
 * statement that does not start with SELECT / WITH / VALUES (ATTACH, PRAGMA, BEGIN … are refused
 * even though SQLite counts some of them as read-only), a statement that would write, or one that
 * returns no rows. A SQL error names its position (line, column and a caret) when it can be found,
 * counted from `start` when the SQL was read from a file (a rule after its header), and for an
 * unknown table or column the nearest names in the mirror.
 *
 * Meant for a connection opened with `openMirrorReadOnly` (read-only file, `query_only` on), which
 * stays the real guard; this check gives the clear message.
 *
 * @example checkReadOnlySql(sqlite, "SELECT page_id FROM wt_projects").raw(true).iterate()
 */
export function checkReadOnlySql(
  sqlite: Database.Database,
  sql: string,
  start?: SqlStart,
): Database.Statement {
  const keyword = leadingKeyword(sql);
  if (keyword === undefined) {
    throw new NotionMirrorError(
      "usage",
      "The SQL is empty: there is no statement to run.",
      READ_ONLY_HINT,
    );
  }
  if (!READ_KEYWORDS.has(keyword)) {
    const reason = REFUSAL_REASONS[keyword] ?? "it is not a read";
    throw new NotionMirrorError(
      "usage",
      `Refused: the SQL starts with ${keyword}, and only reads are allowed here (${reason}).`,
      READ_ONLY_HINT,
    );
  }
  let statement: Database.Statement;
  try {
    statement = sqlite.prepare(sql);
  } catch (error) {
    if (error instanceof RangeError && /more than one statement/.test(error.message)) {
      throw new NotionMirrorError(
        "usage",
        "Refused: the SQL holds more than one statement; only one read runs at a time.",
        READ_ONLY_HINT,
      );
    }
    throw sqlError(sqlite, sql, error, start);
  }
  if (!statement.readonly) {
    throw new NotionMirrorError(
      "usage",
      "Refused: this statement would write to the mirror; only reads are allowed here.",
      READ_ONLY_HINT,
    );
  }
  if (!statement.reader) {
    throw new NotionMirrorError(
      "usage",
      "Refused: this statement returns no rows; only a read that returns rows is allowed here.",
      READ_ONLY_HINT,
    );
  }
  return statement;
}

/**
 * The first keyword of the SQL in upper case, after whitespace and comments; undefined when the
 * SQL holds nothing else, "" when it starts with something that is not a word.
 */
export function leadingKeyword(sql: string): string | undefined {
  let index = 0;
  while (index < sql.length) {
    const rest = sql.slice(index);
    const space = /^\s+/.exec(rest);
    if (space) {
      index += space[0].length;
    } else if (rest.startsWith("--")) {
      const end = rest.indexOf("\n");
      index = end === -1 ? sql.length : index + end + 1;
    } else if (rest.startsWith("/*")) {
      const end = rest.indexOf("*/", 2);
      index = end === -1 ? sql.length : index + end + 2;
    } else {
      return (/^[A-Za-z_]+/.exec(rest)?.[0] ?? "").toUpperCase();
    }
  }
  return undefined;
}

/**
 * A usage error for an error SQLite raised while preparing `sql`: its message, and where in the
 * SQL it is (line, column, the line with a caret; counted from `start`) when that can be found,
 * then for an unknown table or column the nearest names. Errors that are not SQLite's are
 * returned as internal errors. Never throws.
 */
export function sqlError(
  sqlite: Database.Database,
  sql: string,
  error: unknown,
  start?: SqlStart,
): NotionMirrorError {
  if (!isSqliteError(error)) {
    return new NotionMirrorError(
      "internal",
      `Unexpected failure preparing SQL: ${String(error)}`,
      undefined,
      {
        cause: error,
      },
    );
  }
  const offset = locateError(sqlite, sql, error.message);
  const where = offset === undefined ? "" : `\n${pointAt(sql, offset, start)}`;
  const suggestion = sqlNameSuggestion(sqlite, sql, error.message);
  return new NotionMirrorError(
    "usage",
    `SQL error: ${error.message}${where}${suggestion ? `\n${suggestion}` : ""}`,
    undefined,
    { cause: error },
  );
}

/** A usage error for an error SQLite raised while running a query (no position: SQLite gives none). */
export function sqlRunError(error: unknown): NotionMirrorError {
  if (error instanceof NotionMirrorError) return error;
  if (!isSqliteError(error)) {
    return new NotionMirrorError(
      "internal",
      `Unexpected failure running SQL: ${String(error)}`,
      undefined,
      {
        cause: error,
      },
    );
  }
  return new NotionMirrorError(
    "usage",
    `SQL error while running the query: ${error.message}`,
    undefined,
    {
      cause: error,
    },
  );
}

function isSqliteError(error: unknown): error is Error & { code: string } {
  return (
    error instanceof Error &&
    error.name === "SqliteError" &&
    typeof (error as { code?: unknown }).code === "string"
  );
}

/**
 * Where in `sql` the error is, as a character offset. better-sqlite3 does not expose SQLite's
 * error offset, so it is derived from the message: for `near "X"` it is the first occurrence of X
 * after which the SQL already fails with the same message (the parser reads left to right, so
 * earlier occurrences parse); for a missing name, the first place the name is written.
 */
function locateError(sqlite: Database.Database, sql: string, message: string): number | undefined {
  const near = /^near "(.*)": syntax error$/s.exec(message);
  if (near?.[1]) {
    const token = near[1];
    const occurrences = occurrencesOf(sql, token, false);
    const failing = occurrences.find((offset) => {
      try {
        sqlite.prepare(sql.slice(0, offset + token.length));
        return false;
      } catch (error) {
        return error instanceof Error && error.message === message;
      }
    });
    return failing ?? occurrences[0];
  }
  const unrecognized = /^unrecognized token: "(.*)"$/s.exec(message);
  if (unrecognized?.[1]) return occurrencesOf(sql, unrecognized[1], false)[0];
  if (message === "incomplete input") return sql.trimEnd().length;
  const name =
    /^(?:no such (?:column|table|function)|ambiguous column name|no such collation sequence):\s*(.+)$/.exec(
      message,
    )?.[1];
  if (name) {
    const exact = occurrencesOf(sql, name, true)[0];
    if (exact !== undefined) return exact;
    const last = name.split(".").pop();
    return last ? occurrencesOf(sql, last, true)[0] : undefined;
  }
  return undefined;
}

/** Offsets of `text` in `sql` (case-insensitively when `word`, then only as a whole word). */
function occurrencesOf(sql: string, text: string, word: boolean): number[] {
  const haystack = word ? sql.toLowerCase() : sql;
  const needle = word ? text.toLowerCase() : text;
  const offsets: number[] = [];
  for (let at = haystack.indexOf(needle); at !== -1; at = haystack.indexOf(needle, at + 1)) {
    if (word && (isWordChar(haystack[at - 1]) || isWordChar(haystack[at + needle.length])))
      continue;
    offsets.push(at);
  }
  return offsets;
}

function isWordChar(char: string | undefined): boolean {
  return char !== undefined && /[\w$]/.test(char);
}

/**
 * "at line L, column C:" then the SQL line and a caret under the offset. With `start`, L and C
 * are the file's: the SQL's first line is the file's line `start.line`, beginning at its column
 * `start.column`.
 */
export function pointAt(sql: string, offset: number, start?: SqlStart): string {
  const before = sql.slice(0, offset);
  const lineStart = before.lastIndexOf("\n") + 1;
  const lineEnd = sql.indexOf("\n", offset);
  const line = sql.slice(lineStart, lineEnd === -1 ? sql.length : lineEnd).replace(/\r$/, "");
  const lineNumber = before.split("\n").length;
  const column = offset - lineStart + 1;
  const pad = line.slice(0, column - 1).replace(/[^\t]/g, " ");
  const fileLine = lineNumber + (start ? start.line - 1 : 0);
  const fileColumn = column + (start && lineNumber === 1 ? start.column - 1 : 0);
  return `at line ${fileLine}, column ${fileColumn}:\n  ${line}\n  ${pad}^`;
}
