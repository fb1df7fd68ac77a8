import { isFullDataSource, isFullPage } from "@notionhq/client";
import type {
  Client,
  DataSourceObjectResponse,
  GetPagePropertyResponse,
  PageObjectResponse,
  QueryDataSourceParameters,
  QueryDataSourceResponse,
  UserObjectResponse,
  SearchResponse,
} from "@notionhq/client";
import { NotionMirrorError } from "../errors.ts";
import type { NotionVersion } from "./api-version.ts";
import type { NotionFetch } from "./client.ts";
import { createNotionClient } from "./client.ts";
import { CursorRefused } from "./cursor-refused.ts";
import type { NotionConnection } from "./connection.ts";
import type { FailureKind } from "./failures.ts";
import { budgetOutcome, classifyFailure } from "./failures.ts";
import type { PageLane, Pacer } from "./rate-gate.ts";
import { RateGate, WaitAborted } from "./rate-gate.ts";
import type { RequestEvent, RequestObserver } from "./request-events.ts";
import { RequestLabels } from "./request-events.ts";
import { Semaphore } from "../util/semaphore.ts";
import type { BudgetView } from "./window-budget.ts";

/**
 * Requests in flight at once by default. Notion's budget may be spent at any pace within its
 * window, so the bound only has to keep latency from binding it: a budget of 30 requests/s at
 * 250 ms a request needs 30 × 0.25 = 7.5 in flight on average (Little's law); twice that leaves
 * room for slower answers and for a window entered late, and spends a window's budget in about
 * half of it. More would only deepen the first window's storm of 429s (every request in flight
 * when the budget runs out is refused) and the local work queued behind it.
 */
export const DEFAULT_CONCURRENCY = 16;

/**
 * Refusals (429, 529) of one read in a row before it is given up, as a write is left for the next
 * run after as many: each is waited out, so this many spans ten windows or more.
 */
export const MAX_REFUSALS_PER_READ = 10;

export interface NotionApiOptions {
  /** The API version to speak (default: DEFAULT_NOTION_VERSION, 2026-03-11). */
  notionVersion?: NotionVersion;
  /**
   * A ceiling in requests per second (the config's `rateLimit`, to leave room for the
   * workspace's other integrations). Absent or Infinity: none; Notion's answers set the pace.
   */
  rateLimit?: number;
  /** Requests in flight at once (default {@link DEFAULT_CONCURRENCY}). */
  concurrency?: number;
  /** Attempts per read that fail (5xx, timeout, dropped connection) before giving up. */
  maxAttempts?: number;
  /**
   * Refusals (429, 529) of one read in a row before giving up (default
   * {@link MAX_REFUSALS_PER_READ}). Counted apart from failures: a refusal is Notion asking to
   * wait, nothing went wrong, and each is waited out as long as Notion asks.
   */
  maxRefusals?: number;
  /** Longest wait between two attempts, ms. */
  maxBackoffMs?: number;
  /** Per-request timeout, ms. */
  timeoutMs?: number;
  /** Told of every retry and wait before it begins (for progress displays; never the token). */
  onEvent?: RequestObserver;
}

/** Counts of what was sent, for reports and benchmarks. */
export interface RequestStats {
  requests: number;
  byKind: Record<string, number>;
  retries: number;
  /** Requests Notion refused: 429s and 529s. */
  rateLimited: number;
  transientFailures: number;
}

/**
 * notion-mirror's door to Notion: every request is paced by the rate gate (Notion's budget as its
 * answers reveal it, and the ceiling if one is set), counted, and (for reads) retried on 429 and
 * 529 after Retry-After, on 5xx, timeouts and dropped connections with capped exponential backoff
 * and jitter. Any Retry-After Notion sends holds every request, not only the one it answered.
 * 401 and 404 end at once with a message that says what to do. Never logs; the token is only in
 * the client's memory. Each retry and wait is reported to `options.onEvent` (kind, reason,
 * attempt, delay, method and path), and so is a wait for the window's budget, for the CLI to show.
 */
export class NotionApi {
  readonly stats: RequestStats = {
    requests: 0,
    byKind: {},
    retries: 0,
    rateLimited: 0,
    transientFailures: 0,
  };
  /** Requests in flight at once: callers that work page by page start no more pages than this. */
  readonly concurrency: number;
  private readonly client: Client;
  private readonly gate: RateGate;
  private readonly inFlight: Semaphore;
  private readonly maxAttempts: number;
  private readonly maxRefusals: number;
  private readonly maxBackoffMs: number;
  private readonly labels = new RequestLabels();
  private readonly onEvent: RequestObserver | undefined;

