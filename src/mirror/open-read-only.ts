import Database from "better-sqlite3";
import { NotionMirrorError, storageError } from "../errors.ts";
import { checkMirrorPath } from "../util/path-checks.ts";
import { refuseNewerMirror } from "./schema-version.ts";

/**
 * Opens an existing mirror for reading only: user SQL and fill rules run here and cannot change it.
 * Kept apart from open-mirror.ts (drizzle, migrations) so the rule sandbox starts fast. The path
 * is checked first (a SQLite file; links followed) and a mirror made by a newer notion-mirror is
 * refused, as {@link openMirror} does.
 */
export function openMirrorReadOnly(path: string): Database.Database {
  const checked = checkMirrorPath(path);
  if (!checked.stats || checked.stats.size === 0) {
    throw new NotionMirrorError(
      "config",
      `No mirror at ${checked.shown}.`,
      "Try: notion-mirror sync pull",
    );
  }
  let sqlite: Database.Database | undefined;
  try {
    sqlite = new Database(checked.real, { readonly: true, fileMustExist: true });
    refuseNewerMirror(sqlite, checked.shown);
  } catch (error) {
    sqlite?.close();
    if (error instanceof NotionMirrorError) throw error;
    const storage = storageError(error);
    if (storage) throw storage;
    throw new NotionMirrorError(
      "config",
      `${checked.shown} cannot be read as a SQLite database: ${(error as Error).message}`,
      "Point `mirror` in notion-mirror.json at another file, or restore this one from a backup.",
    );
  }
  sqlite.pragma("query_only = ON");
  return sqlite;
}
