import { CursorRefused, isCursorRefusal } from "./cursor-refused.ts";
import {
  APIErrorCode,
  APIResponseError,
  ClientErrorCode,
  isNotionClientError,
} from "@notionhq/client";
import { NotionMirrorError } from "../errors.ts";
import type { RequestLabel } from "./request-events.ts";
import { requestOfError } from "./request-events.ts";
import type { BudgetOutcome } from "./window-budget.ts";

/** Notion's name for the per-connection budget in a 429's `additional_data.rate_limit_reason`. */
export const CONNECTION_LIMIT = "public_api_request_rate_limit";

/** How a failed request should be treated. */
export type FailureKind =
  /**
   * Notion refused the request without handling it: a 429 (a rate limit) or a 529 (Notion
   * overloaded; its request-limits page asks that both be handled the same way). Safe to send
   * again once `retryAfterMs` (when it said) has passed: nothing was applied. `limit` is the
   * 429's `rate_limit_reason`; `budget` is true for a 429 of the connection's own budget (the
   * reason Notion names it by, or none), whose Retry-After tells when its window resets.
   * `reason` for people ("429 rate_limited, public_api_request_rate_limit"); `request` the
   * request refused, when known.
   */
  | {
      kind: "refused";
      reason: string;
      retryAfterMs: number | undefined;
      limit?: string;
      budget: boolean;
      request?: RequestLabel;
    }
  /**
   * A server or network failure; a write may or may not have been applied. `retryAfterMs` when
   * the server said how long to stay away (a 503 with Retry-After: Notion's status-codes page
   * says a 503 can come from a request that took over 60 s, so it may have been worked on).
   * `answered`: Notion sent an HTTP answer (it saw the request), not a timeout or a dropped
   * connection.
   */
  | {
      kind: "transient";
      reason: string;
      retryAfterMs?: number;
      answered: boolean;
      request?: RequestLabel;
    }
  /** Retrying will not help. */
  | { kind: "fatal"; error: NotionMirrorError };

/**
 * Classifies an error thrown by @notionhq/client. Messages never include the token: Notion's own
 * messages and status codes are used, request headers never.
 */
export function classifyFailure(error: unknown, what: string): FailureKind {
  const failure = classify(error, what);
  const request = requestOfError(error);
  return request && failure.kind !== "fatal" ? { ...failure, request } : failure;
}

