import type { DataSourceObjectResponse, PageObjectResponse } from "@notionhq/client";
import type Database from "better-sqlite3";

type SchemaProperty = DataSourceObjectResponse["properties"][string];

export interface DataSourceInfo {
  id: string;
  alias: string;
  fingerprint: string;
  watermark: string | null;
  pulledAt: string | null;
  properties: DataSourceObjectResponse["properties"];
}

export interface PropertyInfo {
  id: string;
  name: string;
  type: string;
  schema: SchemaProperty;
}

export interface PageInfo {
  id: string;
  dataSourceId: string;
  live: boolean;
  title: string;
  properties: PageObjectResponse["properties"];
}

/** What plan building asks of the mirror. */
export interface MirrorLookup {
  dataSourceByAlias(alias: string): DataSourceInfo | undefined;
  dataSourceById(id: string): DataSourceInfo | undefined;
  /** By view column, Notion property name, or property id. */
  property(dataSource: DataSourceInfo, key: string): PropertyInfo | undefined;
  page(id: string): PageInfo | undefined;
  /** User ids the mirror has seen in people / created_by / last_edited_by values. */
  knownUserIds(): ReadonlySet<string>;
}

/** The lookups, read from the mirror's tables. */
export function sqliteLookup(sqlite: Database.Database): MirrorLookup {
  const bySql = (where: string) =>
    sqlite.prepare(
      `SELECT id, alias, schema_fingerprint AS fingerprint, watermark, pulled_at AS pulledAt, schema_json AS schemaJson FROM data_sources WHERE ${where} = ?`,
    );
  const byAlias = bySql("alias");
  const byId = bySql("id");
  const toInfo = (row: unknown): DataSourceInfo | undefined => {
    if (!row) return undefined;
    const { schemaJson, ...rest } = row as Omit<DataSourceInfo, "properties"> & {
      schemaJson: string;
    };
    return { ...rest, properties: (JSON.parse(schemaJson) as DataSourceObjectResponse).properties };
  };
  const column = sqlite.prepare(
    "SELECT property_id AS id FROM column_map WHERE data_source_id = ? AND column_name = ? AND property_id IS NOT NULL",
  );
  const pageRow = sqlite.prepare(
    "SELECT id, data_source_id AS dataSourceId, in_trash AS inTrash, gone, raw_json AS rawJson FROM pages WHERE id = ?",
  );
  let users: Set<string> | undefined;
  return {
    dataSourceByAlias: (alias) => toInfo(byAlias.get(alias)),
    dataSourceById: (id) => toInfo(byId.get(id)),
    property(dataSource, key) {
      const all = Object.values(dataSource.properties);
      const viaColumn = (column.get(dataSource.id, key) as { id: string } | undefined)?.id;
      const found =
        all.find((property) => property.id === viaColumn) ??
        all.find((property) => property.name === key) ??
        all.find((property) => property.id === key);
      return found
        ? { id: found.id, name: found.name, type: found.type, schema: found }
        : undefined;
    },
    page(id) {
      const row = pageRow.get(id) as
        | { id: string; dataSourceId: string; inTrash: number; gone: number; rawJson: string }
        | undefined;
      if (!row) return undefined;
      const page = JSON.parse(row.rawJson) as PageObjectResponse;
      const title = Object.values(page.properties)
        .flatMap((value) =>
          value.type === "title" ? value.title.map((item) => item.plain_text) : [],
        )
        .join("");
      return {
        id: row.id,
        dataSourceId: row.dataSourceId,
        live: !row.inTrash && !row.gone,
        title,
        properties: page.properties,
      };
    },
    knownUserIds() {
      users ??= collectUserIds(sqlite);
      return users;
    },
  };
}

function collectUserIds(sqlite: Database.Database): Set<string> {
  const ids = new Set<string>();
  const rows = sqlite
    .prepare(
      `SELECT DISTINCT json_extract(person.value, '$.id') AS id
       FROM pages, json_each(pages.raw_json, '$.properties') AS property,
            json_each(CASE json_extract(property.value, '$.type')
                        WHEN 'people' THEN json_extract(property.value, '$.people')
                        WHEN 'created_by' THEN json_array(json_extract(property.value, '$.created_by'))
                        WHEN 'last_edited_by' THEN json_array(json_extract(property.value, '$.last_edited_by'))
                        ELSE '[]' END) AS person
       UNION SELECT json_extract(raw_json, '$.created_by.id') FROM pages
       UNION SELECT json_extract(raw_json, '$.last_edited_by.id') FROM pages`,
    )
    .all() as Array<{ id: string | null }>;
  for (const row of rows) if (row.id) ids.add(row.id);
  return ids;
}