  constructor(connection: NotionConnection, options: NotionApiOptions = {}) {
    this.client = createNotionClient(connection, {
      notionVersion: options.notionVersion,
      timeoutMs: options.timeoutMs ?? 60_000,
      fetch: this.labels.wrap<NotionFetch>((url, init) => fetch(url, init as RequestInit)),
    });
    this.onEvent = options.onEvent;
    this.gate = new RateGate({
      ...(options.rateLimit === undefined ? {} : { ceiling: options.rateLimit }),
      onHold: (hold) =>
        this.tell({
          type: "hold",
          delayMs: hold.delayMs,
          budget: hold.budget,
          windowMs: hold.windowMs,
          at: Date.now(),
        }),
    });
    this.concurrency = Math.max(1, options.concurrency ?? DEFAULT_CONCURRENCY);
    this.inFlight = new Semaphore(this.concurrency);
    this.maxAttempts = options.maxAttempts ?? 8;
    this.maxRefusals = options.maxRefusals ?? MAX_REFUSALS_PER_READ;
    this.maxBackoffMs = options.maxBackoffMs ?? 30_000;
  }

  /** The window's budget and length as learned from Notion's answers, once they are known. */
  learned(): BudgetView {
    return this.gate.learned();
  }

  /**
   * The pacing of one page's live read and its write (see {@link RateGate.lane}): pass
   * `lane.reads` to the page's reads and `lane.writes` to its write, and close it when the page is
   * settled. With a signal, a read still waiting for its turn when it fires throws
   * {@link WaitAborted} and is never sent.
   */
  lane(signal?: AbortSignal): PageLane {
    return this.gate.lane(signal);
  }

  /**
   * Sends one request paced (by `pacer`, default the shared queue) and counted; no retry. Errors
   * are the client's own, or {@link WaitAborted} when the pacer gave up the wait.
   */
  async send<T>(
    kind: string,
    request: (client: Client) => Promise<T>,
    pacer: Pacer = this.gate,
  ): Promise<T> {
    return this.inFlight.run(async () => {
      const ticket = await pacer.acquire();
      this.stats.requests += 1;
      this.stats.byKind[kind] = (this.stats.byKind[kind] ?? 0) + 1;
      try {
        const answer = await this.labels.track(() => request(this.client));
        ticket.settle({ kind: "answered" });
        return answer;
      } catch (error) {
        // Pause the gate before this slot is released: a request queued behind a 429 (or a 529,
        // or a 503 that names a Retry-After) must not go out inside the wait Notion asked for
        // (the caller's waitBeforeRetry comes too late for it).
        const failure = classifyFailure(error, kind);
        if (failure.kind !== "fatal" && failure.retryAfterMs !== undefined)
          this.gate.pause(failure.retryAfterMs);
        ticket.settle(budgetOutcome(failure));
        throw error;
      }
    });
  }

  /**
   * A read, retried until it succeeds or fails for good: failures up to `maxAttempts`, refusals
   * (each after its Retry-After) up to `maxRefusals`, counted apart. `what` completes error
   * messages ("while reading data source projects").
   */
  async read<T>(
    kind: string,
    what: string,
    request: (client: Client) => Promise<T>,
    pacer?: Pacer,
  ): Promise<T> {
    let failures = 0;
    let refusals = 0;
    for (;;) {
      try {
        return await this.send(kind, request, pacer);
      } catch (error) {
        if (error instanceof WaitAborted) throw error;
        const failure = classifyFailure(error, what);
        if (failure.kind === "fatal") throw failure.error;
        const refused = failure.kind === "refused";
        // Refusals are counted in a row (as the message says); failures over the whole read.
        if (refused) refusals += 1;
        else [failures, refusals] = [failures + 1, 0];
        if (failures >= this.maxAttempts || refusals >= this.maxRefusals) {
          throw new NotionMirrorError(
            "network",
            `Gave up ${what} after ${failures + refusals} attempts (last: ${failure.reason}${refused ? `; Notion refused it ${refusals} times in a row` : ""}).`,
            refused
              ? "Notion's limits may be taken by the workspace's other integrations; run the same command again later: it resumes safely."
              : "Notion may be having an outage; run the same command again later: it resumes safely.",
          );
        }
        this.stats.retries += 1;
        await (refused
          ? this.waitBeforeRetry(failure, refusals)
          : this.waitBeforeRetry(failure, failures, this.maxAttempts));
      }
    }
  }

  /**
   * Waits as a failure asks: Retry-After for a refusal (429, 529: never sooner; every request
   * waits at the gate), else backoff with jitter, and never less than a Retry-After the server
   * sent with a 5xx (every request waits for that too). Reports the wait to `onEvent` before it
   * begins. `maxAttempts`, when the caller has a limit, is only reported.
   */
  async waitBeforeRetry(
    failure: FailureKind,
    attempt: number,
    maxAttempts?: number,
  ): Promise<void> {
    if (failure.kind === "refused") {
      this.stats.rateLimited += 1;
      const wait = failure.retryAfterMs ?? this.backoffMs(attempt);
      this.report(failure, attempt, maxAttempts, wait);
      this.gate.pause(wait);
      return;
    }
    this.stats.transientFailures += 1;
    const retryAfter = failure.kind === "transient" ? failure.retryAfterMs : undefined;
    if (retryAfter !== undefined) this.gate.pause(retryAfter);
    const wait = Math.max(this.backoffMs(attempt), retryAfter ?? 0);
    this.report(failure, attempt, maxAttempts, wait);
    await new Promise((resolve) => setTimeout(resolve, wait));
  }

