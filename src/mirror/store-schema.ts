import type { DataSourceObjectResponse } from "../notion/sdk-types.ts";
import type Database from "better-sqlite3";
import { NotionMirrorError } from "../errors.ts";
import { quoteIdentifier } from "./column-names.ts";
import { schemaFingerprint } from "../notion/schema-fingerprint.ts";
import type { KnownProperty, SchemaChange } from "./schema-diff.ts";
import { diffSchema } from "./schema-diff.ts";
import { createViewSql, planViewColumns, valueKeyOf } from "./view-sql.ts";
import { plainText } from "../notion/codec/index.ts";

export interface StoredDataSource {
  id: string;
  alias: string;
  watermark: string | null;
  fullPulledAt: string | null;
}

/** The mirror's record of a data source, or undefined before its first pull. */
export function readStoredDataSource(
  sqlite: Database.Database,
  id: string,
): StoredDataSource | undefined {
  return sqlite
    .prepare(
      "SELECT id, alias, watermark, full_pulled_at AS fullPulledAt FROM data_sources WHERE id = ?",
    )
    .get(id) as StoredDataSource | undefined;
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
  const known = sqlite
    .prepare(
      "SELECT property_id AS propertyId, name, type FROM properties WHERE data_source_id = ?",
    )
    .all(source.id) as KnownProperty[];
  const firstPull = known.length === 0 && !readStoredDataSource(sqlite, source.id);
  const changes = firstPull ? [] : diffSchema(known, source.properties);

  const title = plainText(source.title);
  const databaseId = source.parent.type === "database_id" ? source.parent.database_id : "";
  // An alias freed by a data source that was renamed in the config goes to its new owner.
  sqlite
    .prepare("UPDATE data_sources SET alias = '~' || id WHERE alias = ? AND id <> ?")
    .run(alias, source.id);
  sqlite
    .prepare(
      `INSERT INTO data_sources (id, database_id, alias, title, schema_json, schema_fingerprint)
       VALUES (@id, @databaseId, @alias, @title, @schemaJson, @fingerprint)
       ON CONFLICT(id) DO UPDATE SET database_id = @databaseId, alias = @alias, title = @title,
         schema_json = @schemaJson, schema_fingerprint = @fingerprint`,
    )
    .run({
      id: source.id,
      databaseId,
      alias,
      title,
      schemaJson: JSON.stringify(source),
      fingerprint: schemaFingerprint(source),
    });

  sqlite.prepare("DELETE FROM properties WHERE data_source_id = ?").run(source.id);
  const insert = sqlite.prepare(
    `INSERT INTO properties (data_source_id, property_id, name, type, config_json, value_key)
     VALUES (?, ?, ?, ?, ?, ?)`,
  );
  for (const property of Object.values(source.properties)) {
    insert.run(
      source.id,
      property.id,
      property.name,
      property.type,
      JSON.stringify(property),
      valueKeyOf(property.id),
    );
  }
  const record = sqlite.prepare(
    `INSERT INTO schema_changes (data_source_id, property_id, kind, before, after, detected_at) VALUES (?, ?, ?, ?, ?, ?)`,
  );
  for (const change of changes) {
    record.run(source.id, change.propertyId, change.kind, change.before, change.after, detectedAt);
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
  const { alias } = sqlite
    .prepare("SELECT alias FROM data_sources WHERE id = ?")
    .get(dataSourceId) as { alias: string };
  const properties = sqlite
    .prepare(
      "SELECT property_id AS propertyId, name, type, value_key AS valueKey, config_json AS configJson FROM properties WHERE data_source_id = ? ORDER BY rowid",
    )
    .all(dataSourceId) as Array<{
    propertyId: string;
    name: string;
    type: string;
    valueKey: string;
    configJson: string;
  }>;
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
    properties.map(({ configJson, ...property }) => ({
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
