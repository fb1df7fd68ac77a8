import type { PageObjectResponse } from "../notion/sdk-types.ts";
import { isFullPage } from "../notion/sdk-types.ts";
import type { NotionApi } from "../notion/notion-api.ts";
import type { WalkStats } from "./walk-windows.ts";
import { addWalkStats, walkWindows } from "./walk-windows.ts";
import type { Condition, WindowKey } from "./window-keys.ts";
import { minuteOf, timestampKey } from "./window-keys.ts";

/** Slices walked side by side at most, per data source. */
export const MAX_SLICES = 8;
/** Pages a slice should hold at least, so that small data sources are not cut up for nothing. */
const PAGES_PER_SLICE = 2_000;
const MINUTE_MS = 60_000;

export interface FullWalkInput {
  api: NotionApi;
  dataSourceId: string;
  alias: string;
  /** Keys that split a crowded created_time minute (unique_id properties). */
  finer: readonly WindowKey[];
  filterProperties: readonly string[];
  signal?: AbortSignal;
  onPages(pages: PageObjectResponse[]): Promise<void>;
}

export interface FullWalk {
  walk: WalkStats;
  /**
   * The newest last_edited_time in the data source when the walk began (minute), read when the
   * data source needed more than one answer; null when one answer held it all.
   */
  newestEditAtStart: string | null;
  /** Slices walked side by side (1 for a data source that fits one answer). */
  slices: number;
}

/**
 * Reads every page of a data source, in created_time order. The first answer tells whether there
 * is more; if so, the newest edit is read (the next incremental pull starts there, so an edit
 * made during the walk to a page already read is not missed), the number of pages is estimated
 * from how much of the created_time span the first answer covered, and the rest of the span is cut
 * into up to 8 slices walked side by side: a data source's cursor chain is sequential, so one
 * big data source would otherwise be bound by latency, not by the rate limit. Each slice walks
 * its own windows past Notion's per-query cap (`walkWindows`); the walks share one `seen` map, so
 * a page read at a boundary twice is written once.
 */
export async function walkFull(input: FullWalkInput): Promise<FullWalk> {
  const created = timestampKey("created_time");
  const keys = [created, ...input.finer];
  const seen = new Map<string, string>();
  const walk: WalkStats = { windows: 1, capped: 0, cursorRestarts: 0, requests: 1 };
  input.signal?.throwIfAborted();
  const first = await input.api.queryDataSource(
    {
      data_source_id: input.dataSourceId,
      page_size: 100,
      sorts: [created.sort],
      ...(input.filterProperties.length > 0
        ? { filter_properties: [...input.filterProperties] }
        : {}),
    },
    `reading the pages of ${input.alias}`,
  );
  const pages = first.results.filter(
    (result): result is PageObjectResponse => result.object === "page" && isFullPage(result),
  );
  for (const page of pages) seen.set(page.id, page.last_edited_time);
  const capped = first.request_status?.type === "incomplete";
  const more = (first.has_more && first.next_cursor !== null) || capped;
  if (capped) walk.capped += 1;
  if (pages.length > 0) await input.onPages(pages);
  const earliest = pages[0];
  const latest = pages.at(-1);
  if (!more || !earliest || !latest) return { walk, newestEditAtStart: null, slices: 1 };

  walk.requests += 1;
  const newestEditAtStart = await newestEdit(input);
  const from = minuteOf(latest.created_time);
  const until = newestEditAtStart ?? from;
  const count = slicesFor(pages.length, minuteOf(earliest.created_time), from, until);
  const bounds = sliceBounds(from, until, count);
  const walks = await Promise.all(
    bounds.map((slice) =>
      walkWindows({
        api: input.api,
        dataSourceId: input.dataSourceId,
        alias: input.alias,
        keys,
        base: slice,
        filterProperties: input.filterProperties,
        seen,
        signal: input.signal,
        onPages: input.onPages,
      }),
    ),
  );
  for (const part of walks) addWalkStats(walk, part);
  return { walk, newestEditAtStart, slices: bounds.length };
}

/**
 * How many slices: the first answer's pages spread over its created_time span tell how many
 * pages the whole span holds, roughly; a slice per 2,000 of them, at most 8.
 */
function slicesFor(read: number, earliest: string, latest: string, until: string): number {
  const readSpan = Date.parse(latest) - Date.parse(earliest) + MINUTE_MS;
  const restSpan = Date.parse(until) - Date.parse(latest) + MINUTE_MS;
  const estimate = (read * restSpan) / readSpan;
  return Math.max(1, Math.min(MAX_SLICES, Math.ceil(estimate / PAGES_PER_SLICE)));
}

/**
 * `count` slices of whole minutes from `from` (inclusive) to `until`; the last one is open above,
 * so pages created during the walk are read too.
 */
function sliceBounds(from: string, until: string, count: number): Condition[][] {
  const start = Date.parse(from);
  const step = Math.max(MINUTE_MS, Math.floor((Date.parse(until) + MINUTE_MS - start) / count));
  const cuts: string[] = [];
  for (let index = 1; index < count; index += 1) {
    const cut = minuteOf(new Date(start + index * step).toISOString());
    if (cut > (cuts.at(-1) ?? from)) cuts.push(cut);
  }
  const edges = [from, ...cuts];
  return edges.map((edge, index) => {
    const next = edges[index + 1];
    const lower: Condition = { timestamp: "created_time", created_time: { on_or_after: edge } };
    return next ? [lower, { timestamp: "created_time", created_time: { before: next } }] : [lower];
  });
}

/** The newest last_edited_time in the data source now (one request), to start the next pull from. */
async function newestEdit(input: FullWalkInput): Promise<string | null> {
  const answer = await input.api.queryDataSource(
    {
      data_source_id: input.dataSourceId,
      page_size: 1,
      sorts: [{ timestamp: "last_edited_time", direction: "descending" }],
    },
    `reading the latest edit of ${input.alias}`,
  );
  const [page] = answer.results;
  return page && "last_edited_time" in page ? minuteOf(page.last_edited_time) : null;
}
