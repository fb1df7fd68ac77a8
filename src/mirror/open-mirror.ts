import { chmodSync, closeSync, existsSync, mkdirSync, openSync } from "node:fs";
import { dirname } from "node:path";
import { fileURLToPath } from "node:url";
import Database from "better-sqlite3";
import type { BetterSQLite3Database } from "drizzle-orm/better-sqlite3";
import { drizzle } from "drizzle-orm/better-sqlite3";
import { migrate } from "drizzle-orm/better-sqlite3/migrator";
import { NotionMirrorError } from "../errors.ts";
import * as schema from "./schema.ts";

/** The migrations folder of this package, wherever it is run from. */
export const MIGRATIONS_FOLDER = fileURLToPath(new URL("../../migrations", import.meta.url));

export interface Mirror {
  /** The raw connection (for transactions, views and plain SQL). */
  sqlite: Database.Database;
  db: BetterSQLite3Database<typeof schema>;
  path: string;
  close(): void;
}

/**
 * Opens (creating it 0600 if needed) the mirror file in WAL mode and brings its schema up to date
 * with drizzle's migrator. Throws a config error when the file cannot be opened or is not a mirror.
 */
export function openMirror(path: string): Mirror {
  try {
    if (!existsSync(path)) {
      mkdirSync(dirname(path), { recursive: true });
      closeSync(openSync(path, "a", 0o600));
    }
    chmodSync(path, 0o600);
  } catch (error) {
    throw new NotionMirrorError(
      "config",
      `Cannot create the mirror file ${path}: ${(error as Error).message}`,
      "Point `mirror` in notion-mirror.json at a file in a folder you can write (its parent folders must be folders), or fix that folder.",
    );
  }
  let sqlite: Database.Database;
  try {
    sqlite = new Database(path);
    sqlite.pragma("journal_mode = WAL");
    sqlite.pragma("synchronous = FULL");
    sqlite.pragma("busy_timeout = 10000");
    sqlite.pragma("foreign_keys = ON");
  } catch (error) {
    throw new NotionMirrorError(
      "config",
      `Cannot open the mirror ${path}: ${(error as Error).message}`,
      "Check that the mirror file and its folder can be written (not a read-only disk), or point `mirror` in notion-mirror.json elsewhere.",
    );
  }
  const db = drizzle(sqlite, { schema });
  try {
    migrate(db, { migrationsFolder: MIGRATIONS_FOLDER });
  } catch (error) {
    sqlite.close();
    throw new NotionMirrorError(
      "config",
      `${path} is not a notion-mirror file, or was made by a newer version: ${(error as Error).message}`,
      "Point `mirror` in notion-mirror.json at another file, or move this one away.",
    );
  }
  return { sqlite, db, path, close: () => sqlite.close() };
}

export { openMirrorReadOnly } from "./open-read-only.ts";
