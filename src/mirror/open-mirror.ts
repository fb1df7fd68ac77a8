import { chmodSync, closeSync, mkdirSync, openSync } from "node:fs";
import { dirname } from "node:path";
import Database from "better-sqlite3";
import { migrate } from "drizzle-orm/better-sqlite3/migrator";
import { NotionMirrorError, storageError } from "../errors.ts";
import type { CheckedPath } from "../util/path-checks.ts";
import { checkMirrorPath } from "../util/path-checks.ts";
import { MIGRATIONS_FOLDER, refuseNewerMirror } from "./schema-version.ts";
import type { MirrorDb } from "./typed-db.ts";
import { typedDb } from "./typed-db.ts";

export { MIGRATIONS_FOLDER } from "./schema-version.ts";

export interface Mirror {
  /** The raw connection (for transactions, views and plain SQL). */
  sqlite: Database.Database;
  /** The typed queries on the same connection (see typedDb). */
  db: MirrorDb;
  path: string;
  close(): void;
}

/**
 * Opens (creating it 0600 if needed) the mirror file in WAL mode and brings its schema up to date
 * with drizzle's migrator. Before anything is created, chmod'ed or written, the path is checked
 * (a new or empty file, or a SQLite file; links followed) and an existing mirror's schema version
 * read on a read-only connection: a mirror made by a newer notion-mirror is refused untouched.
 * Throws a config error when the file cannot be opened or is not a mirror of this version.
 */
export function openMirror(path: string): Mirror {
  const checked = checkMirrorPath(path);
  if (checked.stats && checked.stats.size > 0) checkExisting(checked);
  try {
    if (!checked.stats) {
      mkdirSync(dirname(checked.real), { recursive: true });
      closeSync(openSync(checked.real, "a", 0o600));
    }
    chmodSync(checked.real, 0o600);
  } catch (error) {
    throw new NotionMirrorError(
      "config",
      `Cannot create the mirror file ${checked.shown}: ${(error as Error).message}`,
      "Point `mirror` in notion-mirror.json at a file in a folder you can write (its parent folders must be folders), or fix that folder.",
    );
  }
  let sqlite: Database.Database;
  try {
    sqlite = new Database(checked.real);
    sqlite.pragma("journal_mode = WAL");
    sqlite.pragma("synchronous = FULL");
    sqlite.pragma("busy_timeout = 10000");
    sqlite.pragma("foreign_keys = ON");
  } catch (error) {
    throw new NotionMirrorError(
      "config",
      `Cannot open the mirror ${checked.shown}: ${(error as Error).message}`,
      "Check that the mirror file and its folder can be written (not a read-only disk), or point `mirror` in notion-mirror.json elsewhere.",
    );
  }
  const db = typedDb(sqlite);
  try {
    migrate(db, { migrationsFolder: MIGRATIONS_FOLDER });
  } catch (error) {
    sqlite.close();
    throw new NotionMirrorError(
      "config",
      `${checked.shown} is not a notion-mirror file: ${(error as Error).message}`,
      "Point `mirror` in notion-mirror.json at another file, or move this one away.",
    );
  }
  return { sqlite, db, path, close: () => sqlite.close() };
}

/** An existing SQLite file, read-only: is it a database at all, and not from a newer version? */
function checkExisting(checked: CheckedPath): void {
  let sqlite: Database.Database | undefined;
  try {
    sqlite = new Database(checked.real, { readonly: true, fileMustExist: true });
    refuseNewerMirror(sqlite, checked.shown);
  } catch (error) {
    if (error instanceof NotionMirrorError) throw error;
    const storage = storageError(error);
    if (storage) throw storage;
    throw new NotionMirrorError(
      "config",
      `${checked.shown} cannot be read as a SQLite database: ${(error as Error).message}. It was left as it is.`,
      "Point `mirror` in notion-mirror.json at another file, or restore this one from a backup.",
    );
  } finally {
    sqlite?.close();
  }
}

export { openMirrorReadOnly } from "./open-read-only.ts";
