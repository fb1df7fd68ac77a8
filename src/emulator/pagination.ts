import { validationError } from "./errors.ts";

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

export function invalidCursor(cursor: string) {
  return validationError(`start_cursor provided is invalid: ${cursor}`);
}
