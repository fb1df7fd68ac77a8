import type {
  PageObjectResponse,
  QueryDataSourceParameters,
  QueryDataSourceResponse,
} from "../notion/sdk-types.ts";
import { isFullPage } from "../notion/sdk-types.ts";
import { NotionMirrorError } from "../errors.ts";
import { CursorRefused } from "../notion/cursor-refused.ts";
import type { NotionApi } from "../notion/notion-api.ts";
import type { Condition, Partition, WindowKey } from "./window-keys.ts";
import { minuteOf } from "./window-keys.ts";

export interface WalkInput {
  api: NotionApi;
  dataSourceId: string;
  /** Names the data source in messages and request labels. */
  alias: string;
  /** The keys windows are cut by, outermost first; each splits the buckets of the one before. */
  keys: readonly WindowKey[];
  /**
   * Properties that cut a crowd no key can split into parts read one by one (checkboxes), in the
   * order they are tried.
   */
  partitions?: readonly Partition[];
  /** Conditions every window keeps (an incremental pull's last_edited_time bound). */
  base?: readonly Condition[];
  /** Trashed pages instead of live ones. */
  inTrash?: boolean;
  /** Property ids to ask for (Notion's `filter_properties`); every property when absent. */
  filterProperties?: readonly string[];
  /** Pages already seen, by id, with the last_edited_time seen: shared between walks of one pull. */
  seen?: Map<string, string>;
  /** A created_time bound another walk may lower while this one runs (see {@link Reach}). */
  reach?: Reach;
  signal?: AbortSignal;
  /**
   * Called with each batch's pages that are new to this walk, or edited since it saw them
   * (a page seen again unchanged, where two windows overlap, is left out). Awaited before the
   * batch after next is asked for.
   */
  onPages(pages: PageObjectResponse[]): Promise<void>;
}

/**
 * How far a walk of a created_time slice has come, and where it stops: another walk may lower
 * `before` while it runs, to take the rest over. Windows begun after that keep below it, and a
 * cursor chain ends once it reads a page created at or past it (the pages of that batch are kept:
 * the other walk reads them again and skips them as seen).
 */
export interface Reach {
  /** The created_time minute the walk stops before; undefined: open above. */
  before: string | undefined;
  /** The created_time minute of the latest page read (pages come in created_time order). */
  reached: string | undefined;
  /** Pages per created_time minute in the latest batch: how dense what is left may be. */
  perMinute: number;
}

export interface WalkStats {
  /** Queries (cursor chains) walked: 1 when the data source fits Notion's per-query cap. */
  windows: number;
  /** Windows Notion cut at its per-query cap (`request_status: incomplete`). */
  capped: number;
  /** Windows restarted because Notion refused their cursor. */
  cursorRestarts: number;
  /** Requests sent. */
  requests: number;
}

/** Adds the figures of another walk of the same data source to `into`. */
export function addWalkStats(into: WalkStats, from: WalkStats): void {
  into.windows += from.windows;
  into.capped += from.capped;
  into.cursorRestarts += from.cursorRestarts;
  into.requests += from.requests;
}

/** A refused cursor restarts the window; this many in a row with no new page give up. */
const RESTARTS_WITHOUT_PROGRESS = 3;

/**
 * Reads every page of a data source that matches `base`, past Notion's per-query cap
 * (10,000 results, then `has_more: false` with `request_status: incomplete`) and past cursors
 * Notion stops honouring. It walks windows ordered by the first key: when one is capped the next
 * starts at the bucket of its last page (pages seen again are skipped); when a single bucket holds
 * more than the cap (a bulk import within one minute) the next key splits it; when no key is left
 * the bucket is read part by part (`partitions`: checked, then unchecked pages); when nothing is
 * left it fails, naming the data source and the bucket, before anything is committed. A refused cursor
 * restarts its window from the bucket of the last page read. Windows add about one request per
 * cap-full of pages (the overlap at the boundary bucket).
 */
