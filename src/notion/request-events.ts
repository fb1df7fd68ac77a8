import { AsyncLocalStorage } from "node:async_hooks";

/**
 * A request as events name it: the HTTP method and the URL's path (ids included). Never the
 * query string, headers or body, so never the token.
 */
export interface RequestLabel {
  method: string;
  path: string;
}

/**
 * A request failed and will be sent again after `delayMs`: Notion refused it (`refused`: a 429, or
 * a 529 overload; nothing was applied, every request waits, the rate gate is paused) or a server
 * or network failure (`transient`; a Retry-After it sent pauses every request too, else only this
 * one waits). Reported before the wait begins; `at` is when (Date.now()), so `at + delayMs` is
 * when the work resumes.
 */
export interface RetryEvent {
  type: "retry";
  cause: "refused" | "transient";
  /**
   * For people: "429 rate_limited, public_api_request_rate_limit", "529 service_overload",
   * "503 service_unavailable", "fetch failed: ECONNREFUSED".
   */
  reason: string;
  /** The attempt that failed, from 1. */
  attempt: number;
  /** Attempts allowed before giving up, when the caller has a limit. */
  maxAttempts: number | undefined;
  delayMs: number;
  /** The server's own Retry-After, when it sent one. */
  retryAfterMs: number | undefined;
  /** The request that failed, when known. */
  request: RequestLabel | undefined;
  at: number;
}

/**
 * Requests wait because the window's budget Notion gives is spent: none is sent until the window
 * resets, `delayMs` from `at`, rather than drawing 429s. `budget` and `windowMs` as learned from
 * Notion's answers, when they are known.
 */
export interface HoldEvent {
  type: "hold";
  delayMs: number;
  budget: number | undefined;
  windowMs: number | undefined;
  at: number;
}

/** Everything the request layer reports. */
export type RequestEvent = RetryEvent | HoldEvent;

/**
 * Receives request events. Called synchronously from the request layer; it must return quickly,
 * and what it throws is ignored (a display never stops the work).
 */
export type RequestObserver = (event: RequestEvent) => void;

type Fetch = (url: string, init?: { method?: string }) => Promise<unknown>;

const labelsOfErrors = new WeakMap<object, RequestLabel>();

/** The request an error came from, when {@link RequestLabels.track} saw it leave. */
export function requestOfError(error: unknown): RequestLabel | undefined {
  return typeof error === "object" && error !== null ? labelsOfErrors.get(error) : undefined;
}

/**
 * Learns which HTTP request each call made, without the callers saying: the client's `fetch` is
 * wrapped to note the method and path in the async context of the call that {@link track} runs,
 * and an error thrown by that call is tagged with it (see {@link requestOfError}).
 */
export class RequestLabels {
  private readonly scope = new AsyncLocalStorage<{ label?: RequestLabel }>();

  /** A `fetch` for @notionhq/client that notes each request's method and path. */
  wrap<F extends Fetch>(inner: F): F {
    const scope = this.scope;
    return ((url: string, init?: { method?: string }) => {
      const slot = scope.getStore();
      if (slot) slot.label = labelOf(url, init?.method);
      return inner(url, init);
    }) as F;
  }

  /** Runs one request call; an error it throws carries the request it came from. */
  async track<T>(call: () => Promise<T>): Promise<T> {
    const slot: { label?: RequestLabel } = {};
    try {
      return await this.scope.run(slot, call);
    } catch (error) {
      if (slot.label && typeof error === "object" && error !== null)
        labelsOfErrors.set(error, slot.label);
      throw error;
    }
  }
}

function labelOf(url: string, method: string | undefined): RequestLabel {
  let path = "";
  try {
    path = new URL(url).pathname;
  } catch {
    // The client builds the URL with `new URL`, so this does not happen; no path is shown then.
  }
  return { method: (method ?? "GET").toUpperCase(), path };
}
