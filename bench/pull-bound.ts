import type { SeedFile } from "../src/emulator/seed-file.ts";

/** Notion cuts relation lists on page objects at this many items. */
const PAGE_RELATION_LIMIT = 25;
/** Items per request on the query and property endpoints. */
const PAGE_SIZE = 100;

export interface PullBound {
  /** One schema read per data source. */
  schema: number;
  /** Σ ceil(live pages / 100), at least one query per data source (to learn it is empty). */
  queries: number;
  /** Property reads for relation lists Notion cuts at 25 (ceil(items / 100) each). */
  properties: number;
  total: number;
  livePagesBySource: Map<string, number>;
}

interface SeedPage {
  parent?: { data_source_id?: string };
  in_trash?: boolean;
  archived?: boolean;
  properties?: Record<string, { type?: string; relation?: unknown[] }>;
}

/**
 * The fewest requests a full pull of these data sources can send, computed from the seed alone:
 * no request the mirror could do without.
 */
export function pullLowerBound(seed: SeedFile, dataSourceIds: readonly string[]): PullBound {
  const wanted = new Set(dataSourceIds);
  const live = new Map<string, number>(dataSourceIds.map((id) => [id, 0]));
  let properties = 0;
  for (const raw of seed.pages) {
    const page = raw as SeedPage;
    const source = page.parent?.data_source_id;
    if (!source || !wanted.has(source) || page.in_trash || page.archived) continue;
    live.set(source, (live.get(source) ?? 0) + 1);
    for (const value of Object.values(page.properties ?? {})) {
      const items = value.type === "relation" ? (value.relation?.length ?? 0) : 0;
      if (items > PAGE_RELATION_LIMIT) properties += Math.ceil(items / PAGE_SIZE);
    }
  }
  let queries = 0;
  for (const count of live.values()) queries += Math.max(1, Math.ceil(count / PAGE_SIZE));
  const schema = dataSourceIds.length;
  return {
    schema,
    queries,
    properties,
    total: schema + queries + properties,
    livePagesBySource: live,
  };
}