function classify(error: unknown, what: string): FailureKind {
  if (APIResponseError.isAPIResponseError(error)) {
    switch (error.code) {
      case APIErrorCode.RateLimited: {
        const named = error.additional_data?.rate_limit_reason;
        const limit = typeof named === "string" ? named : undefined;
        return {
          kind: "refused",
          reason: `429 rate_limited${limit ? `, ${limit}` : ""}`,
          retryAfterMs: retryAfterMs(error.headers),
          ...(limit ? { limit } : {}),
          budget: limit === undefined || limit === CONNECTION_LIMIT,
        };
      }
      case APIErrorCode.ServiceOverload:
        return {
          kind: "refused",
          reason: `${error.status} ${error.code}`,
          retryAfterMs: retryAfterMs(error.headers),
          budget: false,
        };
      case APIErrorCode.InternalServerError:
      case APIErrorCode.ServiceUnavailable:
      case APIErrorCode.GatewayTimeout:
      case APIErrorCode.ConflictError: {
        const after = retryAfterMs(error.headers);
        return {
          kind: "transient",
          reason: `${error.status} ${error.code}`,
          answered: true,
          ...(after === undefined ? {} : { retryAfterMs: after }),
        };
      }
      case APIErrorCode.Unauthorized:
        return {
          kind: "fatal",
          error: new NotionMirrorError(
            "auth",
            `Notion refused the token while ${what} (401 unauthorized).`,
            "Check NOTION_TOKEN: copy the integration's secret again from https://www.notion.so/profile/integrations.",
          ),
        };
      case APIErrorCode.RestrictedResource:
      case APIErrorCode.ObjectNotFound:
        return {
          kind: "fatal",
          error: new NotionMirrorError(
            "not_found",
            `Notion cannot find or show this to the integration while ${what}: ${error.message}`,
            "Share the database with your integration: open it in Notion → ••• → Connections → add the integration. Check the id in notion-mirror.json.",
          ),
        };
      default:
        if (isCursorRefusal(error.code, error.message)) {
          return { kind: "fatal", error: new CursorRefused(what, error.message) };
        }
        return {
          kind: "fatal",
          error: new NotionMirrorError(
            "notion",
            `Notion answered ${error.status} ${error.code} while ${what}: ${error.message}`,
          ),
        };
    }
  }
  if (isNotionClientError(error) && error.code === ClientErrorCode.RequestTimeout) {
    return { kind: "transient", reason: "timeout", answered: false };
  }
  if (isNotionClientError(error) && error.code === ClientErrorCode.ResponseError) {
    const status = (error as { status?: number }).status ?? 0;
    // A refusal without Notion's error body (a proxy in front of the API, say) is still one.
    if (status === 429 || status === 529)
      return {
        kind: "refused",
        reason: `HTTP ${status}`,
        retryAfterMs: retryAfterMs((error as { headers?: unknown }).headers),
        budget: false,
      };
    if (status >= 500 || status === 0)
      return { kind: "transient", reason: `HTTP ${status}`, answered: status > 0 };
    return {
      kind: "fatal",
      error: new NotionMirrorError(
        "notion",
        `Notion answered HTTP ${status} while ${what}: ${error.message}`,
      ),
    };
  }
  // A TypeError without a cause is a request fetch refused to build: a header value HTTP cannot
  // carry, such as a token with a line break in it. Sending it again will not help, and its
  // message quotes the header, the token itself: none of it is repeated here.
  if (error instanceof TypeError && error.cause === undefined) {
    return {
      kind: "fatal",
      error: new NotionMirrorError(
        "config",
        `The request could not be sent while ${what}: NOTION_TOKEN (or NOTION_BASE_URL) holds a character HTTP does not allow, such as a line break.`,
        "Set NOTION_TOKEN to the integration's secret alone: copy it again from https://www.notion.so/profile/integrations.",
      ),
    };
  }
  // A body cut short; the message may quote some of it, which says nothing useful.
  if (error instanceof SyntaxError)
    return {
      kind: "transient",
      reason: "the answer was not valid JSON (cut short?)",
      answered: true,
    };
  // fetch's TypeError ("fetch failed": reset, refused, timed-out body) names its cause.
  if (error instanceof Error)
    return { kind: "transient", reason: withCause(error), answered: false };
  return { kind: "transient", reason: String(error), answered: false };
}

/** "fetch failed" says little; its cause's code says what ("fetch failed: ECONNREFUSED"). */
function withCause(error: Error): string {
  const cause: unknown = error.cause;
  if (typeof cause !== "object" || cause === null) return error.message;
  const code = (cause as { code?: unknown }).code;
  return typeof code === "string" && /^[A-Z_]+$/.test(code)
    ? `${error.message}: ${code}`
    : error.message;
}

/** What a failure tells the rate gate about Notion's budget (see WindowBudget). */
export function budgetOutcome(failure: FailureKind): BudgetOutcome {
  if (failure.kind === "refused")
    return { kind: "refused", retryAfterMs: failure.retryAfterMs, teaches: failure.budget };
  if (failure.kind === "transient" && !failure.answered) return { kind: "lost" };
  return { kind: "answered" };
}

function retryAfterMs(headers: unknown): number | undefined {
  let raw: string | null | undefined;
  if (headers instanceof Headers) raw = headers.get("retry-after");
  else if (headers && typeof headers === "object") {
    const value = (headers as Record<string, unknown>)["retry-after"];
    raw = typeof value === "string" ? value : undefined;
  }
  if (!raw) return undefined;
  const seconds = Number(raw);
  if (Number.isFinite(seconds) && seconds >= 0) return seconds * 1000;
  const date = Date.parse(raw);
  return Number.isFinite(date) ? Math.max(0, date - Date.now()) : undefined;
}
