import type { DataSourceObjectResponse, PageObjectResponse } from "../notion/sdk-types.ts";
import type Database from "better-sqlite3";
import { didYouMean, suggest } from "../util/suggest.ts";
import type { StoredSourceRow } from "../mirror/stored-schemas.ts";
import { dataSourceNames, storedSource } from "../mirror/stored-schemas.ts";

type SchemaProperty = DataSourceObjectResponse["properties"][string];

export interface DataSourceInfo {
  id: string;
  alias: string;
  /** The database's title in Notion. */
  title: string;
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

/** Where a page lives, and whether it is live (not in the trash, still shared). */
export interface PageInfo {
  id: string;
  dataSourceId: string;
  live: boolean;
}

/** A page with its title and the current value of one property. */
export interface PageWithValue extends PageInfo {
  title: string;
  /** Notion's value of the property (first one with the id), or undefined if the page has none. */
  current: PageObjectResponse["properties"][string] | undefined;
}

/** What plan building asks of the mirror. */
export interface MirrorLookup {
  dataSourceByAlias(alias: string): DataSourceInfo | undefined;
  dataSourceById(id: string): DataSourceInfo | undefined;
  /** By view column, Notion property name, or property id. */
  property(dataSource: DataSourceInfo, key: string): PropertyInfo | undefined;
  /**
   * For an alias no data source has, the nearest aliases with their titles ("did you mean
   * wt_phase_database (WT Phase Database)?"); "" when none is near.
   */
  nearestAliases(alias: string): string;
  /**
   * For a key {@link property} does not find, the nearest properties by Notion name and view
   * column ("did you mean projectId (column project_id)?"); "" when none is near.
   */
  nearestProperties(dataSource: DataSourceInfo, key: string): string;
  page(id: string): PageInfo | undefined;
  /** The page, its title and its value of the property `propertyId`. */
  pageWithValue(id: string, propertyId: string): PageWithValue | undefined;
  /** Whether the mirror has seen the user id in a people / created_by / last_edited_by value. */
  isKnownUser(id: string): boolean;
}

/**
 * The lookups, read from the mirror's tables. Data sources are read once each; a user id is
 * looked for once, in the pages whose raw JSON contains it.
 */
export function sqliteLookup(sqlite: Database.Database): MirrorLookup {
  const toInfo = (row: StoredSourceRow | undefined): DataSourceInfo | undefined => {
    if (!row) return undefined;
    const { schemaJson, ...rest } = row;
    return { ...rest, properties: (JSON.parse(schemaJson) as DataSourceObjectResponse).properties };
  };
  const sourcesById = new Map<string, DataSourceInfo | undefined>();
  const column = sqlite.prepare(
    "SELECT property_id AS id FROM column_map WHERE data_source_id = ? AND column_name = ? AND property_id IS NOT NULL",
  );
  const columnsOf = sqlite.prepare(
    "SELECT property_id AS id, column_name AS name FROM column_map WHERE data_source_id = ? AND property_id IS NOT NULL ORDER BY rowid",
  );
  const pageRow = sqlite.prepare(
    "SELECT id, data_source_id AS dataSourceId, in_trash AS inTrash, gone FROM pages WHERE id = ?",
  );
  const pageWithRawRow = sqlite.prepare(
    "SELECT id, data_source_id AS dataSourceId, in_trash AS inTrash, gone, raw_json AS rawJson FROM pages WHERE id = ?",
  );
  const userSeen = sqlite.prepare(USER_SEEN_SQL).pluck();
  const users = new Map<string, boolean>();
  return {
    dataSourceByAlias: (alias) => toInfo(storedSource(sqlite, { alias })),
    dataSourceById(id) {
      if (!sourcesById.has(id)) sourcesById.set(id, toInfo(storedSource(sqlite, { id })));
      return sourcesById.get(id);
    },
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
    nearestAliases(alias) {
      const rows = dataSourceNames(sqlite);
      return didYouMean(
        suggest(
          alias,
          rows.map((row) => ({
            names: [row.alias, row.title],
            label: `${row.alias} (${row.title})`,
          })),
        ),
      );
    },
    nearestProperties(dataSource, key) {
      const columns = new Map<string, string[]>();
      for (const row of columnsOf.all(dataSource.id) as Array<{ id: string; name: string }>) {
        columns.set(row.id, [...(columns.get(row.id) ?? []), row.name]);
      }
      const candidates = Object.values(dataSource.properties).map((property) => {
        const names = columns.get(property.id) ?? [];
        const first = names[0];
        return {
          names: [property.name, ...names],
          label:
            first && first !== property.name ? `${property.name} (column ${first})` : property.name,
        };
      });
      return didYouMean(suggest(key, candidates));
    },
    page(id) {
      const row = pageRow.get(id) as PageRow | undefined;
      return row && pageInfo(row);
    },
    pageWithValue(id, propertyId) {
      const row = pageWithRawRow.get(id) as (PageRow & { rawJson: string }) | undefined;
      if (!row) return undefined;
      const values = Object.values((JSON.parse(row.rawJson) as PageObjectResponse).properties);
      const title = values
        .flatMap((value) =>
          value.type === "title" ? value.title.map((item) => item.plain_text) : [],
        )
        .join("");
      const current = values.find((candidate) => candidate.id === propertyId);
      return { ...pageInfo(row), title, current };
    },
    isKnownUser(id) {
      let known = users.get(id);
      if (known === undefined) {
        known = id !== "" && userSeen.get({ id }) !== undefined;
        users.set(id, known);
      }
      return known;
    },
  };
}

interface PageRow {
  id: string;
  dataSourceId: string;
  inTrash: number;
  gone: number;
}

function pageInfo(row: PageRow): PageInfo {
  return { id: row.id, dataSourceId: row.dataSourceId, live: !row.inTrash && !row.gone };
}

/**
 * A page where the user :id appears as the page's creator or last editor, or in a people,
 * created_by or last_edited_by property. instr() skips, without parsing, the pages whose raw JSON
 * does not hold the id at all (Notion writes ids as plain text); the JSON test then confirms.
 */
const USER_SEEN_SQL = `
SELECT 1 FROM pages
WHERE instr(raw_json, :id) > 0
  AND (json_extract(raw_json, '$.created_by.id') = :id
    OR json_extract(raw_json, '$.last_edited_by.id') = :id
    OR EXISTS (
      SELECT 1
      FROM json_each(pages.raw_json, '$.properties') AS property,
           json_each(CASE json_extract(property.value, '$.type')
                       WHEN 'people' THEN json_extract(property.value, '$.people')
                       WHEN 'created_by' THEN json_array(json_extract(property.value, '$.created_by'))
                       WHEN 'last_edited_by' THEN json_array(json_extract(property.value, '$.last_edited_by'))
                       ELSE '[]' END) AS person
      WHERE json_extract(person.value, '$.id') = :id))
LIMIT 1`;
