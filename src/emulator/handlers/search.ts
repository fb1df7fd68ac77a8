import type { JsonObject } from "../json.ts";
import { isArray, isObject } from "../json.ts";
import type { CursorBook } from "../cursor-book.ts";
import { validationError } from "../errors.ts";
import { readPageRequest, sliceCappedPage } from "../pagination.ts";
import { listEnvelope, listedByDefault, renderPage } from "../render.ts";
import type { ApiRequest, ApiResult } from "./context.ts";
import { ok } from "./context.ts";

/**
 * POST /v1/search: data sources and pages shared with the integration whose title contains the
 * query (case-insensitive), optionally only one kind, sorted by last_edited_time (newest first
 * unless told otherwise), paginated by cursors that survive edits between requests (CursorBook),
 * at most `queryResultLimit` results per search as a data source query, with `request_status`.
 */
export function search(request: ApiRequest): ApiResult {
  const { body, workspace } = request;
  const { pageSize, startCursor } = readPageRequest(body.page_size, body.start_cursor, "body");
  const kind = readKind(body.filter);
  const inTrash = isObject(body.filter) && body.filter.in_trash === true;
  const direction = readDirection(body.sort);
  const text = typeof body.query === "string" ? body.query.trim().toLowerCase() : "";

  const candidates: JsonObject[] = [];
  if (kind !== "page") {
    for (const source of workspace.dataSources.values()) {
      if ((source.in_trash === true) !== inTrash) continue;
      if (titleOf(source).toLowerCase().includes(text)) candidates.push(source);
    }
  }
  if (kind !== "data_source") {
    workspace.settleIndex();
    for (const live of workspace.pages.values()) {
      const page = workspace.index.view(live);
      if ((page.in_trash === true) !== inTrash) continue;
      if (workspace.pageTitle(page).toLowerCase().includes(text)) candidates.push(page);
    }
  }
  const sign = direction === "ascending" ? 1 : -1;
  const compare = (a: JsonObject, b: JsonObject) =>
    sign * String(a.last_edited_time).localeCompare(String(b.last_edited_time)) ||
    String(a.id).localeCompare(String(b.id));
  candidates.sort(compare);
  const start = resumeAt(candidates, compare, startCursor, workspace.cursors);
  const page = sliceCappedPage(
    candidates,
    start,
    pageSize,
    workspace.limits.queryResultLimit,
    (item) => workspace.cursors.issue(item),
  );
  return ok({
    ...listEnvelope(
      "page_or_data_source",
      page.results.map((item) =>
        item.object === "page"
          ? renderPage(item, listedByDefault(request.version, item.properties))
          : item,
      ),
      page.nextCursor,
      page.hasMore,
    ),
    request_status: page.requestStatus,
  });
}

/** Where a cursor resumes: at its anchor as it was when issued (see CursorBook); refused if gone. */
function resumeAt(
  candidates: JsonObject[],
  compare: (a: JsonObject, b: JsonObject) => number,
  cursor: string | undefined,
  cursors: CursorBook,
): number {
  if (cursor === undefined) return 0;
  const anchor = cursors.resume(cursor);
  const start = candidates.findIndex((item) => compare(item, anchor) >= 0);
  return start < 0 ? candidates.length : start;
}

function readKind(filter: unknown): "page" | "data_source" | undefined {
  if (filter === undefined || filter === null) return undefined;
  if (!isObject(filter)) {
    throw validationError("body failed validation: body.filter should be an object.");
  }
  if (filter.property === undefined && filter.value === undefined) return undefined;
  if (filter.property !== "object" || (filter.value !== "page" && filter.value !== "data_source")) {
    throw validationError(
      `body failed validation: body.filter.value should be \`"page"\` or \`"data_source"\`, instead was \`${JSON.stringify(filter.value)}\`.`,
    );
  }
  return filter.value;
}

function readDirection(sort: unknown): "ascending" | "descending" {
  if (sort === undefined || sort === null) return "descending";
  if (isObject(sort) && sort.property === "relevance") return "descending";
  if (
    !isObject(sort) ||
    sort.timestamp !== "last_edited_time" ||
    (sort.direction !== "ascending" && sort.direction !== "descending")
  ) {
    throw validationError(
      'body failed validation: body.sort should be `{"timestamp":"last_edited_time","direction":"ascending"|"descending"}`.',
    );
  }
  return sort.direction;
}

function titleOf(source: JsonObject): string {
  return isArray(source.title)
    ? source.title.map((item) => (isObject(item) ? String(item.plain_text ?? "") : "")).join("")
    : "";
}
