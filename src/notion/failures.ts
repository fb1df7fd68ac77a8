import {
  APIErrorCode,
  APIResponseError,
  ClientErrorCode,
  isNotionClientError,
} from "@notionhq/client";
import { NotionMirrorError } from "../errors.ts";

/** How a failed request should be treated. */
export type FailureKind =
  /** Notion asked to slow down; the request was not applied. `retryAfterMs` when it said how long. */
  | { kind: "rate_limited"; retryAfterMs: number | undefined }
  /** A server or network failure; a write may or may not have been applied. */
  | { kind: "transient"; reason: string }
  /** Retrying will not help. */
  | { kind: "fatal"; error: NotionMirrorError };

/**
 * Classifies an error thrown by @notionhq/client. Messages never include the token: Notion's own
 * messages and status codes are used, request headers never.
 */
export function classifyFailure(error: unknown, what: string): FailureKind {
  if (APIResponseError.isAPIResponseError(error)) {
    switch (error.code) {
      case APIErrorCode.RateLimited:
        return { kind: "rate_limited", retryAfterMs: retryAfterMs(error.headers) };
      case APIErrorCode.InternalServerError:
      case APIErrorCode.ServiceUnavailable:
      case APIErrorCode.ServiceOverload:
      case APIErrorCode.GatewayTimeout:
      case APIErrorCode.ConflictError:
        return { kind: "transient", reason: `${error.status} ${error.code}` };
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
  // fetch's TypeError ("fetch failed": reset, refused, truncated body) and JSON parse errors.
  if (error instanceof Error) return { kind: "transient", reason: error.message };
  return { kind: "transient", reason: String(error) };
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
