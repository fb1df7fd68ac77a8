import type Database from "better-sqlite3";
import { storedAlias } from "../mirror/stored-schemas.ts";

/** How a page is named for people: its database and its title, as `plan` shows them. */
export interface PageName {
  /** The data source's alias, or its id when no alias is known. */
  database: string;
  /** The page's title; "(untitled)" for an empty one, "(not in the mirror)" without one. */
  title: string;
  pageId: string;
}

/** Names pages, reading each from the mirror once. */
export interface PageNames {
  /**
   * The page's database and title. `dataSourceId` is used when the mirror does not know the
   * page (or there is no mirror: a revert from a snapshot file alone). Never throws.
   */
  of(pageId: string, dataSourceId?: string): PageName;
}

/**
 * Page names from the mirror's pages (title and data source) and `aliases` (data source id →
 * alias: the config's, a run snapshot's), so a page is shown as "wt_phase_database / Atlas —
 * Discovery" rather than by id.
 *
 * @example pageNames(mirror.sqlite, new Map([[source.id, source.alias]])).of(pageId)
 */
export function pageNames(
  sqlite: Database.Database | undefined,
  aliases: ReadonlyMap<string, string>,
): PageNames {
  // The title is read by SQLite's JSON functions: no page's whole JSON is parsed in JavaScript.
  const row = sqlite?.prepare(
    `SELECT p.data_source_id AS dataSourceId, d.alias AS alias,
       (SELECT group_concat(json_extract(item.value, '$.plain_text'), '' ORDER BY item.key)
        FROM json_each(p.raw_json, '$.properties') AS property,
             json_each(property.value, '$.title') AS item
        WHERE json_extract(property.value, '$.type') = 'title') AS title
     FROM pages AS p LEFT JOIN data_sources AS d ON d.id = p.data_source_id
     WHERE p.id = ?`,
  );
  const aliasOf = (id: string) =>
    aliases.get(id) ?? (sqlite ? storedAlias(sqlite, id) : undefined) ?? id;
  const known = new Map<string, PageName>();
  return {
    of(pageId, dataSourceId) {
      const cached = known.get(pageId);
      if (cached) return cached;
      const found = row?.get(pageId) as
        { dataSourceId: string; alias: string | null; title: string | null } | undefined;
      const source = found?.dataSourceId ?? dataSourceId;
      const name: PageName = {
        database: found?.alias ?? (source !== undefined ? aliasOf(source) : "(unknown database)"),
        title: found ? found.title || "(untitled)" : "(not in the mirror)",
        pageId,
      };
      known.set(pageId, name);
      return name;
    },
  };
}

/** "database / title", the words of a page's name. */
export function pageNameText(name: PageName): string {
  return `${name.database} / ${name.title}`;
}
