import type { RequestEvent, RetryEvent } from "../notion/request-events.ts";
import {
  describeCountdown,
  describeHold,
  describeRetry,
  describeRetries,
  describeWait,
  waitNotice,
} from "./wait-text.ts";

export interface WorkLogOptions {
  /** Writes one whole line (ending in "\n") where it collides with nothing on screen. */
  output: (line: string) => void;
  /** What the work still has to do, for wait lines ("41 pages pending"); undefined when unknown. */
  pending?: () => string | undefined;
  now?: () => number;
  /** Progress lines at most this often; the first only once the work has run this long. */
  progressEveryMs?: number;
  /** A wait at least this long is shown at once, on a line of its own. */
  longWaitMs?: number;
  /** Shorter retries: at most one line per reason this often; those between are folded into it. */
  retryLineEveryMs?: number;
  /** With no progress for this long (and no wait that explains it), the last line is repeated. */
  stallMs?: number;
  /** While a long wait runs, a line counting it down this often. */
  countdownEveryMs?: number;
}

interface Folding {
  lastLineAt: number;
  folded: RetryEvent[];
  timer: NodeJS.Timeout | undefined;
}

/**
 * What long work shows besides its result: waits and retries as the request layer reports them,
 * and (off a terminal) a progress line every few seconds. Every wait of `longWaitMs` or more (a
 * Retry-After, or a wait for the window's budget to reset) is shown at once with its reason, what
 * is pending and when work resumes (one Notion asked for then counted down every
 * `countdownEveryMs` while it runs); a
 * wait that the last shown one already covers (the same 429 seen by several requests) is not
 * repeated. A wait is never a failure: it uses up no attempt. Shorter
 * retries are shown per reason at most once every `retryLineEveryMs`, the ones in between folded
 * into the next line: an outage reads as about a line a second, each attempt accounted for.
 * Lines carry reasons, attempts, methods and paths: never a header, so never the token.
 */
export class WorkLog {
  private readonly now: () => number;
  private readonly started: number;
  private readonly progressEveryMs: number;
  private readonly longWaitMs: number;
  private readonly retryLineEveryMs: number;
  private readonly stallMs: number;
  private readonly countdownEveryMs: number;
  private readonly folding = new Map<string, Folding>();
  private lastWait: { reason: string; resumesAt: number } | undefined;
  /** The wait or retry a progress bar shows, until `until`. */
  private current: { event: RequestEvent; until: number } | undefined;
  private countdown: NodeJS.Timeout | undefined;
  private countdownUntil = Number.NEGATIVE_INFINITY;
  private latestProgress: string | undefined;
  private printedProgress: string | undefined;
  private lastProgressAt: number;
  private lastChangeAt: number;
  private heartbeat: NodeJS.Timeout | undefined;
  private stopped = false;

  constructor(private readonly options: WorkLogOptions) {
    this.now = options.now ?? (() => Date.now());
    this.started = this.now();
    this.lastProgressAt = this.started;
    this.lastChangeAt = this.started;
    this.progressEveryMs = options.progressEveryMs ?? 5_000;
    this.longWaitMs = options.longWaitMs ?? 3_000;
    this.retryLineEveryMs = options.retryLineEveryMs ?? 1_000;
    this.stallMs = options.stallMs ?? 30_000;
    this.countdownEveryMs = options.countdownEveryMs ?? 10_000;
  }

  /** For NotionApiOptions.onEvent. */
  readonly onRequestEvent = (event: RequestEvent): void => {
    const until = event.at + event.delayMs;
    if (!this.current || until >= this.current.until) this.current = { event, until };
    if (event.delayMs >= this.longWaitMs) this.showWait(event, until);
    else if (event.type === "retry") this.showRetry(event);
  };

  /**
   * The latest progress, as one line of text (no newline). Printed when `progressEveryMs` has
   * passed since the last progress line; the latest one is printed by a timer otherwise, so the
   * last word before a pause is never lost.
   */
  progress(line: string): void {
    if (line !== this.latestProgress) this.lastChangeAt = this.now();
    this.latestProgress = line;
    if (!this.stopped)
      this.heartbeat ??= setInterval(() => this.beat(), this.progressEveryMs).unref();
    if (this.now() - this.lastProgressAt >= this.progressEveryMs) this.printProgress();
  }