export async function walkWindows(input: WalkInput): Promise<WalkStats> {
  const stats: WalkStats = { windows: 0, capped: 0, cursorRestarts: 0, requests: 0 };
  const seen = input.seen ?? new Map<string, string>();
  await walkLevel(input, seen, stats, { fruitless: 0 }, 0, input.base ?? [], [], input.partitions);
  return stats;
}

async function walkLevel(
  input: WalkInput,
  seen: Map<string, string>,
  stats: WalkStats,
  /** Refusals in a row that read no new page, counted across levels. */
  restarts: { fruitless: number },
  level: number,
  base: readonly Condition[],
  /** The buckets of the outer keys this level walks within, for messages ("the created_time …"). */
  within: readonly string[],
  /** Partitions not yet used on the way here. */
  partitions: readonly Partition[] = [],
): Promise<void> {
  const key = input.keys[level];
  if (!key) throw new NotionMirrorError("internal", "walkWindows needs at least one key.");
  let lower: Condition | undefined;
  for (;;) {
    const window = await walkWindow(
      input,
      seen,
      stats,
      key,
      withReach(input.reach, lower ? [...base, lower] : base),
    );
    if (window.ending === "complete") return;
    if (window.ending === "capped") stats.capped += 1;
    const { first, last } = window;
    if (last === undefined || first === undefined) {
      throw new NotionMirrorError(
        "notion",
        `Notion cut a query of ${input.alias} short before it returned a page with a ${key.label}.`,
      );
    }
    const crowded = first === last;
    if (window.ending === "refused") {
      stats.cursorRestarts += 1;
      restarts.fruitless = window.fresh > 0 ? 0 : restarts.fruitless + 1;
      if (restarts.fruitless >= RESTARTS_WITHOUT_PROGRESS) throw window.refusal;
      if (!crowded || !input.keys[level + 1]) {
        lower = key.atLeast(last);
        continue;
      }
    }
    if (crowded) {
      // One bucket holds at least a whole window: only a finer key can get past it.
      const finer = input.keys[level + 1];
      const crowd = [...within, `the ${key.label} ${last}`];
      const bucket = [...base, ...key.within(last)];
      if (finer) {
        await walkLevel(input, seen, stats, restarts, level + 1, bucket, crowd, partitions);
      } else {
        // No key left: read the bucket part by part, each part by this key again.
        const [partition, ...rest] = partitions;
        if (!partition) throw cannotSplit(input, crowd);
        for (const part of partition.parts) {
          const labels = [...within, part.label];
          await walkLevel(
            input,
            seen,
            stats,
            restarts,
            level,
            [...bucket, part.condition],
            labels,
            rest,
          );
        }
      }
      lower = key.beyond(last);
      continue;
    }
    lower = key.atLeast(last);
  }
}

type WindowEnding =
  | { ending: "complete" }
  | {
      ending: "capped";
      first: string | undefined;
      last: string | undefined;
      fresh: number;
    }
  | {
      ending: "refused";
      first: string | undefined;
      last: string | undefined;
      fresh: number;
      refusal: CursorRefused;
    };

/**
 * One query's cursor chain, the next batch asked for while this one is handled (so that Notion
 * prepares it meanwhile). Says how it ended: complete, cut at the cap, or its cursor refused.
 */
