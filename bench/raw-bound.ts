import { mkdirSync, readFileSync } from "node:fs";
import { dirname } from "node:path";
import Database from "better-sqlite3";

export interface RawBound {
  pages: number;
  /** Characters of JSON parsed. */
  bytes: number;
  /** The bound: JSON.parse of every answer and one INSERT per page, in one transaction. */
  parseInsertMs: number;
}

interface QueryAnswer {
  results: Array<{ id: string; last_edited_time: string }>;
}

/**
 * The raw bound a pull is compared with. Reads the query answers of `jsonFile` (see
 * writePageJsonFile; untimed), then times JSON.parse of each answer and one INSERT per page (id,
 * data source, last edit, the page's JSON) into a plain table of a new SQLite file, in one
 * transaction. No decoding, no relations, no views: what no mirror can beat.
 */
export function measureRawBound(jsonFile: string, dbFile: string): RawBound {
  const lines = readFileSync(jsonFile, "utf8").split("\n").filter(Boolean);
  mkdirSync(dirname(dbFile), { recursive: true });
  const db = new Database(dbFile);
  try {
    db.exec(
      "CREATE TABLE pages (id TEXT PRIMARY KEY, data_source_id TEXT NOT NULL, last_edited_time TEXT NOT NULL, json TEXT NOT NULL)",
    );
    const insert = db.prepare("INSERT INTO pages VALUES (?, ?, ?, ?)");
    let pages = 0;
    let bytes = 0;
    const started = performance.now();
    db.exec("BEGIN");
    for (const line of lines) {
      const tab = line.indexOf("\t");
      const dataSourceId = line.slice(0, tab);
      const text = line.slice(tab + 1);
      bytes += text.length;
      for (const page of (JSON.parse(text) as QueryAnswer).results) {
        insert.run(page.id, dataSourceId, page.last_edited_time, JSON.stringify(page));
        pages += 1;
      }
    }
    db.exec("COMMIT");
    return { pages, bytes, parseInsertMs: performance.now() - started };
  } finally {
    db.close();
  }
}
