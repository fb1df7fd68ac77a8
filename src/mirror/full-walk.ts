import type { PageObjectResponse } from "../notion/sdk-types.ts";
import { isFullPage } from "../notion/sdk-types.ts";
import type { NotionApi } from "../notion/notion-api.ts";
import type { Reach, WalkStats } from "./walk-windows.ts";
import { addWalkStats, walkWindows } from "./walk-windows.ts";
import type { Partition, WindowKey } from "./window-keys.ts";
import { minuteOf, timestampKey } from "./window-keys.ts";

/**
 * Slices walked side by side at most, per data source: as many as requests in flight (the API's
 * default concurrency), enough to spend 10 requests/s at 800 ms a request with room to spare.
 */
export const MAX_SLICES = 16;
/** Pages a slice should hold at least, so that small data sources are not cut up for nothing. */
const PAGES_PER_SLICE = 2_000;
/**
 * A walk that finishes early takes over half of the slice with the most left, if that holds this
 * many pages or more (by the estimate): each split may cost a request or two (a batch read past
 * the new bound, a last batch not full), so small remainders are left to their walk.
 */
const SPLIT_AT_LEAST = 1_000;
const MINUTE_MS = 60_000;

export interface FullWalkInput {
  api: NotionApi;
  dataSourceId: string;
  alias: string;
  /** Keys that split a crowded created_time minute after last_edited_time (unique_id properties). */
  finer: readonly WindowKey[];
  /** What splits a crowd no key can (checkboxes: see `walkWindows`). */
  partitions: readonly Partition[];
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
  /** Slices walked (1 for a data source that fits one answer), the ones split off included. */
  slices: number;
}

/**
 * Reads every page of a data source, in created_time order. The first answer tells whether there
 * is more; if so, the newest edit is read (the next incremental pull starts there, so an edit
 * made during the walk to a page already read is not missed), the number of pages is estimated
 * from how much of the created_time span the first answer covered, and the rest of the span is cut
 * into up to 16 slices walked side by side ({@link SliceQueue}: a walk that ends early splits the
 * one with the most left): a data source's cursor chain is sequential, so one big data source
 * would otherwise be bound by latency, not by the budget. Each slice walks
 * its own windows past Notion's per-query cap (`walkWindows`); the walks share one `seen` map, so
 * a page read at a boundary twice is written once.
 */
export async function walkFull(input: FullWalkInput): Promise<FullWalk> {
  const created = timestampKey("created_time");
  // A created_time minute holding more than the cap (a bulk import) is split by when its pages
  // were last edited, then by a unique_id. An edit during the walk only moves a page later in
  // last_edited_time order, where the walk still reads it.
  const keys = [created, timestampKey("last_edited_time"), ...input.finer];
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
  const estimate = pagesAfter(pages.length, minuteOf(earliest.created_time), from, until);
  const count = Math.max(1, Math.min(MAX_SLICES, Math.ceil(estimate / PAGES_PER_SLICE)));
  const slices = new SliceQueue(from, until, count, estimate);
  const walks: Promise<void>[] = [];
  const start = (slice: Slice) => {
    const walking = walkFrom(slice);
    // Awaited in turn below; one that fails while an earlier one is awaited is not unhandled.
    walking.catch(() => undefined);
    walks.push(walking);
  };
  const walkFrom = async (first: Slice): Promise<void> => {
    for (let slice: Slice | undefined = first; slice; slice = slices.take()) {
      const part = await walkWindows({
        api: input.api,
        dataSourceId: input.dataSourceId,
        alias: input.alias,
        keys,
        partitions: input.partitions,
        base: [{ timestamp: "created_time", created_time: { on_or_after: slice.from } }],
        reach: slice.reach,
        filterProperties: input.filterProperties,
        seen,
        signal: input.signal,
        onPages: input.onPages,
      });
      addWalkStats(walk, part);
      slices.done(slice);
      // More left than the estimate told (pages crowd the end of a slice): more walks take it.
      for (let more = slices.spare(); more; more = slices.spare()) start(more);
    }
  };
  for (const slice of slices.begin()) start(slice);
  for (let index = 0; index < walks.length; index += 1) await walks[index];
  return { walk, newestEditAtStart, slices: slices.made };
}

