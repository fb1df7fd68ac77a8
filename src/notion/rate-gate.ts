/** How one request waits for its turn under the rate limit. */
export interface Pacer {
  /** Resolves when the request may be sent. */
  acquire(): Promise<void>;
}

/** A wait at the gate given up because its signal fired (Ctrl-C): the request was never sent. */
export class WaitAborted extends Error {
  constructor() {
    super("The wait for a request slot was given up; the request was not sent.");
    this.name = "WaitAborted";
  }
}

/**
 * Who goes first: a page's write whose slot was reserved with its read (it waits for nothing but a
 * 429 pause), then any other request of a page already under way (a write retried, a read back, a
 * relation past 25), then ordinary requests — first come first served within each.
 */
const RESERVED_WRITE = 0;
const PAGE_IN_PROGRESS = 1;
const ORDINARY = 2;
type Rank = typeof RESERVED_WRITE | typeof PAGE_IN_PROGRESS | typeof ORDINARY;

interface Waiter {
  rank: Rank;
  /** On release, also reserve the slot of the page's write (the page's first read). */
  reserve: boolean;
  resolve: () => void;
  signal: AbortSignal | undefined;
  onAbort: (() => void) | undefined;
}

/** At most this many requests go at once above the even pace: a page's read and its write. */
const BURST = 2;

/**
 * Client-side pacing under Notion's rate limit, shared by every request of a process so that
 * work across data sources together stays under it.
 *
 * Requests are released in order of rank, then arrival. An ordinary request goes at least
 * 1/perSecond after the previous ACTUAL release (not a slot reserved in advance, so a stalled
 * event loop cannot release a bunch at once). A page's first read is released with the slot of the
 * page's write reserved: the read takes two slots of the pace, and the write, when it comes one
 * round trip later, goes at once instead of queueing behind other pages' reads — which is what
 * keeps the overwrite window (live read → write) to one round trip. A reservation left unused is
 * given back. Over any span, requests stay within perSecond × span + 2 (a token bucket of two
 * checks every release), which Notion's limit allows ("some bursts beyond the average"); a 429
 * pauses every caller, reserved writes too, until its Retry-After has passed.
 */
export class RateGate implements Pacer {
  private readonly spacingMs: number;
  /** Earliest release of the next request that has not paid in advance. */
  private nextFree = Number.NEGATIVE_INFINITY;
  private pausedUntil = 0;
  private tokens = BURST;
  private tokensAt = Number.NEGATIVE_INFINITY;
  private readonly waiting: Waiter[] = [];
  private pumping = false;
  private wake: (() => void) | undefined;

  constructor(
    perSecond: number,
    private readonly now: () => number = () => performance.now(),
    private readonly sleep: (ms: number, signal?: AbortSignal) => Promise<void> = abortableSleep,
  ) {
    this.spacingMs = perSecond > 0 && Number.isFinite(perSecond) ? 1000 / perSecond : 0;
  }

  /**
   * Resolves when the caller may send its request. With a signal, a wait that is still queued
   * when it fires rejects with {@link WaitAborted} (nothing was sent).
   */
  acquire(signal?: AbortSignal): Promise<void> {
    return this.enqueue(ORDINARY, false, signal);
  }

  /**
   * The pacing of one page's live read and its write, the two ends of the overwrite window.
   * Always `close()` it when the page is settled: an unused write slot is given back.
   *
   * @example
   * const lane = gate.lane(signal);
   * try {
   *   await lane.reads.acquire(); // GET the page (queued like any request; reserves the write)
   *   await lane.writes.acquire(); // PATCH it: goes at once, one round trip after the read
   * } finally {
   *   lane.close();
   * }
   */
  lane(signal?: AbortSignal): PageLane {
    let started = false;
    let reserved = false;
    let writing = false;
    return {
      reads: {
        acquire: async () => {
          const first = !started;
          started = true;
          try {
            await this.enqueue(
              first ? ORDINARY : PAGE_IN_PROGRESS,
              first,
              writing ? undefined : signal,
            );
          } catch (error) {
            if (first) started = false; // given up before it was sent: the page is not started
            throw error;
          }
          if (first) reserved = true;
        },
      },
      writes: {
        acquire: () => {
          writing = true;
          const prepaid = reserved;
          reserved = false;
          return this.enqueue(prepaid ? RESERVED_WRITE : PAGE_IN_PROGRESS, false, undefined);
        },
      },
      close: () => {
        if (!reserved) return;
        reserved = false;
        this.refund();
      },
    };
  }

