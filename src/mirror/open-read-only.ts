import { existsSync } from "node:fs";
import Database from "better-sqlite3";
import { NotionMirrorError } from "../errors.ts";

/**
 * Opens an existing mirror for reading only: user SQL and fill rules run here and cannot change it.
 * Kept apart from open-mirror.ts (drizzle, migrations) so the rule sandbox starts fast.
 */
export function openMirrorReadOnly(path: string): Database.Database {
  if (!existsSync(path)) {
    throw new NotionMirrorError("config", `No mirror at ${path}.`, "Try: notion-mirror sync pull");
  }
  const sqlite = new Database(path, { readonly: true, fileMustExist: true });
  sqlite.pragma("query_only = ON");
  return sqlite;
}