interface Slice {
  /** The first created_time minute it holds. */
  from: string;
  reach: Reach;
}

/**
 * The slices of a walk, cut from the created_time span `from`–`until` (whole minutes; the last
 * one open above, so that pages created during the walk are read too). Each walker takes the
 * next slice not yet begun; once none is left, it splits the slice in progress with the most
 * left (by the estimate) and takes its upper half: slices end unevenly, and a data source's
 * cursor chains must stay busy until the end for the walk to be bound by the budget, not by
 * latency.
 */
class SliceQueue {
  private readonly waiting: Slice[];
  private readonly active = new Set<Slice>();
  private readonly end: number;
  private readonly pagesPerMs: number;
  made: number;

  constructor(from: string, until: string, count: number, estimate: number) {
    this.waiting = sliceEdges(from, until, count).map((edge, index, edges) => ({
      from: edge,
      reach: { before: edges[index + 1], reached: undefined, perMinute: 0 },
    }));
    this.made = this.waiting.length;
    this.end = Date.parse(until) + MINUTE_MS;
    this.pagesPerMs = estimate / Math.max(MINUTE_MS, this.end - Date.parse(from));
  }

  /** The slices cut at the start, each for a walk of its own. */
  begin(): Slice[] {
    const slices = this.waiting.splice(0);
    for (const slice of slices) this.active.add(slice);
    return slices;
  }

  /** The next slice to walk, or undefined when nothing is left worth splitting. */
  take(): Slice | undefined {
    const slice = this.waiting.shift() ?? this.split();
    if (slice) this.active.add(slice);
    return slice;
  }

  done(slice: Slice): void {
    this.active.delete(slice);
  }

  /** A slice split off for a walk more, while fewer than {@link MAX_SLICES} walk. */
  spare(): Slice | undefined {
    if (this.waiting.length > 0 || this.active.size >= MAX_SLICES) return undefined;
    const slice = this.split();
    if (slice) this.active.add(slice);
    return slice;
  }

  private split(): Slice | undefined {
    let best: { slice: Slice; start: number; stop: number; left: number } | undefined;
    for (const slice of this.active) {
      const start = Date.parse(slice.reach.reached ?? slice.from);
      const stop = slice.reach.before === undefined ? this.end : Date.parse(slice.reach.before);
      // Pages left: the span left at the density of its latest batch, or of the whole estimate.
      const density = Math.max(this.pagesPerMs, slice.reach.perMinute / MINUTE_MS);
      const left = (stop - start) * density;
      if (!best || left > best.left) best = { slice, start, stop, left };
    }
    if (!best || best.left < SPLIT_AT_LEAST) return undefined;
    // The cut is a whole minute past the one the walk is reading, and short of its bound.
    const cut = minuteOf(new Date((best.start + best.stop) / 2).toISOString());
    if (Date.parse(cut) <= best.start || Date.parse(cut) >= best.stop) return undefined;
    const taken: Slice = {
      from: cut,
      reach: { before: best.slice.reach.before, reached: undefined, perMinute: 0 },
    };
    best.slice.reach.before = cut;
    this.made += 1;
    return taken;
  }
}

/**
 * Pages after the first answer, roughly: its pages spread over its created_time span tell how many
 * the rest of the span holds.
 */
function pagesAfter(read: number, earliest: string, latest: string, until: string): number {
  const readSpan = Date.parse(latest) - Date.parse(earliest) + MINUTE_MS;
  const restSpan = Date.parse(until) - Date.parse(latest) + MINUTE_MS;
  return (read * restSpan) / readSpan;
}

/** The first minutes of `count` slices of whole minutes from `from` (inclusive) to `until`. */
function sliceEdges(from: string, until: string, count: number): string[] {
  const start = Date.parse(from);
  const step = Math.max(MINUTE_MS, Math.floor((Date.parse(until) + MINUTE_MS - start) / count));
  const edges = [from];
  for (let index = 1; index < count; index += 1) {
    const cut = minuteOf(new Date(start + index * step).toISOString());
    if (cut > (edges.at(-1) ?? from)) edges.push(cut);
  }
  return edges;
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