async function walkWindow(
  input: WalkInput,
  seen: Map<string, string>,
  stats: WalkStats,
  key: WindowKey,
  conditions: readonly Condition[],
): Promise<WindowEnding> {
  stats.windows += 1;
  let first: string | undefined;
  let last: string | undefined;
  let fresh = 0;
  let capped = false;
  input.signal?.throwIfAborted();
  let next: Promise<QueryDataSourceResponse> | undefined = queryBatch(
    input,
    stats,
    key,
    conditions,
    undefined,
  );
  while (next) {
    let answer: QueryDataSourceResponse;
    try {
      answer = await next;
    } catch (error) {
      if (error instanceof CursorRefused) {
        return { ending: "refused", first, last, fresh, refusal: error };
      }
      throw error;
    }
    input.signal?.throwIfAborted();
    if (answer.request_status?.type === "incomplete") capped = true;
    const pages = answer.results.filter(
      (result): result is PageObjectResponse => result.object === "page" && isFullPage(result),
    );
    const past = pastReach(input.reach, pages);
    const cursor = answer.has_more && answer.next_cursor && !past ? answer.next_cursor : undefined;
    next = cursor ? queryBatch(input, stats, key, conditions, cursor) : undefined;
    // Nobody awaits a prefetched batch when this one fails: its failure must not go unhandled.
    next?.catch(() => undefined);
    const changed: PageObjectResponse[] = [];
    for (const page of pages) {
      const bucket = key.bucketOf(page);
      if (bucket !== undefined) {
        first ??= bucket;
        last = bucket;
      }
      const before = seen.get(page.id);
      if (before === undefined) fresh += 1;
      if (before === page.last_edited_time) continue;
      seen.set(page.id, page.last_edited_time);
      changed.push(page);
    }
    if (changed.length > 0) await input.onPages(changed);
    if (past) return { ending: "complete" };
  }
  return capped ? { ending: "capped", first, last, fresh } : { ending: "complete" };
}

/** The window's conditions, below the reach's bound if it has one. */
function withReach(reach: Reach | undefined, conditions: readonly Condition[]): Condition[] {
  if (reach?.before === undefined) return [...conditions];
  return [...conditions, { timestamp: "created_time", created_time: { before: reach.before } }];
}

/**
 * Records the batch's progress in the reach; true when it read a page at or past the reach's
 * bound (another walk has taken over from there), so the chain ends here.
 */
function pastReach(reach: Reach | undefined, pages: readonly PageObjectResponse[]): boolean {
  if (!reach) return false;
  let past = false;
  const first = pages[0];
  const last = pages.at(-1);
  if (first && last && pages.length > 1) {
    const minutes = (Date.parse(last.created_time) - Date.parse(first.created_time)) / 60_000;
    reach.perMinute = pages.length / (Math.floor(minutes) + 1);
  }
  for (const page of pages) {
    const minute = minuteOf(page.created_time);
    if (reach.reached === undefined || minute > reach.reached) reach.reached = minute;
    if (reach.before !== undefined && minute >= reach.before) past = true;
  }
  return past;
}

function queryBatch(
  input: WalkInput,
  stats: WalkStats,
  key: WindowKey,
  conditions: readonly Condition[],
  cursor: string | undefined,
): Promise<QueryDataSourceResponse> {
  stats.requests += 1;
  const [only, ...more] = conditions;
  const parameters: QueryDataSourceParameters = {
    data_source_id: input.dataSourceId,
    page_size: 100,
    sorts: [key.sort],
    ...(only ? { filter: more.length === 0 ? only : { and: [only, ...more] } } : {}),
    ...(input.inTrash ? { in_trash: true } : {}),
    ...(input.filterProperties && input.filterProperties.length > 0
      ? { filter_properties: [...input.filterProperties] }
      : {}),
    ...(cursor ? { start_cursor: cursor } : {}),
  };
  const what = input.inTrash
    ? `reading the trashed pages of ${input.alias}`
    : `reading the pages of ${input.alias}`;
  return input.api.queryDataSource(parameters, what);
}

function cannotSplit(input: WalkInput, crowd: readonly string[]): NotionMirrorError {
  return new NotionMirrorError(
    "notion",
    `Notion holds back pages of ${input.alias}: more pages share ${crowd.join(" and ")} than one query may return (Notion answers at most 10,000 results per query), and nothing else can tell them apart. The mirror was left as it was.`,
    "Add an ID property (type unique_id) to the database in Notion, then run `notion-mirror sync pull --full`: the pull splits such crowds by it.",
  );
}
