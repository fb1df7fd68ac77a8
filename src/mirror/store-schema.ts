import type { DataSourceObjectResponse } from "../notion/sdk-types.ts";
import type Database from "better-sqlite3";
import { and, eq, ne, sql as sqlText } from "drizzle-orm";
import { NotionMirrorError } from "../errors.ts";
import { quoteIdentifier } from "./column-names.ts";
import { schemaFingerprint } from "../notion/schema-fingerprint.ts";
import type { KnownProperty, SchemaChange } from "./schema-diff.ts";
import { diffSchema } from "./schema-diff.ts";
import { dataSources, properties, schemaChanges } from "./schema.ts";
import { typedDb } from "./typed-db.ts";
import { createViewSql, planViewColumns, valueKeyOf } from "./view-sql.ts";
import { plainText } from "../notion/codec/index.ts";

export type StoredDataSource = Pick<
  typeof dataSources.$inferSelect,
  "id" | "alias" | "watermark" | "fullPulledAt"
>;

/** The mirror's record of a data source, or undefined before its first pull. */
export function readStoredDataSource(
  sqlite: Database.Database,
  id: string,
): StoredDataSource | undefined {
  return typedDb(sqlite)
    .select({
      id: dataSources.id,
      alias: dataSources.alias,
      watermark: dataSources.watermark,
      fullPulledAt: dataSources.fullPulledAt,
    })
    .from(dataSources)
    .where(eq(dataSources.id, id))
    .get();
}

/**
 * Stores a data source's schema as Notion returned it, records what changed since the last pull,
 * and replaces its properties. Returns the changes (empty on the first pull).
 */
export function storeSchema(
  sqlite: Database.Database,
  source: DataSourceObjectResponse,
  alias: string,
  detectedAt: string,
): SchemaChange[] {
  const db = typedDb(sqlite);
  const known: KnownProperty[] = db
    .select({ propertyId: properties.propertyId, name: properties.name, type: properties.type })
    .from(properties)
    .where(eq(properties.dataSourceId, source.id))
    .all();
  const firstPull = known.length === 0 && !readStoredDataSource(sqlite, source.id);
  const changes = firstPull ? [] : diffSchema(known, source.properties);

  const title = plainText(source.title);
  const databaseId = source.parent.type === "database_id" ? source.parent.database_id : "";
  // An alias freed by a data source that was renamed in the config goes to its new owner.
  db.update(dataSources)
    .set({ alias: sqlText`'~' || ${dataSources.id}` })
    .where(and(eq(dataSources.alias, alias), ne(dataSources.id, source.id)))
    .run();
  const described = {
    databaseId,
    alias,
    title,
    schemaJson: JSON.stringify(source),
    schemaFingerprint: schemaFingerprint(source),
  };
  db.insert(dataSources)
    .values({ id: source.id, ...described })
    .onConflictDoUpdate({ target: dataSources.id, set: described })
    .run();

  db.delete(properties).where(eq(properties.dataSourceId, source.id)).run();
  // One multi-row INSERT in schema order (rebuildView reads them back in rowid order): a pull of
  // many data sources stores every schema, and a query per property cost more than the page
  // writes of a small data source.
  const rows = Object.values(source.properties).map((property) => ({
    dataSourceId: source.id,
    propertyId: property.id,
    name: property.name,
    type: property.type,
    configJson: JSON.stringify(property),
    valueKey: valueKeyOf(property.id),
  }));
  if (rows.length > 0) db.insert(properties).values(rows).run();
  for (const change of changes) {
    db.insert(schemaChanges)
      .values({
        dataSourceId: source.id,
        propertyId: change.propertyId,
        kind: change.kind,
        before: change.before,
        after: change.after,
        detectedAt,
      })
      .run();
  }
  return changes;
}

/**
 * Rebuilds the typed view of a data source from its stored properties (in schema order) and
 * records its columns. Returns the CREATE VIEW text.
 */
export function rebuildView(
  sqlite: Database.Database,
  dataSourceId: string,
  previousAlias?: string,
): string {
  const db = typedDb(sqlite);
  const stored = db
    .select({ alias: dataSources.alias })
    .from(dataSources)
    .where(eq(dataSources.id, dataSourceId))
    .get();
  if (!stored) throw new Error(`rebuildView: data source ${dataSourceId} is not stored`);
  const { alias } = stored;
  const shown = db
    .select({
      propertyId: properties.propertyId,
      name: properties.name,
      type: properties.type,
      valueKey: properties.valueKey,
      configJson: properties.configJson,
    })
    .from(properties)
    .where(eq(properties.dataSourceId, dataSourceId))
    .orderBy(sqlText`rowid`)
    .all();
  const clash = sqlite
    .prepare(
      "SELECT type FROM sqlite_master WHERE name = ? COLLATE NOCASE AND type <> 'view' LIMIT 1",
    )
    .get(alias) as { type: string } | undefined;
  if (clash) {
    throw new NotionMirrorError(
      "config",
      `The alias "${alias}" is the name of a ${clash.type} of the mirror; a view cannot take it.`,
      "Rename that alias in notion-mirror.json.",
    );
  }
  const columns = planViewColumns(
    shown.map(({ configJson, ...property }) => ({
      ...property,
      config: JSON.parse(configJson) as unknown,
    })),
  );
  const sql = createViewSql(alias, dataSourceId, columns);
  for (const name of new Set(
    [alias, previousAlias].filter((value): value is string => Boolean(value)),
  )) {
    sqlite.exec(`DROP VIEW IF EXISTS ${quoteIdentifier(name)}`);
  }
  sqlite.exec(sql);
  sqlite.prepare("DELETE FROM column_map WHERE data_source_id = ?").run(dataSourceId);
  const insert = sqlite.prepare(
    `INSERT INTO column_map (data_source_id, column_name, property_id, property_type, sql_type, part) VALUES (?, ?, ?, ?, ?, ?)`,
  );
  for (const column of columns) {
    insert.run(
      dataSourceId,
      column.columnName,
      column.propertyId,
      column.propertyType,
      column.sqlType,
      column.part,
    );
  }
  return sql;
}
