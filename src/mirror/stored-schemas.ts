import type Database from "better-sqlite3";
import { and, count, eq, inArray, isNotNull } from "drizzle-orm";
import { dataSources, properties } from "./schema.ts";
import { typedDb } from "./typed-db.ts";

/** The typed reads of the schemas pulls stored (data_sources and properties). */

type PropertyRow = typeof properties.$inferSelect;

/** Data source `id`'s schema as Notion returned it, if the mirror still holds that fingerprint. */
export function storedSchemaJson(
  sqlite: Database.Database,
  id: string,
  fingerprint: string,
): string | undefined {
  return typedDb(sqlite)
    .select({ schemaJson: dataSources.schemaJson })
    .from(dataSources)
    .where(and(eq(dataSources.id, id), eq(dataSources.schemaFingerprint, fingerprint)))
    .get()?.schemaJson;
}

/** Every stored data source's schema as Notion returned it. */
export function allSchemaJson(sqlite: Database.Database): string[] {
  return typedDb(sqlite)
    .select({ schemaJson: dataSources.schemaJson })
    .from(dataSources)
    .all()
    .map((row) => row.schemaJson);
}

/** Each stored data source's alias, title and id, by alias. */
export function dataSourceNames(
  sqlite: Database.Database,
): Array<Pick<typeof dataSources.$inferSelect, "alias" | "title" | "id">> {
  return typedDb(sqlite)
    .select({ alias: dataSources.alias, title: dataSources.title, id: dataSources.id })
    .from(dataSources)
    .orderBy(dataSources.alias)
    .all();
}

/** The schema object of a relation property, as JSON; undefined when it is not a relation. */
export function relationConfigJson(
  sqlite: Database.Database,
  dataSourceId: string,
  propertyId: string,
): string | undefined {
  return typedDb(sqlite)
    .select({ configJson: properties.configJson })
    .from(properties)
    .where(
      and(
        eq(properties.dataSourceId, dataSourceId),
        eq(properties.propertyId, propertyId),
        eq(properties.type, "relation"),
      ),
    )
    .get()?.configJson;
}

/** Every stored relation and rollup property, with its schema object as JSON. */
export function relationAndRollupProperties(
  sqlite: Database.Database,
): Array<Pick<PropertyRow, "dataSourceId" | "propertyId" | "type" | "configJson">> {
  return typedDb(sqlite)
    .select({
      dataSourceId: properties.dataSourceId,
      propertyId: properties.propertyId,
      type: properties.type,
      configJson: properties.configJson,
    })
    .from(properties)
    .where(inArray(properties.type, ["relation", "rollup"]))
    .all();
}

/** A stored data source as plans read it: names, fingerprint, sync state and schema JSON. */
export type StoredSourceRow = Pick<
  typeof dataSources.$inferSelect,
  "id" | "alias" | "title" | "watermark" | "pulledAt" | "schemaJson"
> & { fingerprint: string };

/** The stored data source with this id or alias, or undefined. */
export function storedSource(
  sqlite: Database.Database,
  by: { id: string } | { alias: string },
): StoredSourceRow | undefined {
  return typedDb(sqlite)
    .select({
      id: dataSources.id,
      alias: dataSources.alias,
      title: dataSources.title,
      fingerprint: dataSources.schemaFingerprint,
      watermark: dataSources.watermark,
      pulledAt: dataSources.pulledAt,
      schemaJson: dataSources.schemaJson,
    })
    .from(dataSources)
    .where("id" in by ? eq(dataSources.id, by.id) : eq(dataSources.alias, by.alias))
    .get();
}

/** Data source `id`'s title, database and fingerprint, or undefined before its first pull. */
export function sourceDescription(
  sqlite: Database.Database,
  id: string,
): { title: string; databaseId: string; fingerprint: string } | undefined {
  return typedDb(sqlite)
    .select({
      title: dataSources.title,
      databaseId: dataSources.databaseId,
      fingerprint: dataSources.schemaFingerprint,
    })
    .from(dataSources)
    .where(eq(dataSources.id, id))
    .get();
}

/** Data source `id`'s alias in the mirror, or undefined. */
export function storedAlias(sqlite: Database.Database, id: string): string | undefined {
  return typedDb(sqlite)
    .select({ alias: dataSources.alias })
    .from(dataSources)
    .where(eq(dataSources.id, id))
    .get()?.alias;
}

/** How many data sources have been pulled at least once. */
export function pulledSourceCount(sqlite: Database.Database): number {
  return (
    typedDb(sqlite)
      .select({ n: count() })
      .from(dataSources)
      .where(isNotNull(dataSources.pulledAt))
      .get()?.n ?? 0
  );
}

/** The stored properties of data source `dataSourceId`. */
export function storedProperties(
  sqlite: Database.Database,
  dataSourceId: string,
): Array<Pick<PropertyRow, "propertyId" | "name" | "type" | "configJson" | "valueKey">> {
  return typedDb(sqlite)
    .select({
      propertyId: properties.propertyId,
      name: properties.name,
      type: properties.type,
      configJson: properties.configJson,
      valueKey: properties.valueKey,
    })
    .from(properties)
    .where(eq(properties.dataSourceId, dataSourceId))
    .all();
}
