import type { BudgetOutcome, BudgetRequest, BudgetTicket, BudgetView } from "./window-budget.ts";
import { WindowBudget } from "./window-budget.ts";

/** A request's turn at the gate: say how it ended, so that the gate learns Notion's budget. */
export interface RequestTicket {
  /** Idempotent; a ticket never settled only keeps the gate from learning from it. */
  settle(outcome: BudgetOutcome): void;
  /** The write slot its page reserved, if any (for the page's later requests). */
  readonly reservation: number | undefined;
}

/** How one request waits for its turn under Notion's limits. */
export interface Pacer {
  /** Resolves when the request may be sent. */
  acquire(): Promise<RequestTicket>;
}

/** A wait at the gate given up because its signal fired (Ctrl-C): the request was never sent. */
export class WaitAborted extends Error {
  constructor() {
    super("The wait for a request slot was given up; the request was not sent.");
    this.name = "WaitAborted";
  }
}

/** Requests held because the window's budget is spent, until `until` (the gate's clock). */
export interface BudgetHold extends BudgetView {
  delayMs: number;
}

export interface RateGateOptions {
  /**
   * Requests per second never to exceed (the config's `rateLimit`: room left for other
   * integrations); absent, 0 or Infinity for none: Notion's own answers pace the requests.
   */
  ceiling?: number;
  now?: () => number;
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  /** Told when requests begin to wait for the window's budget to reset (never throws out). */
  onHold?: (hold: BudgetHold) => void;
}

/**
 * Who goes first: a page's write whose slot was reserved with its read (it waits for nothing but a
 * Retry-After's pause, or one request testing a new window), then any other request of a page
 * already under way (a write retried, a read back, a relation past 25), then ordinary requests —
 * first come first served within each.
 */
const RESERVED_WRITE = 0;
const PAGE_IN_PROGRESS = 1;
const ORDINARY = 2;
type Rank = typeof RESERVED_WRITE | typeof PAGE_IN_PROGRESS | typeof ORDINARY;

interface Waiter {
  rank: Rank;
  /** On release, also reserve the slot of the page's write (the page's first read). */
  reserve: boolean;
  /** The reservation of the page this request belongs to (its later reads, its write). */
  reservation: number | undefined;
  resolve: (ticket: RequestTicket) => void;
  reject: (error: WaitAborted) => void;
  signal: AbortSignal | undefined;
}

/** Under a ceiling, at most this many requests go at once above its even pace: a read and its write. */
const BURST = 2;
/**
 * Pages start (their first read is released) at least this far apart: the pages in progress
 * otherwise start in one burst when a window opens, all on their way before the first answer
 * can tell that the budget just learned was too large.
 */
const PAGE_START_SPACING_MS = 20;

/**
 * Client-side pacing under Notion's limits, shared by every request of a process so that work
 * across data sources together stays under them.
 *
 * Notion's own answers set the pace ({@link WindowBudget}): requests go freely until a 429; every
 * 429 (or 529, or 503 with Retry-After) pauses every caller, reserved writes too, until its
 * Retry-After has passed ({@link pause}); and once the window's budget and length are learned, a
 * spent window holds requests until its reset instead of drawing more 429s. A `ceiling` caps the
 * pace besides: an ordinary request goes at least 1/ceiling after the previous ACTUAL release (not
 * a slot reserved in advance, so a stalled event loop cannot release a bunch at once), and over
 * any span requests stay within ceiling × span + 2.
 *
 * Requests are released in order of rank, then arrival; one that does not fit what is left of a
 * window lets a later one that fits go first. A page's first read is released with the slot of
 * the page's write reserved (two slots of the ceiling's pace and of the window's budget): the
 * write, when it comes one round trip later, goes at once instead of queueing behind other pages'
 * reads — which keeps the overwrite window (live read → write) to one round trip. A reservation
 * left unused is given back. A write a pause held back long after its read is the caller's to
 * read again first ({@link PageLane.again} reserves its slot anew).
 */
export class RateGate implements Pacer {
  private readonly spacingMs: number;
  private readonly now: () => number;
  private readonly sleep: (ms: number, signal?: AbortSignal) => Promise<void>;
  private readonly onHold: ((hold: BudgetHold) => void) | undefined;
  private readonly budget: WindowBudget;
  /** Earliest release of the next request that has not paid in advance. */
  private nextFree = Number.NEGATIVE_INFINITY;
  private pausedUntil = 0;
  private tokens = BURST;
  private tokensAt = Number.NEGATIVE_INFINITY;
  private readonly waiting: Waiter[] = [];
  /** The one abort listener of each signal waiters wait with, and who waits on it. */
  private readonly watches = new Map<AbortSignal, { waiters: Set<Waiter>; onAbort: () => void }>();
  private pumping = false;
  private wake: (() => void) | undefined;
  /** The end of the latest budget hold reported, so that one hold is told once. */
  private heldUntil = Number.NEGATIVE_INFINITY;
  /** When the latest page started (see {@link PAGE_START_SPACING_MS}). */
  private pageStartedAt = Number.NEGATIVE_INFINITY;

