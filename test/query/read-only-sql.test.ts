import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Database from "better-sqlite3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { NotionMirrorError } from "../../src/errors.ts";
import { openMirrorReadOnly } from "../../src/mirror/open-mirror.ts";
import { checkReadOnlySql, leadingKeyword } from "../../src/mirror/read-only-sql.ts";

let dir: string;
let sqlite: Database.Database;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "notion-mirror-read-only-"));
  const path = join(dir, "mirror.db");
  const writer = new Database(path);
  writer.exec(
    "CREATE TABLE pages (id TEXT PRIMARY KEY, title TEXT); INSERT INTO pages VALUES ('a', 'Alpha'), ('b', 'Beta')",
  );
  writer.close();
  sqlite = openMirrorReadOnly(path);
});
afterAll(() => {
  sqlite?.close();
  rmSync(dir, { recursive: true, force: true });
});

/** The usage error checkReadOnlySql throws for `sql`. */
function refusal(sql: string): NotionMirrorError {
  try {
    checkReadOnlySql(sqlite, sql);
  } catch (error) {
    expect(error).toBeInstanceOf(NotionMirrorError);
    expect((error as NotionMirrorError).code).toBe("usage");
    return error as NotionMirrorError;
  }
  throw new Error(`expected ${JSON.stringify(sql)} to be refused`);
}

describe("checkReadOnlySql", () => {
  it("prepares one SELECT, WITH or VALUES, after comments and with a trailing semicolon", () => {
    for (const sql of [
      "SELECT id FROM pages",
      "  -- which pages\n/* all */ select id from pages;",
      "WITH t AS (SELECT id FROM pages) SELECT * FROM t",
      "VALUES (1), (2)",
    ]) {
      expect(checkReadOnlySql(sqlite, sql).reader).toBe(true);
    }
  });

  it("finds the leading keyword after whitespace and comments", () => {
    expect(leadingKeyword("/* x */ -- y\n  pragma foo")).toBe("PRAGMA");
    expect(leadingKeyword("-- only a comment")).toBeUndefined();
  });

  it.each([
    ["ATTACH 'other.db' AS other", /starts with ATTACH.*another database file/],
    ["DETACH other", /starts with DETACH/],
    ["PRAGMA table_info(pages)", /starts with PRAGMA/],
    ["VACUUM", /starts with VACUUM/],
    ["REINDEX", /starts with REINDEX/],
    ["ANALYZE", /starts with ANALYZE/],
    ["BEGIN", /starts with BEGIN/],
    ["INSERT INTO pages VALUES ('c', 'Gamma')", /starts with INSERT.*change the mirror/],
    ["EXPLAIN SELECT 1", /starts with EXPLAIN/],
    ["WITH t AS (SELECT 1) UPDATE pages SET title = 'x'", /would write/],
    ["SELECT 1; SELECT 2", /more than one statement/],
    ["  -- nothing\n", /empty/],
  ])("refuses %j", (sql, message) => {
    expect(refusal(sql).message).toMatch(message);
  });

  it("points at the failing occurrence of a repeated token", () => {
    const error = refusal("SELECT id FROM pages WHERE FROM");
    expect(error.message).toContain('near "FROM": syntax error');
    expect(error.message).toContain("at line 1, column 28:");
    expect(error.message).toContain(`\n  SELECT id FROM pages WHERE FROM\n  ${" ".repeat(27)}^`);
  });

  it("points at a missing column on a later line, and at the end of incomplete SQL", () => {
    expect(refusal("SELECT id,\n  titel\nFROM pages").message).toContain(
      "no such column: titel\nat line 2, column 3:\n    titel\n    ^",
    );
    expect(refusal("SELECT id FROM").message).toContain("incomplete input\nat line 1, column 15:");
  });

  it("keeps the error without a position when SQLite names nothing to find", () => {
    const error = refusal("SELECT count(*) FROM pages GROUP BY 5");
    expect(error.message).toMatch(/^SQL error: /);
    expect(error.message).not.toContain("at line");
  });
});
