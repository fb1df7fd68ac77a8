import type { DataSourceObjectResponse, PageObjectResponse } from "../notion/sdk-types.ts";
import type Database from "better-sqlite3";
import { NotionMirrorError } from "../errors.ts";
import type { NotionApi } from "../notion/notion-api.ts";
import { completePage } from "../notion/complete-page.ts";
import { pageWriter } from "./page-writer.ts";
import { refreshStalePages } from "./refresh-stale-pages.ts";
import type { WalkStats } from "./walk-windows.ts";
import { walkFull } from "./full-walk.ts";
import { addWalkStats, walkWindows } from "./walk-windows.ts";
import type { Partition, WindowKey } from "./window-keys.ts";
import { checkboxPartitions, timestampKey, uniqueIdKey } from "./window-keys.ts";

/** How far before the watermark an incremental pull looks: Notion's minute rounding, and then some. */
export const WATERMARK_OVERLAP_MS = 2 * 60_000;

export interface PagesPulled {
  pagesWritten: number;
  /**
   * Where the next incremental pull starts (less the overlap): the newest last_edited_time in
   * the data source when the walk began, or the previous watermark when nothing came back.
   */
  watermark: string | null;
  trashed: number;
  gone: number;
  /** Pages an incremental pull found trashed since the last pull (already in the mirror). */
  newlyTrashed: number;
  /** How the walk went past Notion's per-query cap and refused cursors. */
  walk: WalkStats;
  /** Slices of created_time a full pull walked side by side (1 for a small data source). */
  slices: number;
}

export interface PullPagesInput {
  api: NotionApi;
  sqlite: Database.Database;
  /** The data source as Notion just returned it: its properties say what to ask for. */
  source: DataSourceObjectResponse;
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
 * Reads a data source's pages and writes each to the mirror, completing values Notion cut at 25
 * references first. A full pull walks created_time windows (they stay put while pages are edited)
 * and then reconciles pages it did not see; an incremental pull walks last_edited_time from
 * `since`, then asks once for pages trashed since. Both go past Notion's 10,000-result cap and
 * past refused cursors (`walkWindows`), or fail without writing. Memory stays flat: at most two
 * batches at a time, plus one id per page.
 */
export async function pullPages(input: PullPagesInput): Promise<PagesPulled> {
  const { api, sqlite } = input;
  const dataSourceId = input.source.id;
  const write = pageWriter(sqlite);
  const filterProperties = Object.values(input.source.properties).map((property) => property.id);
  const finer = uniqueIdKeys(input.source);
  const partitions = checkboxPartitions(input.source.properties);
  let written = 0;
  let newest: string | null = null;
  const full = input.since === undefined;

  const writePages = async (pages: PageObjectResponse[]) => {
    const complete = await Promise.all(pages.map((page) => completePage(api, page)));
    input.signal?.throwIfAborted();
    for (const page of complete) {
      write(page, dataSourceId, input.stamp);
      if (!newest || page.last_edited_time > newest) newest = page.last_edited_time;
    }
    written += complete.length;
    input.onPage(written);
  };

  let walk: WalkStats;
  let walkStart: string | null = null;
  let slices = 1;
  if (full) {
    const walked = await walkFull({
      api,
      dataSourceId,
      alias: input.alias,
      finer,
      partitions,
      filterProperties,
      signal: input.signal,
      onPages: writePages,
    });
    walk = walked.walk;
    walkStart = walked.newestEditAtStart;
    slices = walked.slices;
  } else {
    walk = await walkWindows({
      api,
      dataSourceId,
      alias: input.alias,
      keys: [timestampKey("last_edited_time"), timestampKey("created_time"), ...finer],
      partitions,
      base: [sinceCondition(input.since ?? "")],
      filterProperties,
      signal: input.signal,
      onPages: writePages,
    });
  }

  input.signal?.throwIfAborted();
  const reconciled = full ? await reconcileMissing(input) : { trashed: 0, gone: 0 };
  const newlyTrashed = full
    ? 0
    : await pullTrashed(input, filterProperties, { finer, partitions }, walk);
  // Pages Notion changed by itself after a write (a rollup recomputed, the other side of a
  // two-way relation) that the walk did not bring: re-read each.
  if (!full) {
    written += await refreshStalePages({
      api,
      sqlite,
      dataSourceId,
      alias: input.alias,
      stamp: input.stamp,
      write,
    });
  }
  const watermark = full
    ? (walkStart ?? newest ?? input.previousWatermark)
    : maxTime(newest, input.previousWatermark);
  return { pagesWritten: written, watermark, ...reconciled, newlyTrashed, walk, slices };
}

function sinceCondition(since: string) {
  return {
    timestamp: "last_edited_time" as const,
    last_edited_time: { on_or_after: since },
  };
}

function maxTime(a: string | null, b: string | null): string | null {
  if (!a) return b;
  if (!b) return a;
  return a > b ? a : b;
}

/** The unique_id properties of a data source: keys that split a crowded created_time minute. */
function uniqueIdKeys(source: DataSourceObjectResponse): WindowKey[] {
  return Object.entries(source.properties)
    .filter(([, property]) => property.type === "unique_id")
    .map(([name, property]) => uniqueIdKey(property.id, name));
}

/**
 * An incremental pull does not see pages trashed since the last pull: a query lists live pages
 * only. One query with `in_trash` (usually a single request) lists those trashed since; the ones
 * the mirror holds are marked. A page restored from the trash comes back in the main walk.
 */
async function pullTrashed(
  input: PullPagesInput,
  filterProperties: readonly string[],
  split: { finer: readonly WindowKey[]; partitions: readonly Partition[] },
  walk: WalkStats,
): Promise<number> {
  const { api, sqlite } = input;
  const dataSourceId = input.source.id;
  const write = pageWriter(sqlite);
  const held = sqlite.prepare("SELECT 1 FROM pages WHERE id = ? AND data_source_id = ?");
  let trashed = 0;
  const stats = await walkWindows({
    api,
    dataSourceId,
    alias: input.alias,
    keys: [timestampKey("last_edited_time"), timestampKey("created_time"), ...split.finer],
    partitions: split.partitions,
    base: [sinceCondition(input.since ?? "")],
    inTrash: true,
    filterProperties,
    signal: input.signal,
    onPages: async (pages) => {
      const mirrored = pages.filter((page) => held.get(page.id, dataSourceId) !== undefined);
      const complete = await Promise.all(mirrored.map((page) => completePage(api, page)));
      input.signal?.throwIfAborted();
      for (const page of complete) {
        write(page, dataSourceId, input.stamp);
        if (page.in_trash) trashed += 1;
      }
    },
  });
  addWalkStats(walk, stats);
  return trashed;
}

/**
 * After a full walk, pages the mirror holds as live but Notion did not list were trashed, deleted
 * or unshared: read each to tell which, and mark it (kept for history, no longer live).
 */
async function reconcileMissing(input: PullPagesInput): Promise<{ trashed: number; gone: number }> {
  const { api, sqlite, stamp } = input;
  const dataSourceId = input.source.id;
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
