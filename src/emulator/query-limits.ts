/** Notion's per-query result limit: one filter and sort walk at most this many results. */
export const DEFAULT_QUERY_RESULT_LIMIT = 10_000;

/**
 * How long a query or search cursor stays valid, ms. Notion does not document it (cursors are
 * session-scoped; reports see them refused in under a minute on a long walk): a minute here.
 */
export const DEFAULT_CURSOR_TTL_MS = 60_000;

/**
 * The limits Notion puts on walking a query's cursor chain. One mutable object shared by the
 * emulator and every workspace it serves, so a change applies to the next request and survives
 * a reseed.
 */
export interface QueryLimits {
  /** Results one query (data source query or search) returns through its cursors. */
  queryResultLimit: number;
  /** Age (emulator clock, from issue) past which a cursor is refused; false: never. */
  cursorTtlMs: number | false;
}

export function defaultQueryLimits(): QueryLimits {
  return { queryResultLimit: DEFAULT_QUERY_RESULT_LIMIT, cursorTtlMs: DEFAULT_CURSOR_TTL_MS };
}

/** A result limit as given by a caller: a whole number ≥ 1. Throws saying what is wrong. */
export function checkQueryResultLimit(value: unknown): number {
  if (typeof value !== "number" || !Number.isSafeInteger(value) || value < 1) {
    throw new Error(`queryResultLimit must be a whole number ≥ 1, not ${JSON.stringify(value)}`);
  }
  return value;
}

/** A cursor TTL as given by a caller: ms > 0, or false for cursors that never expire. */
export function checkCursorTtl(value: unknown): number | false {
  if (value === false) return false;
  if (typeof value !== "number" || !Number.isFinite(value) || value <= 0) {
    throw new Error(
      `cursorTtlMs must be a number of ms > 0 or false, not ${JSON.stringify(value)}`,
    );
  }
  return value;
}
