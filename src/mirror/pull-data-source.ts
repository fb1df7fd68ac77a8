import type {
  PageObjectResponse,
  QueryDataSourceParameters,
  QueryDataSourceResponse,
} from "@notionhq/client";
import { isFullPage } from "@notionhq/client";
import type Database from "better-sqlite3";
import { NotionMirrorError } from "../errors.ts";
import type { NotionApi } from "../notion/notion-api.ts";
import { completePage } from "./complete-page.ts";
import { pageRecord } from "./page-record.ts";
import { refreshStalePages } from "./refresh-stale-pages.ts";

/** How far before the watermark an incremental pull looks: Notion's minute rounding, and then some. */
export const WATERMARK_OVERLAP_MS = 2 * 60_000;

export interface PagesPulled {
  pagesWritten: number;
  /** Latest last_edited_time seen, or the previous watermark when nothing came back. */
  watermark: string | null;
  trashed: number;
  gone: number;
}

export interface PullPagesInput {
  api: NotionApi;
  sqlite: Database.Database;
  dataSourceId: string;
  alias: string;
  /** undefined for a full pull. */
  since: string | undefined;
  previousWatermark: string | null;
  /** Stamp written on every page seen, to find the ones a full pull did not see. */
  stamp: string;
  /** Aborted when another data source's pull failed: stop before the next write. */
  signal?: AbortSignal;
  onPage: (count: number) => void;
}

/**
 * Walks a data source's pages 100 at a time (sorted by last_edited_time so a page edited during
 * the walk comes again later rather than being skipped) and writes each to the mirror, completing
 * relations past 25 first. Memory stays flat: at most two batches at a time.
 */
export async function pullPages(input: PullPagesInput): Promise<PagesPulled> {
  const { api, sqlite, dataSourceId } = input;
  const write = pageWriter(sqlite);
  let written = 0;
  let watermark = input.previousWatermark;
  input.signal?.throwIfAborted();
  // The next batch is asked for before this one is completed and written, so that Notion
  // prepares it meanwhile.
  let next: Promise<QueryDataSourceResponse> | undefined = queryPage(input, undefined);
  while (next) {
    const answer: QueryDataSourceResponse = await next;
    input.signal?.throwIfAborted();
    const cursor = answer.has_more && answer.next_cursor ? answer.next_cursor : undefined;
    next = cursor ? queryPage(input, cursor) : undefined;
    // Nobody awaits a prefetched batch when this one fails: its failure must not go unhandled.
    next?.catch(() => undefined);
    const pages = answer.results.filter(
      (result): result is PageObjectResponse => result.object === "page" && isFullPage(result),
    );
    const complete = await Promise.all(pages.map((page) => completePage(api, page)));
    input.signal?.throwIfAborted();
    for (const page of complete) {
      write(page, dataSourceId, input.stamp);
      if (!watermark || page.last_edited_time > watermark) watermark = page.last_edited_time;
    }
    written += complete.length;
    input.onPage(written);
  }

  input.signal?.throwIfAborted();
  const reconciled =
    input.since === undefined ? await reconcileMissing(input) : { trashed: 0, gone: 0 };
  if (input.since !== undefined) written += await refreshStalePages({ ...input, write });
  return { pagesWritten: written, watermark, ...reconciled };
}

/** One batch of 100 pages, oldest edit first, from `cursor` on. */
function queryPage(
  input: PullPagesInput,
  cursor: string | undefined,
): Promise<QueryDataSourceResponse> {
  const parameters: QueryDataSourceParameters = {
    data_source_id: input.dataSourceId,
    page_size: 100,
    sorts: [{ timestamp: "last_edited_time", direction: "ascending" }],
    ...(input.since
      ? {
          filter: {
            timestamp: "last_edited_time",
            last_edited_time: { on_or_after: input.since },
          },
        }
      : {}),
    ...(cursor ? { start_cursor: cursor } : {}),
  };
  return input.api.queryDataSource(parameters, `reading the pages of ${input.alias}`);
}

/**
 * After a full walk, pages the mirror holds as live but Notion did not list were trashed, deleted
 * or unshared: read each to tell which, and mark it (kept for history, no longer live).
 */
async function reconcileMissing(input: PullPagesInput): Promise<{ trashed: number; gone: number }> {
  const { api, sqlite, dataSourceId, stamp } = input;
  const missing = sqlite
    .prepare(
      "SELECT id FROM pages WHERE data_source_id = ? AND pulled_at <> ? AND gone = 0 AND in_trash = 0",
    )
    .all(dataSourceId, stamp) as Array<{ id: string }>;
  const write = pageWriter(sqlite);
  const markGone = sqlite.prepare("UPDATE pages SET gone = 1, pulled_at = ? WHERE id = ?");
  let trashed = 0;
  let gone = 0;
  await Promise.all(
    missing.map(async ({ id }) => {
      try {
        const page = await completePage(
          api,
          await api.retrievePage(id, `checking page ${id}, missing from ${input.alias}`),
        );
        write(page, dataSourceId, stamp);
        if (page.in_trash) trashed += 1;
      } catch (error) {
        if (error instanceof NotionMirrorError && error.code === "not_found") {
          markGone.run(stamp, id);
          gone += 1;
          return;
        }
        throw error;
      }
    }),
  );
  return { trashed, gone };
}

/**
 * A prepared upsert of one page and its relation rows. Build it once and call it per page: the
 * statements are prepared here, not per call.
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
