import { readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import type Database from "better-sqlite3";
import { NotionMirrorError } from "../errors.ts";

/** The migrations folder of this package, wherever it is run from. */
export const MIGRATIONS_FOLDER = fileURLToPath(new URL("../../migrations", import.meta.url));

/**
 * The migrations this build knows, as drizzle records them in a mirror's `__drizzle_migrations`
 * (`created_at` is the journal entry's `when`). Read from drizzle-kit's journal, not by loading
 * drizzle, so the rule sandbox still starts fast.
 */
function knownMigrations(): number[] {
  const journal = JSON.parse(
    readFileSync(join(MIGRATIONS_FOLDER, "meta", "_journal.json"), "utf8"),
  ) as { entries: Array<{ when: number }> };
  return journal.entries.map((entry) => entry.when);
}

/**
 * Refuses a mirror that a newer notion-mirror has migrated: one holding a migration made after
 * the newest this build knows. Drizzle's migrator would skip it silently (it only applies
 * migrations newer than the mirror's last), and this build would then misread tables it does not
 * know. Call on a read-only connection, before anything is written. Throws a config error naming
 * both schema versions; returns quietly for a mirror of this version, an older one, or a new file.
 */
export function refuseNewerMirror(sqlite: Database.Database, shown: string): void {
  const table = sqlite
    .prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = '__drizzle_migrations'")
    .get();
  if (!table) return;
  const applied = (
    sqlite.prepare("SELECT created_at FROM __drizzle_migrations").all() as Array<{
      created_at: unknown;
    }>
  ).map((row) => Number(row.created_at));
  const known = knownMigrations();
  const newest = Math.max(...known);
  if (!applied.some((when) => when > newest)) return;
  throw new NotionMirrorError(
    "config",
    `The mirror ${shown} was written by a newer notion-mirror (schema ${applied.length}, this one knows ${known.length}); upgrade notion-mirror to use it. It was left as it is.`,
    "Upgrade notion-mirror (npm install notion-mirror@latest), or set `mirror` in notion-mirror.json to another file.",
  );
}