  constructor(options: RateGateOptions = {}) {
    const ceiling = options.ceiling;
    this.spacingMs = ceiling && ceiling > 0 && Number.isFinite(ceiling) ? 1000 / ceiling : 0;
    this.now = options.now ?? (() => performance.now());
    this.sleep = options.sleep ?? abortableSleep;
    this.onHold = options.onHold;
    this.budget = new WindowBudget(this.now());
  }

  /** The window's budget and length as learned from Notion's answers (undefined until then). */
  learned(): BudgetView {
    return this.budget.view();
  }

  /**
   * Resolves when the caller may send its request. With a signal, a wait that is still queued
   * when it fires rejects with {@link WaitAborted} (nothing was sent).
   */
  acquire(signal?: AbortSignal): Promise<RequestTicket> {
    return this.enqueue(ORDINARY, false, signal);
  }

  /**
   * The pacing of one page's live read and its write, the two ends of the overwrite window.
   * Always `close()` it when the page is settled: an unused write slot is given back.
   *
   * @example
   * const lane = gate.lane(signal);
   * try {
   *   (await lane.reads.acquire()).settle(outcome); // GET the page (reserves the write)
   *   (await lane.writes.acquire()).settle(outcome); // PATCH it: goes at once, one round trip later
   * } finally {
   *   lane.close();
   * }
   */
  lane(signal?: AbortSignal): PageLane {
    let started = false;
    let reserved = false;
    let writing = false;
    /** The next read reserves the write's slot: the page's first, or the first after `again`. */
    let reserveNext = true;
    let reservation: number | undefined;
    return {
      reads: {
        acquire: async () => {
          const first = !started;
          const reserving = reserveNext;
          started = true;
          let ticket: RequestTicket;
          try {
            ticket = await this.enqueue(
              first ? ORDINARY : PAGE_IN_PROGRESS,
              reserving,
              writing ? undefined : signal,
              reservation,
            );
          } catch (error) {
            if (first) started = false; // given up before it was sent: the page is not started
            throw error;
          }
          if (reserving) {
            reserveNext = false;
            reserved = true;
            reservation = ticket.reservation;
          }
          return ticket;
        },
      },
      writes: {
        acquire: () => {
          writing = true;
          const prepaid = reserved;
          reserved = false;
          const ticket = this.enqueue(
            prepaid ? RESERVED_WRITE : PAGE_IN_PROGRESS,
            false,
            undefined,
            prepaid ? reservation : undefined,
          );
          if (prepaid) reservation = undefined;
          return ticket;
        },
      },
      again: () => {
        if (reserved) return;
        reserveNext = true;
      },
      close: () => {
        reserveNext = false;
        if (!reserved) return;
        reserved = false;
        this.refund(reservation);
        reservation = undefined;
      },
    };
  }

  /** Holds every caller back until `ms` from now (Retry-After); never shortens a pause. */
  pause(ms: number): void {
    this.pausedUntil = Math.max(this.pausedUntil, this.now() + ms);
  }

  /**
   * Listens to a waiter's signal: once per signal however many wait on it (every page of a push
   * shares the command's stop signal), so that a long queue adds no listener per request.
   */
  private watch(waiter: Waiter): void {
    const { signal } = waiter;
    if (!signal) return;
    let watch = this.watches.get(signal);
    if (!watch) {
      const waiters = new Set<Waiter>();
      const onAbort = () => {
        this.watches.delete(signal);
        for (const aborted of waiters) {
          const index = this.waiting.indexOf(aborted);
          if (index >= 0) this.waiting.splice(index, 1);
          aborted.reject(new WaitAborted());
        }
        this.kick();
      };
      watch = { waiters, onAbort };
      this.watches.set(signal, watch);
      signal.addEventListener("abort", onAbort, { once: true });
    }
    watch.waiters.add(waiter);
  }

  /** The waiter no longer waits: its signal's listener goes when no other waiter needs it. */
  private unwatch(waiter: Waiter): void {
    const { signal } = waiter;
    const watch = signal && this.watches.get(signal);
    if (!signal || !watch) return;
    watch.waiters.delete(waiter);
    if (watch.waiters.size > 0) return;
    signal.removeEventListener("abort", watch.onAbort);
    this.watches.delete(signal);
  }

  private enqueue(
    rank: Rank,
    reserve: boolean,
    signal: AbortSignal | undefined,
    reservation?: number,
  ): Promise<RequestTicket> {
    if (signal?.aborted) return Promise.reject(new WaitAborted());
    return new Promise<RequestTicket>((resolve, reject) => {
      const waiter: Waiter = { rank, reserve, reservation, resolve, reject, signal };
      this.watch(waiter);
      // After the last waiter of a rank not above its own: first come first served within a rank.
      let at = this.waiting.length;
      while (at > 0 && (this.waiting[at - 1]?.rank ?? 0) > rank) at -= 1;
      this.waiting.splice(at, 0, waiter);
      this.kick();
    });
  }

