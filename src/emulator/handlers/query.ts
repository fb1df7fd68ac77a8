import type { Json, JsonObject } from "../json.ts";
import { validationError } from "../errors.ts";
import { readPageRequest, sliceCappedPage } from "../pagination.ts";
import { compileFilter, compileSorts, parseFilterProperties } from "../query/index.ts";
import { listEnvelope, listedByDefault, renderPage } from "../render.ts";
import { RecentResults } from "../recent-results.ts";
import type { Workspace } from "../workspace.ts";
import type { ApiRequest, ApiResult } from "./context.ts";
import { ok, pathId, requireDataSource } from "./context.ts";

interface Matched {
  version: number;
  pages: JsonObject[];
  compare: (a: JsonObject, b: JsonObject) => number;
}

/**
 * The filtered, sorted result of a query, kept until the workspace changes: paging through a
 * large data source then costs one evaluation, not one per page of results.
 */
const matchedCache = new WeakMap<Workspace, RecentResults<Matched>>();

/**
 * Page references kept in results per workspace (about 8 bytes each): every data source of a
 * pull walked together, each in up to 16 created_time windows plus its sorted pages and its
 * newest-edit probe, keeps its own; a few times the workspace's pages at 250,000 pages.
 */
const KEPT_PAGE_REFERENCES = 2_000_000;

/**
 * POST /v1/data_sources/{id}/query: at most `queryResultLimit` results (Notion's 10,000) through
 * one query's cursor chain, every answer saying with `request_status` whether the query was cut.
 */
export function queryDataSource(request: ApiRequest): ApiResult {
  const id = pathId(request, "data_source_id");
  const source = requireDataSource(request, id);
  const schema = (source.properties ?? {}) as JsonObject;
  const { body } = request;
  const { pageSize, startCursor } = readPageRequest(body.page_size, body.start_cursor, "body");
  const inTrash = readInTrash(body);
  const keep = filterPropertiesOf(request, schema) ?? listedByDefault(request.version, schema);

  const matched = matchPages(request.workspace, id, schema, body.filter, body.sorts, inTrash);
  const start = cursorIndex(matched, startCursor, request.workspace);
  const { workspace } = request;
  const page = sliceCappedPage(
    matched.pages,
    start,
    pageSize,
    workspace.limits.queryResultLimit,
    (item) => workspace.cursors.issue(item),
  );
  return ok({
    ...listEnvelope(
      "page_or_data_source",
      page.results.map((item) => renderPage(item, keep)),
      page.nextCursor,
      page.hasMore,
    ),
    request_status: page.requestStatus,
  });
}

function matchPages(
  workspace: Workspace,
  dataSourceId: string,
  schema: JsonObject,
  filter: Json | undefined,
  sorts: Json | undefined,
  inTrash: boolean,
): Matched {
  workspace.settleIndex();
  let cache = matchedCache.get(workspace);
  if (!cache) {
    cache = new RecentResults<Matched>(KEPT_PAGE_REFERENCES, (matched) => matched.pages.length);
    matchedCache.set(workspace, cache);
  }
  const key = JSON.stringify([dataSourceId, filter ?? null, sorts ?? null, inTrash]);
  const cached = cache.get(key);
  if (cached && cached.version === workspace.version) return cached;

  const predicate = compileFilter(filter, schema, workspace.clock.now(), {
    me: workspace.integration.bot_user_id,
  });
  const sorted = sortedPages(workspace, cache, dataSourceId, schema, sorts, inTrash);
  // A filter keeps the order it is given: the sorted list is filtered, not sorted again.
  const result = {
    version: workspace.version,
    pages: sorted.pages.filter((page) => predicate(page)),
    compare: sorted.compare,
  };
  cache.set(key, result);
  return result;
}

/**
 * Every page of the data source (in the trash or not) in the order of `sorts`, kept until the
 * workspace changes: queries that differ only by their filter (the created_time windows of a
 * walk in parallel) then cost one pass over the pages each, not one sort each.
 */
function sortedPages(
  workspace: Workspace,
  cache: RecentResults<Matched>,
  dataSourceId: string,
  schema: JsonObject,
  sorts: Json | undefined,
  inTrash: boolean,
): Matched {
  const key = JSON.stringify(["sorted", dataSourceId, sorts ?? null, inTrash]);
  const cached = cache.get(key);
  if (cached && cached.version === workspace.version) return cached;
  // Keyed by id, not object: a cursor's remembered anchor is a copy of the page.
  const rank = new Map<string, number>();
  const pages: JsonObject[] = [];
  for (const page of workspace.indexedPagesOf(dataSourceId)) {
    rank.set(String(page.id), rank.size);
    if ((page.in_trash === true) === inTrash) pages.push(page);
  }
  const compare = compileSorts(sorts, schema, {
    creationRank: (page) => rank.get(String(page.id)) ?? 0,
  });
  pages.sort(compare);
  const result = { version: workspace.version, pages, compare };
  cache.set(key, result);
  return result;
}

/**
 * Where a cursor resumes: at the first page that sorts at or after its anchor as the anchor was
 * when the cursor was issued (see CursorBook), so an edit between two requests skips or repeats
 * only the edited page. An expired or unknown cursor is refused (400), as Notion does.
 */
function cursorIndex(matched: Matched, cursor: string | undefined, workspace: Workspace): number {
  if (cursor === undefined) return 0;
  return firstAtOrAfter(matched, workspace.cursors.resume(cursor));
}

/** Binary search: the sort is a total order (ties broken by id), so the list is ordered by it. */
function firstAtOrAfter(matched: Matched, anchor: JsonObject): number {
  let low = 0;
  let high = matched.pages.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    const page = matched.pages[middle];
    if (page && matched.compare(page, anchor) < 0) low = middle + 1;
    else high = middle;
  }
  return low;
}

function readInTrash(body: JsonObject): boolean {
  const value = body.in_trash ?? body.archived;
  if (value === undefined || value === null) return false;
  if (typeof value !== "boolean") {
    throw validationError(
      `body failed validation: body.in_trash should be a boolean, instead was \`${JSON.stringify(value)}\`.`,
    );
  }
  return value;
}

function filterPropertiesOf(request: ApiRequest, schema: JsonObject): Set<string> | undefined {
  const values = request.query.getAll("filter_properties");
  const bracketed = request.query.getAll("filter_properties[]");
  const all = [...values, ...bracketed];
  if (all.length === 0) return undefined;
  return parseFilterProperties(all, schema);
}