  /** The wait or retry in progress, for a progress bar; undefined when there is none. */
  notice(): string | undefined {
    if (!this.current) return undefined;
    const now = this.now();
    if (now >= this.current.until + 1_000) return undefined;
    return waitNotice(this.current.event, this.current.until, now);
  }

  /** Shows what is still folded and stops the timers. Idempotent. */
  stop(): void {
    this.stopped = true;
    for (const [reason, folding] of this.folding) {
      if (folding.timer) clearTimeout(folding.timer);
      folding.timer = undefined;
      if (folding.folded.length > 0) this.flush(reason, folding);
    }
    if (this.heartbeat) clearInterval(this.heartbeat);
    this.heartbeat = undefined;
    if (this.countdown) clearInterval(this.countdown);
    this.countdown = undefined;
  }

  private showWait(event: RequestEvent, resumesAt: number): void {
    const reason = event.type === "hold" ? "hold" : event.reason;
    const last = this.lastWait;
    if (last && last.reason === reason && resumesAt <= last.resumesAt + 1_000) return;
    this.lastWait = { reason, resumesAt };
    const pending = this.options.pending?.();
    this.options.output(
      `${event.type === "hold" ? describeHold(event, resumesAt, pending) : describeWait(event, resumesAt, pending)}\n`,
    );
    // Waits Notion asked for are counted down; a backoff after failures has its own line per
    // attempt.
    const asked =
      event.type === "hold" || event.cause === "refused" || event.retryAfterMs !== undefined;
    if (asked) this.countDown(event, resumesAt);
  }

  /** Counts a long wait down, a line every `countdownEveryMs`, until it is about to end. */
  private countDown(event: RequestEvent, until: number): void {
    // The wait that ends last is the one counted down.
    if (this.countdown && until <= this.countdownUntil) return;
    if (this.countdown) clearInterval(this.countdown);
    this.countdown = undefined;
    if (this.stopped || until - this.now() < this.countdownEveryMs + 1_000) return;
    this.countdownUntil = until;
    this.countdown = setInterval(() => {
      const now = this.now();
      if (this.stopped || until - now < 1_000) {
        if (this.countdown) clearInterval(this.countdown);
        this.countdown = undefined;
        return;
      }
      this.options.output(`${describeCountdown(event, until, now)}\n`);
    }, this.countdownEveryMs).unref();
  }

  private showRetry(event: RetryEvent): void {
    const now = this.now();
    let folding = this.folding.get(event.reason);
    if (!folding) {
      folding = { lastLineAt: Number.NEGATIVE_INFINITY, folded: [], timer: undefined };
      this.folding.set(event.reason, folding);
    }
    if (folding.folded.length === 0 && now - folding.lastLineAt >= this.retryLineEveryMs) {
      folding.lastLineAt = now;
      this.options.output(`${describeRetry(event)}\n`);
      return;
    }
    folding.folded.push(event);
    const state = folding;
    state.timer ??= setTimeout(
      () => {
        state.timer = undefined;
        this.flush(event.reason, state);
      },
      Math.max(0, state.lastLineAt + this.retryLineEveryMs - now),
    ).unref();
  }

  private flush(reason: string, folding: Folding): void {
    const events = folding.folded;
    folding.folded = [];
    folding.lastLineAt = this.now();
    const [only] = events;
    if (!only) return;
    this.options.output(
      `${events.length === 1 ? describeRetry(only) : describeRetries(reason, events)}\n`,
    );
  }

  private printProgress(note = ""): void {
    if (this.latestProgress === undefined) return;
    const now = this.now();
    this.lastProgressAt = now;
    this.printedProgress = this.latestProgress;
    const seconds = Math.round((now - this.started) / 1000);
    this.options.output(`${this.latestProgress} (${seconds} s${note})\n`);
  }

  private beat(): void {
    const now = this.now();
    if (now - this.lastProgressAt < this.progressEveryMs) return;
    if (this.latestProgress !== this.printedProgress) {
      this.printProgress();
      return;
    }
    // Nothing moved: say so now and then, unless a wait shown explains it (and the work has had
    // a moment to pick up again since it ended).
    const waiting = this.current && now < this.current.until + this.progressEveryMs;
    if (!waiting && now - this.lastProgressAt >= this.stallMs) {
      this.printProgress(`; no progress for ${Math.round((now - this.lastChangeAt) / 1000)} s`);
    }
  }
}
