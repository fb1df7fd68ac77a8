import type Database from "better-sqlite3";
import type { PageObjectResponse } from "../notion/sdk-types.ts";
import { NotionMirrorError } from "../errors.ts";
import type { NotionApi } from "../notion/notion-api.ts";
import { completePage } from "../notion/complete-page.ts";

/**
 * Re-reads the pages of a data source that the mirror holds as not current (an empty
 * `last_edited_time`: Notion changed them by itself after a write, or a write's answer was never
 * recorded) and that this pull has not written yet. An incremental pull sees the pages Notion
 * stamped (its query asks for recent edits), not those whose rollups or formulas it recomputed
 * without stamping them: this is how those come back. One GET per page; a page gone from Notion
 * is marked gone. Returns how many were re-read.
 */
export async function refreshStalePages(input: {
  api: NotionApi;
  sqlite: Database.Database;
  dataSourceId: string;
  alias: string;
  stamp: string;
  write: (page: PageObjectResponse, dataSourceId: string, stamp: string) => void;
}): Promise<number> {
  const { api, sqlite, dataSourceId, stamp } = input;
  const stale = sqlite
    .prepare(
      "SELECT id FROM pages WHERE data_source_id = ? AND last_edited_time = '' AND gone = 0 AND pulled_at <> ?",
    )
    .all(dataSourceId, stamp) as Array<{ id: string }>;
  const markGone = sqlite.prepare("UPDATE pages SET gone = 1, pulled_at = ? WHERE id = ?");
  let read = 0;
  await Promise.all(
    stale.map(async ({ id }) => {
      try {
        const page = await completePage(
          api,
          await api.retrievePage(id, `re-reading page ${id} of ${input.alias}, changed by Notion`),
        );
        input.write(page, dataSourceId, stamp);
        read += 1;
      } catch (error) {
        if (error instanceof NotionMirrorError && error.code === "not_found") {
          markGone.run(stamp, id);
          return;
        }
        throw error;
      }
    }),
  );
  return read;
}
