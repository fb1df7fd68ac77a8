import { isObject } from "./json.ts";

/**
 * Notion's per-connection limit as its request-limits page describes it (2026): a fixed budget of
 * `requests` per window of `windowMs`, spendable at any pace — evenly or in one burst. Past it
 * Notion answers 429 with a Retry-After of the whole seconds until the window resets.
 */
export interface WindowRateLimit {
  kind: "window";
  requests: number;
  windowMs: number;
}

/**
 * The older model (Notion's page until 2026: "an average of three requests per second, some
 * bursts allowed"): a token bucket of `burst` tokens refilled at `perSecond`. `kind` may be left
 * out (the shape this emulator took before windows), which reads as a bucket.
 */
export interface BucketRateLimit {
  kind?: "bucket";
  perSecond: number;
  /** Tokens the bucket holds (default: ⌈perSecond⌉, at least 1). */
  burst?: number;
}

/** The per-connection limit: each bearer token has its own window or bucket. */
export type RateLimit = WindowRateLimit | BucketRateLimit;

/**
 * The per-workspace limit: one fixed budget per window shared by every connection (token) of the
 * workspace. Its window may be longer than a minute, and so may its Retry-After.
 */
export interface WorkspaceRateLimit {
  requests: number;
  windowMs: number;
}

/**
 * Notion's names for the limit that refused a request (`additional_data.rate_limit_reason`,
 * request-limits page): the per-connection and the per-workspace limit. Notion also names
 * `public_api_endpoint_rate_limit` and `public_api_request_blocked`, which the emulator does not
 * model but a fault rule may send.
 */
export const CONNECTION_LIMIT_REASON = "public_api_request_rate_limit";
export const WORKSPACE_LIMIT_REASON = "public_api_space_request_rate_limit";

/**
 * Notion's per-connection budgets (request-limits page, 2026): 180 requests per minute (an
 * average of 3 per second) on every plan but Business and Enterprise, which get 600 (10 per
 * second). The per-workspace limit is "scaled to the workspace's plan" with no figure given.
 */
export const NOTION_BUDGETS = {
  standard: { kind: "window", requests: 180, windowMs: 60_000 },
  business: { kind: "window", requests: 600, windowMs: 60_000 },
} as const satisfies Record<string, WindowRateLimit>;

/**
 * A per-connection limit as given by a caller (options, control API), normalised: a window, or a
 * bucket with `kind` and `burst` filled in; false for none. Throws saying what is wrong.
 *
 * @example checkRateLimit({ perSecond: 3 }) // → { kind: "bucket", perSecond: 3, burst: 3 }
 */
export function checkRateLimit(value: unknown): RateLimit | false {
  if (value === false) return false;
  if (isObject(value) && value.kind === "window") {
    const { requests, windowMs } = checkWindow(value, "rateLimit");
    return { kind: "window", requests, windowMs };
  }
  if (isObject(value) && (value.kind === undefined || value.kind === "bucket")) {
    const { perSecond, burst } = value;
    if (typeof perSecond !== "number" || !Number.isFinite(perSecond) || perSecond <= 0)
      throw new Error(`rateLimit.perSecond must be a number > 0, not ${JSON.stringify(perSecond)}`);
    if (burst !== undefined && (typeof burst !== "number" || !Number.isFinite(burst) || burst < 1))
      throw new Error(`rateLimit.burst must be a number ≥ 1, not ${JSON.stringify(burst)}`);
    return { kind: "bucket", perSecond, burst: burst ?? Math.max(1, Math.ceil(perSecond)) };
  }
  throw new Error(
    `rateLimit must be false, {kind: "window", requests, windowMs} or {kind: "bucket", perSecond, burst?}, not ${JSON.stringify(value)}`,
  );
}

/** A per-workspace limit as given by a caller, or false for none. Throws saying what is wrong. */
export function checkWorkspaceRateLimit(value: unknown): WorkspaceRateLimit | false {
  if (value === false) return false;
  if (!isObject(value))
    throw new Error(
      `workspaceRateLimit must be false or {requests, windowMs}, not ${JSON.stringify(value)}`,
    );
  return checkWindow(value, "workspaceRateLimit");
}

function checkWindow(value: Record<string, unknown>, name: string): WorkspaceRateLimit {
  const { requests, windowMs } = value;
  if (typeof requests !== "number" || !Number.isSafeInteger(requests) || requests < 1)
    throw new Error(`${name}.requests must be a whole number ≥ 1, not ${JSON.stringify(requests)}`);
  if (typeof windowMs !== "number" || !Number.isFinite(windowMs) || windowMs <= 0)
    throw new Error(`${name}.windowMs must be a number of ms > 0, not ${JSON.stringify(windowMs)}`);
  return { requests, windowMs };
}
