import type Database from "better-sqlite3";
import type { BetterSQLite3Database } from "drizzle-orm/better-sqlite3";
import { drizzle } from "drizzle-orm/better-sqlite3";
import * as schema from "./schema.ts";

/** drizzle's typed view of a mirror connection: the row shapes are those of `schema.ts`. */
export type MirrorDb = BetterSQLite3Database<typeof schema>;

const views = new WeakMap<Database.Database, MirrorDb>();

/**
 * The typed view of `sqlite`, made once per connection. Its queries run on that connection, so
 * they take part in a transaction opened there with `sqlite.transaction(...)`.
 */
export function typedDb(sqlite: Database.Database): MirrorDb {
  let db = views.get(sqlite);
  if (!db) {
    db = drizzle(sqlite, { schema });
    views.set(sqlite, db);
  }
  return db;
}
