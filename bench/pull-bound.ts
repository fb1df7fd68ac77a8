import type { SeedFile } from "../src/emulator/index.ts";

/** Notion holds at most this many page or person references per property in a page object. */
const PAGE_REFERENCE_LIMIT = 25;
/** Items per request on the query and property endpoints. */
const PAGE_SIZE = 100;
/** Slices a full pull walks side by side at most, and the pages that make one (full-walk.ts). */
const MAX_SLICES = 16;
const PAGES_PER_SLICE = 2_000;
/** Notion's per-query result cap (the emulator's default). */
export const NOTION_QUERY_CAP = 10_000;

export interface PullBound {
  /** One schema read per data source. */
  schema: number;
  /** Σ ceil(live pages / 100), at least one query per data source (to learn it is empty). */
  queries: number;
  /**
   * A full pull of a data source needing more than one batch reads its newest edit once (so the
   * next incremental pull misses no edit made during the walk); an incremental pull asks once
   * per data source for pages trashed since.
   */
  probes: number;
  /**
   * A full pull of a data source needing more than one answer walks the rest of it in up to 16
   * slices side by side (one per 2,000 pages): each slice may end on a batch that is not full, and
   * the first slice reads the first answer's last minute again — one request more per slice.
   */
  slices: number;
  /**
   * Notion's per-query cap: each window past the first may re-read the minute at its boundary,
   * at most one request more per window (ceil(pages / cap) − 1 per data source).
   */
  windows: number;
  /**
   * Property reads for values Notion may cut at 25 references (relations past 25, people lists
   * of 25 or more, text mentioning 25 or more distinct pages or people): ceil(items / 100) each.
   */
  properties: number;
  total: number;
  livePagesBySource: Map<string, number>;
}

interface SeedValue {
  type?: string;
  relation?: unknown[];
  people?: unknown[];
  title?: unknown[];
  rich_text?: unknown[];
}

interface SeedPage {
  parent?: { data_source_id?: string };
  in_trash?: boolean;
  archived?: boolean;
  properties?: Record<string, SeedValue>;
}

/**
 * The fewest requests a pull of these data sources can send, computed from the seed alone: no
 * request the mirror could do without. `incremental` counts a pull of exactly these pages as an
 * incremental one (no probe; one trash query per data source).
 */
export function pullLowerBound(
  seed: SeedFile,
  dataSourceIds: readonly string[],
  options: { cap?: number; incremental?: boolean } = {},
): PullBound {
  const cap = options.cap ?? NOTION_QUERY_CAP;
  const wanted = new Set(dataSourceIds);
  const live = new Map<string, number>(dataSourceIds.map((id) => [id, 0]));
  let properties = 0;
  for (const raw of seed.pages) {
    const page = raw as SeedPage;
    const source = page.parent?.data_source_id;
    if (!source || !wanted.has(source) || page.in_trash || page.archived) continue;
    live.set(source, (live.get(source) ?? 0) + 1);
    for (const value of Object.values(page.properties ?? {})) properties += propertyReads(value);
  }
  let queries = 0;
  let probes = 0;
  let windows = 0;
  let slices = 0;
  for (const count of live.values()) {
    queries += Math.max(1, Math.ceil(count / PAGE_SIZE));
    windows += Math.max(0, Math.ceil(count / cap) - 1);
    if (options.incremental) probes += 1;
    else if (count > PAGE_SIZE) {
      probes += 1;
      slices += Math.min(MAX_SLICES, Math.max(1, Math.ceil(count / PAGES_PER_SLICE)));
    }
  }
  const schema = dataSourceIds.length;
  return {
    schema,
    queries,
    probes,
    slices,
    windows,
    properties,
    total: schema + queries + probes + slices + windows + properties,
    livePagesBySource: live,
  };
}

/** Property-endpoint requests one value costs: only values Notion may have cut. */
function propertyReads(value: SeedValue): number {
  const items =
    value.type === "relation"
      ? (value.relation?.length ?? 0)
      : value.type === "people"
        ? (value.people?.length ?? 0)
        : 0;
  const cut =
    value.type === "relation"
      ? items > PAGE_REFERENCE_LIMIT
      : value.type === "people"
        ? items >= PAGE_REFERENCE_LIMIT
        : value.type === "title" || value.type === "rich_text"
          ? distinctMentions(value[value.type] ?? []) >= PAGE_REFERENCE_LIMIT
          : false;
  if (!cut) return 0;
  const length =
    value.type === "title" || value.type === "rich_text" ? (value[value.type]?.length ?? 0) : items;
  return Math.max(1, Math.ceil(length / PAGE_SIZE));
}

function distinctMentions(items: unknown[]): number {
  const ids = new Set<string>();
  for (const item of items as Array<{ type?: string; mention?: Record<string, unknown> }>) {
    if (item.type !== "mention" || !item.mention) continue;
    const kind = String(item.mention.type ?? "");
    const target = item.mention[kind] as { id?: string } | undefined;
    if (target?.id && ["user", "page", "database"].includes(kind)) ids.add(`${kind}:${target.id}`);
  }
  return ids.size;
}
