import { validationError } from "./errors.ts";
import type { JsonObject } from "./json.ts";

export interface PageRequest {
  pageSize: number;
  startCursor: string | undefined;
}

/**
 * Reads `page_size` and `start_cursor` (from a body or a query string) as Notion does: page_size a
 * whole number from 1 to 100 (default 100), the cursor an opaque string from an earlier answer.
 */
export function readPageRequest(
  pageSize: unknown,
  startCursor: unknown,
  where: "body" | "query",
): PageRequest {
  let size = 100;
  if (pageSize !== undefined && pageSize !== null) {
    const parsed = typeof pageSize === "string" && where === "query" ? Number(pageSize) : pageSize;
    if (typeof parsed !== "number" || !Number.isInteger(parsed)) {
      throw validationError(
        `${where} failed validation: ${where}.page_size should be a number, instead was \`${JSON.stringify(pageSize)}\`.`,
      );
    }
    if (parsed > 100) {
      throw validationError(
        `${where} failed validation: ${where}.page_size should be ≤ \`100\`, instead was \`${parsed}\`.`,
      );
    }
    if (parsed < 1) {
      throw validationError(
        `${where} failed validation: ${where}.page_size should be ≥ \`1\`, instead was \`${parsed}\`.`,
      );
    }
    size = parsed;
  }
  if (startCursor !== undefined && startCursor !== null && typeof startCursor !== "string") {
    throw validationError(
      `${where} failed validation: ${where}.start_cursor should be a string, instead was \`${JSON.stringify(startCursor)}\`.`,
    );
  }
  return { pageSize: size, startCursor: startCursor ?? undefined };
}

/**
 * One page of `items` starting at `start`; `cursorOf` turns the item that opens the next page
 * into the cursor (its id for users, a position for property items, a CursorBook entry for
 * sorted lists).
 */
export function slicePage<T>(
  items: readonly T[],
  start: number,
  pageSize: number,
  cursorOf: (item: T, index: number) => string,
): { results: T[]; nextCursor: string | null; hasMore: boolean } {
  const results = items.slice(start, start + pageSize);
  const next = items[start + pageSize];
  const hasMore = next !== undefined;
  return { results, nextCursor: hasMore ? cursorOf(next, start + pageSize) : null, hasMore };
}

/**
 * One batch of a query's result list under Notion's per-query result limit: the cursor chain ends
 * at position `limit` (the batch that reaches it has has_more false and no next_cursor, and no
 * cursor can start at or past it). `requestStatus` is the same on every batch of the query:
 * `incomplete` when the list holds more than the limit, even on batches before the last, as
 * Notion's guide says it may be.
 */
export function sliceCappedPage<T>(
  items: readonly T[],
  start: number,
  pageSize: number,
  limit: number,
  cursorOf: (item: T, index: number) => string,
): { results: T[]; nextCursor: string | null; hasMore: boolean; requestStatus: JsonObject } {
  const end = Math.min(start + pageSize, limit);
  const results = start < end ? items.slice(start, end) : [];
  const next = end < limit ? items[end] : undefined;
  const hasMore = next !== undefined;
  return {
    results,
    nextCursor: hasMore ? cursorOf(next, end) : null,
    hasMore,
    requestStatus: requestStatus(items.length > limit),
  };
}

/** `request_status` as Notion puts it on query and search answers. */
export function requestStatus(capped: boolean): JsonObject {
  return capped
    ? { type: "incomplete", incomplete_reason: "query_result_limit_reached" }
    : { type: "complete" };
}

/** Notion's refusal of a cursor it does not (or no longer) accept. */
export function invalidCursor(cursor: string) {
  return validationError(`The start_cursor provided is invalid: ${cursor}`);
}
