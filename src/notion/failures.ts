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

/** How a failed request should be treated. */
export type FailureKind =
  /**
   * Notion asked to slow down; the request was not applied. `retryAfterMs` when it said how long.
   * `reason` for people ("429 rate_limited"); `request` the request refused, when known.
   */
  | {
      kind: "rate_limited";
      reason: string;
      retryAfterMs: number | undefined;
      request?: RequestLabel;
    }
  /**
   * A server or network failure; a write may or may not have been applied. `retryAfterMs` when
   * the server said how long to stay away (a 503 or 529 with Retry-After).
   */
  | { kind: "transient"; reason: string; retryAfterMs?: number; request?: RequestLabel }
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
        const limit = error.additional_data?.rate_limit_reason;
        return {
          kind: "rate_limited",
          reason: `429 rate_limited${typeof limit === "string" ? `, ${limit}` : ""}`,
          retryAfterMs: retryAfterMs(error.headers),
        };
      }
      case APIErrorCode.InternalServerError:
      case APIErrorCode.ServiceUnavailable:
      case APIErrorCode.ServiceOverload:
      case APIErrorCode.GatewayTimeout:
      case APIErrorCode.ConflictError: {
        const after = retryAfterMs(error.headers);
        return {
          kind: "transient",
          reason: `${error.status} ${error.code}`,
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
    return { kind: "transient", reason: "timeout" };
  }
  if (isNotionClientError(error) && error.code === ClientErrorCode.ResponseError) {
    const status = (error as { status?: number }).status ?? 0;
    if (status >= 500 || status === 0) return { kind: "transient", reason: `HTTP ${status}` };
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
    return { kind: "transient", reason: "the answer was not valid JSON (cut short?)" };
  // fetch's TypeError ("fetch failed": reset, refused, timed-out body) names its cause.
  if (error instanceof Error) return { kind: "transient", reason: withCause(error) };
  return { kind: "transient", reason: String(error) };
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
