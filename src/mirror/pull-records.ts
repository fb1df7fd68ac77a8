import type Database from "better-sqlite3";
import { and, desc, eq, gt } from "drizzle-orm";
import { dataSources, pulls, schemaChanges } from "./schema.ts";
import { typedDb } from "./typed-db.ts";

/** What a finished pull of one data source records on its row. */
export interface DataSourcePulled {
  /** Latest page last_edited_time seen. */
  watermark: string | null;
  pulledAt: string;
  /** A full pull: it sets full_pulled_at, and complete_since (it read every page). */
  full: boolean;
  walk: { windows: number; capped: number };
}

/** Records on data source `id`'s row that a pull of it finished (part of the pull's transaction). */
export function recordDataSourcePulled(
  sqlite: Database.Database,
  id: string,
  pulled: DataSourcePulled,
): void {
  typedDb(sqlite)
    .update(dataSources)
    .set({
      watermark: pulled.watermark,
      pulledAt: pulled.pulledAt,
      ...(pulled.full ? { fullPulledAt: pulled.pulledAt, completeSince: pulled.pulledAt } : {}),
      walkWindows: pulled.walk.windows,
      walkCapped: pulled.walk.capped,
    })
    .where(eq(dataSources.id, id))
    .run();
}

export type PullRecord = Omit<typeof pulls.$inferInsert, "id">;

/** Records a finished pull (part of its transaction). */
export function recordPull(sqlite: Database.Database, pull: PullRecord): void {
  typedDb(sqlite).insert(pulls).values(pull).run();
}

/** The latest pull, or null before the first. */
export function lastPull(
  sqlite: Database.Database,
): Pick<typeof pulls.$inferSelect, "finishedAt" | "mode" | "requests" | "pagesWritten"> | null {
  return (
    typedDb(sqlite)
      .select({
        finishedAt: pulls.finishedAt,
        mode: pulls.mode,
        requests: pulls.requests,
        pagesWritten: pulls.pagesWritten,
      })
      .from(pulls)
      .orderBy(desc(pulls.id))
      .limit(1)
      .get() ?? null
  );
}

/** When a data source was pulled, and up to where; undefined before its first pull. */
export function pullState(
  sqlite: Database.Database,
  id: string,
):
  | Pick<typeof dataSources.$inferSelect, "title" | "pulledAt" | "fullPulledAt" | "watermark">
  | undefined {
  return typedDb(sqlite)
    .select({
      title: dataSources.title,
      pulledAt: dataSources.pulledAt,
      fullPulledAt: dataSources.fullPulledAt,
      watermark: dataSources.watermark,
    })
    .from(dataSources)
    .where(eq(dataSources.id, id))
    .get();
}

/** The schema changes pulls recorded for a data source after `since`, oldest first. */
export function schemaChangesSince(
  sqlite: Database.Database,
  dataSourceId: string,
  since: string,
): Array<Pick<typeof schemaChanges.$inferSelect, "kind" | "before" | "after" | "detectedAt">> {
  return typedDb(sqlite)
    .select({
      kind: schemaChanges.kind,
      before: schemaChanges.before,
      after: schemaChanges.after,
      detectedAt: schemaChanges.detectedAt,
    })
    .from(schemaChanges)
    .where(and(eq(schemaChanges.dataSourceId, dataSourceId), gt(schemaChanges.detectedAt, since)))
    .orderBy(schemaChanges.id)
    .all();
}