  /** Gives back the write slot a page's read reserved and its write did not use. */
  private refund(reservation: number | undefined): void {
    this.nextFree = Math.max(this.nextFree - this.spacingMs, this.now());
    if (reservation !== undefined) this.budget.refund(reservation);
    this.kick();
  }

  private kick(): void {
    if (this.pumping) this.wake?.();
    else void this.pump();
  }

  /**
   * Releases waiters one at a time: the first in order whose turn has come; otherwise sleeps
   * until the earliest turn, or until an answer or a new waiter wakes it.
   */
  private async pump(): Promise<void> {
    this.pumping = true;
    try {
      while (this.waiting.length > 0) {
        const now = this.now();
        let earliest = Infinity;
        let ready = -1;
        for (let index = 0; index < this.waiting.length; index += 1) {
          const waiter = this.waiting[index];
          if (!waiter) continue;
          const at = this.turnOf(waiter, now);
          if (at <= now) {
            ready = index;
            break;
          }
          earliest = Math.min(earliest, at);
        }
        const waiter = ready >= 0 ? this.waiting[ready] : undefined;
        if (waiter) {
          this.waiting.splice(ready, 1);
          this.release(waiter, now);
          continue;
        }
        this.reportHold(now);
        const woken = new AbortController();
        this.wake = () => woken.abort();
        if (Number.isFinite(earliest)) await this.sleep(earliest - now, woken.signal);
        else await untilAborted(woken.signal);
        this.wake = undefined;
      }
    } finally {
      this.pumping = false;
    }
  }

  /** The waiter as the window's budget sees it. */
  private requestOf(waiter: Waiter): BudgetRequest {
    return {
      reserves: waiter.reserve,
      reservation: waiter.reservation,
      prepaid: waiter.rank === RESERVED_WRITE,
    };
  }

  /**
   * When `waiter` may go: after any pause, on the ceiling's pace (unless prepaid), and within the
   * window's budget.
   */
  private turnOf(waiter: Waiter, now: number): number {
    let budget = this.budget.turn(now, this.requestOf(waiter));
    if (startsPage(waiter)) budget = Math.max(budget, this.pageStartedAt + PAGE_START_SPACING_MS);
    if (this.spacingMs === 0) return Math.max(this.pausedUntil, budget);
    const tokens = this.tokensNow();
    const token = tokens >= 1 ? 0 : now + (1 - tokens) * this.spacingMs;
    const pace = waiter.rank === RESERVED_WRITE ? 0 : this.nextFree;
    return Math.max(this.pausedUntil, token, pace, budget);
  }

  private release(waiter: Waiter, now: number): void {
    this.unwatch(waiter);
    if (startsPage(waiter)) this.pageStartedAt = now;
    if (this.spacingMs > 0) {
      this.tokens = this.tokensNow() - 1;
      this.tokensAt = now;
      if (waiter.rank !== RESERVED_WRITE)
        this.nextFree = now + this.spacingMs * (waiter.reserve ? 2 : 1);
    }
    const ticket = this.budget.release(now, this.requestOf(waiter));
    waiter.resolve(this.settler(ticket));
  }

  private settler(ticket: BudgetTicket): RequestTicket {
    let settled = false;
    return {
      reservation: ticket.reservation,
      settle: (outcome) => {
        if (settled) return;
        settled = true;
        this.budget.settle(ticket, outcome, this.now());
        this.kick();
      },
    };
  }

  /** Tells `onHold` once when requests begin to wait for the budget (not a pause or the ceiling). */
  private reportHold(now: number): void {
    if (!this.onHold || now < this.pausedUntil) return;
    const head = this.waiting[0];
    if (!head) return;
    const until = this.budget.holdUntil(now, this.requestOf(head));
    if (!Number.isFinite(until) || until <= now || until <= this.heldUntil + 1_000) return;
    this.heldUntil = until;
    try {
      this.onHold({ ...this.budget.view(), delayMs: until - now });
    } catch {
      // A display that fails must not stop the requests it displays.
    }
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
  /**
   * The write goes again after a new live read (a refusal or a lost answer made the last read
   * stale): the next read reserves the write's slot again, so that it follows that read by one
   * round trip too.
   */
  again(): void;
  /** The page is settled: gives back a reserved write slot it did not use. Idempotent. */
  close(): void;
}

/** A page's first read: it reserves its write's slot and is not of a page already under way. */
function startsPage(waiter: Waiter): boolean {
  return waiter.reserve && waiter.rank === ORDINARY;
}

function untilAborted(signal: AbortSignal): Promise<void> {
  return new Promise((resolve) =>
    signal.addEventListener("abort", () => resolve(), { once: true }),
  );
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
