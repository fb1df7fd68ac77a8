import type Database from "better-sqlite3";

/** Names for the ids a value holds: related pages by title, people by name. */
export interface ValueNames {
  /** The page's title; undefined when the mirror does not hold the page. Never throws. */
  pageTitle(pageId: string): string | undefined;
  /** The person's (or bot's) name as the mirror last saw it; undefined when none is known. */
  userName(userId: string): string | undefined;
  /** Reads the titles of all of `pageIds` at once (one statement). Optional; never throws. */
  learnPages?(pageIds: Iterable<string>): void;
}

/** Where a user may appear in a page: its people properties, created_by and last_edited_by. */
const USER_NAME_SQL = `
SELECT json_extract(person.value, '$.name') FROM pages,
     json_each(pages.raw_json, '$.properties') AS property,
     json_each(CASE json_extract(property.value, '$.type')
                 WHEN 'people' THEN json_extract(property.value, '$.people')
                 WHEN 'created_by' THEN json_array(json_extract(property.value, '$.created_by'))
                 WHEN 'last_edited_by' THEN json_array(json_extract(property.value, '$.last_edited_by'))
                 ELSE '[]' END) AS person
WHERE instr(pages.raw_json, :id) > 0
  AND json_extract(person.value, '$.id') = :id
  AND json_extract(person.value, '$.name') IS NOT NULL
  AND json_extract(person.value, '$.name') <> ''
LIMIT 1`;

/** A page's title, as a column of `pages AS p`. */
const TITLE_COLUMN = `
(SELECT group_concat(json_extract(item.value, '$.plain_text'), '' ORDER BY item.key)
        FROM json_each(p.raw_json, '$.properties') AS property,
             json_each(property.value, '$.title') AS item
        WHERE json_extract(property.value, '$.type') = 'title') AS title`;

/**
 * Value names read from the mirror, each id once. Without a mirror every name is unknown.
 *
 * @example valueNames(mirror.sqlite).pageTitle(relatedId) // "Atlas Platform"
 */
export function valueNames(sqlite: Database.Database | undefined): ValueNames {
  const title = sqlite?.prepare(`SELECT ${TITLE_COLUMN} FROM pages AS p WHERE p.id = ?`);
  const titlesOf = sqlite?.prepare(
    `SELECT p.id AS pageId, ${TITLE_COLUMN} FROM pages AS p WHERE p.id IN (SELECT value FROM json_each(?))`,
  );
  const user = sqlite?.prepare(USER_NAME_SQL).pluck();
  const titles = new Map<string, string | undefined>();
  const users = new Map<string, string | undefined>();
  return {
    pageTitle(pageId) {
      if (!titles.has(pageId)) {
        const row = title?.get(pageId) as { title: string | null } | undefined;
        titles.set(pageId, row ? row.title || "(untitled)" : undefined);
      }
      return titles.get(pageId);
    },
    learnPages(pageIds) {
      const wanted = [...new Set(pageIds)].filter((id) => !titles.has(id));
      if (!titlesOf || wanted.length === 0) return;
      for (const id of wanted) titles.set(id, undefined);
      const rows = titlesOf.all(JSON.stringify(wanted)) as Array<{
        pageId: string;
        title: string | null;
      }>;
      for (const row of rows) titles.set(row.pageId, row.title || "(untitled)");
    },
    userName(userId) {
      if (!users.has(userId)) {
        const name = user?.get({ id: userId }) as string | undefined;
        users.set(userId, typeof name === "string" ? name : undefined);
      }
      return users.get(userId);
    },
  };
}
