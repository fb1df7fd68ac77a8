import type Database from "better-sqlite3";
import { eq, sql } from "drizzle-orm";
import { dataSources } from "./schema.ts";
import { typedDb } from "./typed-db.ts";

/** Whether the mirror holds every page Notion has for a data source. */
export interface Completeness {
  /**
   * "complete": the latest full pull read every page, past Notion's per-query cap, and every pull
   * since was complete too (one that cannot be fails and commits nothing). "unknown": pulled by a
   * notion-mirror that did not check (a `sync pull --full` settles it). "never pulled".
   */
  state: "complete" | "unknown" | "never pulled";
  /** When the full pull that made it complete ran. */
  since: string | null;
  /** Query windows the latest pull walked, and how many of them Notion cut at its cap. */
  windows: number | null;
  cappedWindows: number | null;
}

/**
 * Reads the completeness of each data source from the mirror. Works on a read-only mirror that
 * an older notion-mirror wrote (no such columns yet): every pulled data source is then "unknown".
 */
export function completenessReader(
  sqlite: Database.Database,
): (dataSourceId: string) => Completeness {
  const names = new Set(
    (sqlite.prepare("PRAGMA table_info(data_sources)").all() as Array<{ name: string }>).map(
      (column) => column.name,
    ),
  );
  const tracked = names.has("complete_since");
  // Columns an older mirror lacks are read as NULL.
  const columns = tracked
    ? {
        pulledAt: dataSources.pulledAt,
        since: dataSources.completeSince,
        windows: dataSources.walkWindows,
        capped: dataSources.walkCapped,
      }
    : {
        pulledAt: dataSources.pulledAt,
        since: sql<string | null>`NULL`,
        windows: sql<number | null>`NULL`,
        capped: sql<number | null>`NULL`,
      };
  const db = typedDb(sqlite);
  return (dataSourceId) => {
    const stored = db
      .select(columns)
      .from(dataSources)
      .where(eq(dataSources.id, dataSourceId))
      .get();
    if (!stored?.pulledAt) {
      return { state: "never pulled", since: null, windows: null, cappedWindows: null };
    }
    return {
      state: stored.since ? "complete" : "unknown",
      since: stored.since,
      windows: stored.windows,
      cappedWindows: stored.capped,
    };
  };
}

/** One line for people: "complete", with the windows when Notion's cap was reached. */
export function completenessText(completeness: Completeness): string {
  switch (completeness.state) {
    case "never pulled":
      return "never pulled";
    case "unknown":
      return "not checked (pulled by an older notion-mirror): run sync pull --full";
    case "complete": {
      const capped = completeness.cappedWindows ?? 0;
      return capped > 0
        ? `complete (${completeness.windows ?? capped + 1} query windows past Notion's per-query cap)`
        : "complete";
    }
  }
}