  private report(
    failure: FailureKind,
    attempt: number,
    maxAttempts: number | undefined,
    delayMs: number,
  ): void {
    if (failure.kind === "fatal") return;
    this.tell({
      type: "retry",
      cause: failure.kind,
      reason: failure.reason,
      attempt,
      maxAttempts,
      delayMs,
      retryAfterMs: failure.retryAfterMs,
      request: failure.request,
      at: Date.now(),
    });
  }

  private tell(event: RequestEvent): void {
    if (!this.onEvent) return;
    try {
      this.onEvent(event);
    } catch {
      // A display that fails must not stop the work it displays.
    }
  }

  private backoffMs(attempt: number): number {
    const base = Math.min(this.maxBackoffMs, 250 * 2 ** (attempt - 1));
    return base / 2 + Math.random() * (base / 2);
  }

  retrieveDataSource(
    id: string,
    what = `reading data source ${id}`,
  ): Promise<DataSourceObjectResponse> {
    return this.read("data_source", what, async (client) => {
      const source = await client.dataSources.retrieve({ data_source_id: id });
      if (!isFullDataSource(source)) {
        throw new NotionMirrorError(
          "not_found",
          `Data source ${id} came back without its schema; the integration needs read access.`,
        );
      }
      return source;
    });
  }

  queryDataSource(
    parameters: QueryDataSourceParameters,
    what: string,
  ): Promise<QueryDataSourceResponse> {
    return this.read("query", what, (client) => client.dataSources.query(parameters));
  }

  retrievePage(
    id: string,
    what = `reading page ${id}`,
    pacer?: Pacer,
  ): Promise<PageObjectResponse> {
    const request = async (client: Client) => {
      const page = await client.pages.retrieve({ page_id: id });
      if (!isFullPage(page)) {
        throw new NotionMirrorError(
          "not_found",
          `Page ${id} came back without properties; the integration needs read access.`,
        );
      }
      return page;
    };
    return this.read("page", what, request, pacer);
  }

  /**
   * Every item of a paginated property (relations past 25, long rich text …), in order. A cursor
   * Notion refuses starts the value over from its first item (its cursors expire like a query's);
   * the third refusal while reading one value is thrown, so a value is read at most three times.
   */
  async propertyItems(
    pageId: string,
    propertyId: string,
    pacer?: Pacer,
  ): Promise<GetPagePropertyResponse[]> {
    let pages: GetPagePropertyResponse[] = [];
    let cursor: string | undefined;
    let refusals = 0;
    for (;;) {
      let answer: GetPagePropertyResponse;
      try {
        answer = await this.read(
          "property",
          `reading property ${propertyId} of page ${pageId}`,
          (client) =>
            client.pages.properties.retrieve({
              page_id: pageId,
              property_id: propertyId,
              ...(cursor ? { start_cursor: cursor } : {}),
              page_size: 100,
            }),
          pacer,
        );
      } catch (error) {
        if (!(error instanceof CursorRefused) || (refusals += 1) >= 3) throw error;
        pages = [];
        cursor = undefined;
        continue;
      }
      pages.push(answer);
      if (answer.object !== "list" || !answer.has_more || !answer.next_cursor) return pages;
      cursor = answer.next_cursor;
    }
  }

  me(): Promise<UserObjectResponse> {
    return this.read("user", "checking the token", (client) => client.users.me({}));
  }

  /**
   * Every data source the integration can see, by search. A cursor Notion refuses restarts the
   * listing (results already seen are not repeated; three refusals in a row that bring nothing
   * new give up). Notion answers at most 10,000 results per search: `complete` is false when it
   * said the listing was cut there.
   */
  async searchDataSources(): Promise<{ found: DataSourceObjectResponse[]; complete: boolean }> {
    const found = new Map<string, DataSourceObjectResponse>();
    let complete = true;
    let cursor: string | undefined;
    let fruitless = 0;
    for (;;) {
      let answer: SearchResponse;
      try {
        answer = await this.read(
          "search",
          "listing the data sources shared with the integration",
          (client) =>
            client.search({
              filter: { property: "object", value: "data_source" },
              page_size: 100,
              ...(cursor ? { start_cursor: cursor } : {}),
            }),
        );
      } catch (error) {
        if (!(error instanceof CursorRefused) || (fruitless += 1) >= 3) throw error;
        cursor = undefined;
        continue;
      }
      let fresh = 0;
      for (const result of answer.results) {
        if (result.object !== "data_source" || !isFullDataSource(result)) continue;
        if (!found.has(result.id)) fresh += 1;
        found.set(result.id, result);
      }
      if (fresh > 0) fruitless = 0;
      if (answer.request_status?.type === "incomplete") complete = false;
      if (!answer.has_more || !answer.next_cursor) break;
      cursor = answer.next_cursor;
    }
    return { found: [...found.values()], complete };
  }
}