  /** Holds every caller back until `ms` from now (Retry-After); never shortens a pause. */
  pause(ms: number): void {
    this.pausedUntil = Math.max(this.pausedUntil, this.now() + ms);
  }

  private enqueue(rank: Rank, reserve: boolean, signal: AbortSignal | undefined): Promise<void> {
    if (signal?.aborted) return Promise.reject(new WaitAborted());
    return new Promise<void>((resolve, reject) => {
      const waiter: Waiter = { rank, reserve, resolve, signal, onAbort: undefined };
      if (signal) {
        waiter.onAbort = () => {
          const index = this.waiting.indexOf(waiter);
          if (index < 0) return;
          this.waiting.splice(index, 1);
          reject(new WaitAborted());
          this.kick();
        };
        signal.addEventListener("abort", waiter.onAbort, { once: true });
      }
      // After the last waiter of a rank not above its own: first come first served within a rank.
      let at = this.waiting.length;
      while (at > 0 && (this.waiting[at - 1]?.rank ?? 0) > rank) at -= 1;
      this.waiting.splice(at, 0, waiter);
      this.kick();
    });
  }

  /** Gives back the write slot a page's read reserved and its write did not use. */
  private refund(): void {
    this.nextFree = Math.max(this.nextFree - this.spacingMs, this.now());
    this.kick();
  }

  private kick(): void {
    if (this.pumping) this.wake?.();
    else void this.pump();
  }

  /** Releases waiters in order, one at a time, sleeping until the first one's turn. */
  private async pump(): Promise<void> {
    this.pumping = true;
    try {
      for (let head = this.waiting[0]; head; head = this.waiting[0]) {
        const now = this.now();
        const at = this.turnOf(head);
        if (now >= at) {
          this.waiting.shift();
          this.release(head, now);
          continue;
        }
        const woken = new AbortController();
        this.wake = () => woken.abort();
        await this.sleep(at - now, woken.signal);
        this.wake = undefined;
      }
    } finally {
      this.pumping = false;
    }
  }

  /** When `waiter` may go: after any pause, with a token in the bucket, and on pace unless prepaid. */
  private turnOf(waiter: Waiter): number {
    if (this.spacingMs === 0) return this.pausedUntil;
    const tokens = this.tokensNow();
    const token = tokens >= 1 ? 0 : this.now() + (1 - tokens) * this.spacingMs;
    const pace = waiter.rank === RESERVED_WRITE ? 0 : this.nextFree;
    return Math.max(this.pausedUntil, token, pace);
  }

  private release(waiter: Waiter, now: number): void {
    if (waiter.signal && waiter.onAbort) waiter.signal.removeEventListener("abort", waiter.onAbort);
    if (this.spacingMs > 0) {
      this.tokens = this.tokensNow() - 1;
      this.tokensAt = now;
      if (waiter.rank !== RESERVED_WRITE)
        this.nextFree = now + this.spacingMs * (waiter.reserve ? 2 : 1);
    }
    waiter.resolve();
  }

  private tokensNow(): number {
    const now = this.now();
    if (this.tokensAt === Number.NEGATIVE_INFINITY) return BURST;
    return Math.min(BURST, this.tokens + (now - this.tokensAt) / this.spacingMs);
  }
}

/**
 * One page's requests at the gate. Its first read queues like any request and reserves the
 * write's slot; its later reads (relations past 25, a read back) go before other pages' work.
 * Until the page's write is under way, its reads give up their wait when the lane's signal fires
 * (a page not yet read is not started after Ctrl-C); from the write on, nothing is abandoned.
 */
export interface PageLane {
  /** Paces the page's reads (GET page, GET property). */
  reads: Pacer;
  /** Paces the page's write: its first attempt uses the slot its read reserved. */
  writes: Pacer;
  /** The page is settled: gives back a reserved write slot it did not use. Idempotent. */
  close(): void;
}

function abortableSleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal?.removeEventListener("abort", done);
      resolve();
    }
    signal?.addEventListener("abort", done, { once: true });
  });
}
