import type Database from "better-sqlite3";
import type { PageObjectResponse } from "../notion/sdk-types.ts";
import { pageRecord } from "./page-record.ts";

/**
 * A prepared upsert of one page and its relation rows: the one writer of `pages` and `relations`
 * rows, used by pulls and by push / revert when Notion answers a write. Build it once and call it
 * per page: the statements are prepared here, not per call. `stamp` is stored as `pulled_at`:
 * the pull's own stamp (to find the pages a full pull did not see), or `push <run id>`.
 */
export function pageWriter(
  sqlite: Database.Database,
): (page: PageObjectResponse, dataSourceId: string, stamp: string) => void {
  // Positional parameters: better-sqlite3 binds them faster than named ones.
  const upsert = sqlite.prepare(
    `INSERT INTO pages (id, data_source_id, created_time, last_edited_time, in_trash, gone, url, raw_json, values_json, pulled_at)
     VALUES (?, ?, ?, ?, ?, 0, ?, ?, ?, ?)
     ON CONFLICT(id) DO UPDATE SET data_source_id = excluded.data_source_id,
       created_time = excluded.created_time, last_edited_time = excluded.last_edited_time,
       in_trash = excluded.in_trash, gone = 0, url = excluded.url, raw_json = excluded.raw_json,
       values_json = excluded.values_json, pulled_at = excluded.pulled_at`,
  );
  const clearRelations = sqlite.prepare("DELETE FROM relations WHERE page_id = ?");
  const addRelation = sqlite.prepare(
    "INSERT INTO relations (page_id, property_id, position, target_page_id) VALUES (?, ?, ?, ?)",
  );
  return (page, dataSourceId, stamp) => {
    const record = pageRecord(page, dataSourceId);
    upsert.run(
      record.id,
      record.dataSourceId,
      record.createdTime,
      record.lastEditedTime,
      record.inTrash ? 1 : 0,
      record.url,
      record.rawJson,
      record.valuesJson,
      stamp,
    );
    clearRelations.run(record.id);
    for (const relation of record.relations) {
      addRelation.run(record.id, relation.propertyId, relation.position, relation.targetPageId);
    }
  };
}
