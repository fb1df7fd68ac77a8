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
  /**
   * Reads the names of all of `pageIds` at once (one statement), so that naming hundreds of
   * pages afterwards asks the mirror nothing. Optional to call; never throws.
   */
  learn(pageIds: Iterable<string>): void;
}

/** The columns a page's name is read from; one page (`= ?`) or many (`IN json_each(?)`). */
const NAME_SQL = `SELECT p.id AS pageId, p.data_source_id AS dataSourceId, d.alias AS alias,
       (SELECT group_concat(json_extract(item.value, '$.plain_text'), '' ORDER BY item.key)
        FROM json_each(p.raw_json, '$.properties') AS property,
             json_each(property.value, '$.title') AS item
        WHERE json_extract(property.value, '$.type') = 'title') AS title
     FROM pages AS p LEFT JOIN data_sources AS d ON d.id = p.data_source_id`;

interface NameRow {
  pageId: string;
  dataSourceId: string;
  alias: string | null;
  title: string | null;
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
  const one = sqlite?.prepare(`${NAME_SQL} WHERE p.id = ?`);
  const many = sqlite?.prepare(`${NAME_SQL} WHERE p.id IN (SELECT value FROM json_each(?))`);
  const aliasOf = (id: string) =>
    aliases.get(id) ?? (sqlite ? storedAlias(sqlite, id) : undefined) ?? id;
  const known = new Map<string, PageName>();
  /** Rows read in bulk, named when first asked for (the data source a caller knows may count). */
  const read = new Map<string, NameRow | null>();
  const named = (pageId: string, found: NameRow | undefined, dataSourceId?: string): PageName => {
    const source = found?.dataSourceId ?? dataSourceId;
    return {
      database: found?.alias ?? (source !== undefined ? aliasOf(source) : "(unknown database)"),
      title: found ? found.title || "(untitled)" : "(not in the mirror)",
      pageId,
    };
  };
  return {
    of(pageId, dataSourceId) {
      const cached = known.get(pageId);
      if (cached) return cached;
      const found = read.has(pageId)
        ? (read.get(pageId) ?? undefined)
        : (one?.get(pageId) as NameRow | undefined);
      const name = named(pageId, found, dataSourceId);
      known.set(pageId, name);
      return name;
    },
    learn(pageIds) {
      const wanted = [...new Set(pageIds)].filter((id) => !known.has(id) && !read.has(id));
      if (!many || wanted.length === 0) return;
      for (const id of wanted) read.set(id, null);
      for (const row of many.all(JSON.stringify(wanted)) as NameRow[]) read.set(row.pageId, row);
    },
  };
}

/** "database / title", the words of a page's name. */
export function pageNameText(name: PageName): string {
  return `${name.database} / ${name.title}`;
}
