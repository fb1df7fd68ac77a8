import type { Span } from "./reset-clock.ts";
import { ResetClock, middle, width } from "./reset-clock.ts";

/** How a request ended, as far as the budget is concerned. */
export type BudgetOutcome =
  /** Notion answered it (a result or an error other than a refusal): it counted. */
  | { kind: "answered" }
  /**
   * Notion refused it (429, 529). `teaches`: a 429 of the per-connection budget with its
   * Retry-After, which tells when the window resets; other refusals (the workspace limit, an
   * overload) only pause.
   */
  | { kind: "refused"; retryAfterMs: number | undefined; teaches: boolean }
  /** No answer (timeout, dropped connection): it may or may not have counted. */
  | { kind: "lost" }
  /** Released but never sent (the caller found it had to read again first): it gives back its slots. */
  | { kind: "unsent" };

/** One request released under the budget: its window, and whether others wait for its answer. */
export interface BudgetTicket {
  readonly window: number;
  readonly sentAt: number;
  /** The write slot reserved by (or for) the page this request belongs to, if any. */
  readonly reservation: number | undefined;
  /** Slots it was charged (see {@link WindowBudget.slotsOf}). */
  readonly slots: number;
  /** Sent alone to learn whether a window has room; the others wait for its answer. */
  readonly scout: boolean;
  /** A scout sent when a window was predicted to reset: the reset it tests. */
  readonly predicted: Span | undefined;
  /**
   * A probe sent with the whole budget already charged: its acceptance says something. (One
   * that took the window's last slot, a page's read with no room for its write, does not.)
   */
  readonly conclusive: boolean;
}

/** A request at the gate, as it stands to its page's reserved write slot. */
export interface BudgetRequest {
  /** A page's first read: reserve its write's slot (the ticket names the reservation). */
  reserves: boolean;
  /** The reservation of the request's page, for its later reads and its write. */
  reservation: number | undefined;
  /** The write that uses the reservation. */
  prepaid: boolean;
}

/** What the budget knows, for a display: the learned budget and window, if any. */
export interface BudgetView {
  budget: number | undefined;
  windowMs: number | undefined;
}

interface Window {
  id: number;
  openedAt: number;
  /** Slots charged: requests released, plus the write slots reserved with pages' reads. */
  charged: number;
  lastReleaseAt: number;
  /** When each of its requests was released, in order (the ones near a reset may count in the next). */
  releases: number[];
  accepted: number;
  /** When each accepted request was released and answered: some landed in the next window. */
  acceptedTimes: Array<{ sent: number; answered: number }>;
  /** The earliest release of a request the budget refused in it. */
  refusedFrom: number | undefined;
  /** The earliest its reset may have come, as its refusals' Retry-After tell. */
  resetFrom: number | undefined;
  /** When each request the budget refused in it was released. */
  refusedSent: number[];
  /** The window before it, ended by a refusal: its late acceptances count in this one ({@link lateOf}). */
  carriedFrom: Window | undefined;
  inFlight: number;
  /** Why it ended early: a refusal of the budget, or a pause longer than any window. */
  closedBy: "budget" | "pause" | undefined;
  /** Opened once the reset before it had passed, so every request Notion counted in it is ours. */
  whole: boolean;
  /** Opened by the end of a pause whose reset a refusal told: its own end then follows that one. */
  startObserved: boolean;
  /**
   * Opened at a predicted reset no answer has confirmed yet: its first request goes alone (a
   * scout), so that a reset predicted too early draws one 429, not one per request in flight.
   */
  untested: Span | undefined;
  finalized: boolean;
}

/** Requests by which two windows' counts may differ and still show the same budget. */
function tolerance(budget: number): number {
  return Math.max(1, Math.round(budget * 0.02));
}

/**
 * Requests of a window ended by a refusal that Notion counted in the next one: accepted though
 * released after a request it refused, and answered after the earliest instant the reset may have
 * come. The refused one found the window spent; one that left later and was still accepted came
 * after the reset. (One answered before that instant reached Notion before the reset: it had
 * overtaken the refused one on the way.)
 */
function lateOf(window: Window): number {
  const from = window.refusedFrom;
  const reset = window.resetFrom;
  if (from === undefined || reset === undefined) return 0;
  return window.acceptedTimes.filter((times) => times.sent > from && times.answered > reset).length;
}

/** Requests Notion counted in `window`: its own, less those that landed in the next, plus those carried. */
function countedIn(window: Window): number {
  const carried = window.carriedFrom ? lateOf(window.carriedFrom) : 0;
  return window.accepted - lateOf(window) + carried;
}

/** Requests of a window ended by a refusal, released after it and not answered yet: they land in the next. */
function lateInFlight(window: Window): number {
  const from = window.refusedFrom;
  if (from === undefined) return 0;
  const released = window.releases.filter((at) => at > from).length;
  const accepted = window.acceptedTimes.filter((times) => times.sent > from).length;
  const refused = window.refusedSent.filter((at) => at > from).length;
  return Math.max(0, released - accepted - refused);
}

type WindowStart = Pick<Window, "whole" | "startObserved"> & {
  untested?: Span;
  /** Requests of the window that ended that may have landed in this one. */
  straddling?: number;
  /** The earliest the window that ended may have reset: its requests released since count here. */
  since?: number;
};

/** Notion's per-connection Retry-After is at most a minute; a longer one is another limit. */
const LONGEST_CONNECTION_WAIT_MS = 60_000;
/** A prediction this close (or one round trip, if longer) is aimed at its late end, not tested. */
const PRECISION_MS = 30;
/** Sent this long after the latest instant a reset is predicted at. */
const MARGIN_MS = 5;
/** A probe leaves this long after the window's last request, so as not to overtake it. */
const PROBE_GAP_MS = 25;
/**
 * A probe or scout waits for every earlier request's answer (so that its own answer is
 * conclusive), but no longer than this after the window's last release: a ticket never settled
 * must not stop the gate.
 */
const LONGEST_ANSWER_WAIT_MS = 30_000;
/** Consistent windows that confirm a budget; a budget is trusted up to this many. */
const CONFIRMED = 2;
const MOST_EVIDENCE = 3;

/**
 * The per-connection budget as Notion's answers reveal it: how many requests a window takes and
 * (through {@link ResetClock}) when windows reset. Nothing is assumed about the plan:
 *
 * - Until a 429, requests go freely (the caller bounds how many are in flight).
 * - A 429 of the budget ends the window; the requests Notion accepted in it are the budget
 *   learned, tentatively. The next window spends that many and then sends one more alone (a
 *   probe): refused, it confirms the budget (and its Retry-After tells the next reset); accepted,
 *   the window turned over unseen, or — accepted again in the next — the 429s were not the
 *   budget's (a fault, a passing limit), and the budget is dropped.
 * - Once the budget is confirmed and the window length known, a window is spent and then nothing
 *   goes until its predicted reset, where one request (a scout) tests it before the rest follow.
 *   Each scout narrows the prediction, so windows after the first few draw no 429 at all, and
 *   never more than one (the probe or a scout sent too early).
 *
 * A page's read that reserves its write's slot takes two slots of one window, so the write never
 * waits for the next window. Pure: every method is told the time.
 */
export class WindowBudget {
  private readonly clock = new ResetClock();
  private budget: { value: number; evidence: number } | undefined;
  private readonly windows = new Map<number, Window>();
  private current: Window;
  /** The end of the latest pause a refusal asked for. */
  private resumeAt = Number.NEGATIVE_INFINITY;
  /**
   * Write slots reserved with reads and not yet used or given back. One whose read was refused
   * or lost is dropped (`live` false): that write is not about to come, and the page's next read
   * reserves it again, in the window that read is sent in.
   */
  private readonly reservations = new Map<number, { live: boolean; overBudget: boolean }>();
  private nextReservation = 1;
  private scoutOut = false;
  private roundTripMs = 0;
  /** The latest probe was accepted after a window that may have turned over unseen. */
  private turnedOverUnseen = false;
  private firstReleaseAt: number | undefined;
  /**
   * A window lasts at least this long, while its length is not learned: the first reset told
   * came this long after the first request (which fell in that window or a later one).
   */
  private shortestMs = 0;
  /** The earliest instant the current window may have begun: a reset told, or one inferred. */
  private floor: number | undefined;

  constructor(now: number) {
    this.current = this.newWindow(0, now, { whole: true, startObserved: false }, 0);
  }

  /** The learned budget and window length, for people. */
  view(): BudgetView {
    const length = this.clock.length;
    return {
      budget: this.budget && this.budget.evidence >= CONFIRMED ? this.budget.value : undefined,
      windowMs: length && width(length) === 0 ? length.lo : undefined,
    };
  }

  /**
   * Slots a request takes of the window: 0 for a write whose read reserved its slot, 2 for a
   * page's read that reserves it (the first, or the next after a refusal dropped it), else 1.
   */
  slotsOf(request: BudgetRequest): number {
    const reservation =
      request.reservation === undefined ? undefined : this.reservations.get(request.reservation);
    if (request.prepaid) return reservation?.live ? 0 : 1;
    if (request.reserves || (reservation && !reservation.live)) return 2;
    return 1;
  }

  /** The earliest time `request` may go; Infinity while it must wait for an answer. */
  turn(now: number, request: BudgetRequest): number {
    return this.earliest(now, request, true);
  }

  /**
   * When `request` may go as far as the window's reset (or a pause) is concerned: its wait as a
   * person is told it. A wait for answers in flight is not in it: it ends when they come, at no
   * instant known ahead, mostly within a round trip.
   */
  holdUntil(now: number, request: BudgetRequest): number {
    return this.earliest(now, request, false);
  }

  private earliest(now: number, request: BudgetRequest, answers: boolean): number {
    const slots = this.slotsOf(request);
    this.roll(now);
    const afterAnswers = () => (answers ? this.afterAnswers(now) : now);
    if (this.scoutOut) return answers ? Infinity : now;
    if (this.current.closedBy) return Math.max(now, this.resumeAt);
    const budget = this.budget;
    if (this.current.untested && slots > 0) return afterAnswers();
    if (!budget || slots === 0 || this.current.untested) return now;
    const end = this.aimedEnd();
    const room = budget.value - this.current.charged;
    if (slots <= room) {
      // Close to a reset predicted narrowly, a request could land on either side of it: wait.
      if (end && now >= end.lo && width(end) <= 4 * this.precision()) return this.aim(end);
      return now;
    }
    if (end) return Math.max(this.aim(end), afterAnswers());
    if (!answers) return now;
    // A probe goes once every reserved write about to come has gone, a moment after the last
    // request: until then Notion may not have counted them all, and a probe that overtook one
    // would take its slot and say the budget is larger than it is.
    // A page holding a live reservation itself (its read back, a relation past 25, a read again
    // after a refusal) does not wait for reservations: its own write, or another page's waiting
    // the same way, would otherwise wait for it, and no page would go again.
    const own =
      request.reservation === undefined ? undefined : this.reservations.get(request.reservation);
    if (!own?.live)
      for (const reservation of this.reservations.values()) if (reservation.live) return Infinity;
    return Math.max(now, this.current.lastReleaseAt + PROBE_GAP_MS, this.afterAnswers(now));
  }

  /**
   * `now` once every request released so far has been answered, else when to stop waiting: a
   * probe or scout sent while others are on their way may land before them, and its acceptance
   * would then say nothing of the window they fill.
   */
  private afterAnswers(now: number): number {
    let unanswered = 0;
    let lastRelease = Number.NEGATIVE_INFINITY;
    for (const window of this.windows.values()) {
      unanswered += Math.max(0, window.inFlight);
      lastRelease = Math.max(lastRelease, window.lastReleaseAt);
    }
    return unanswered === 0 ? now : Math.max(now, lastRelease + LONGEST_ANSWER_WAIT_MS);
  }

  /** Records a release at `now` (when {@link turn} allowed it). */
  release(now: number, request: BudgetRequest): BudgetTicket {
    const slots = this.slotsOf(request);
    this.roll(now);
    this.firstReleaseAt ??= now;
    let scout = false;
    const budget = this.budget;
    let conclusive = !!budget && this.current.charged >= budget.value;
    if (budget && slots > 0 && slots > budget.value - this.current.charged) {
      // Spent: at a predicted reset, the next window opens; else this one goes alone as a probe.
      const end = this.aimedEnd();
      if (end) this.open(now, { whole: true, startObserved: false, untested: end });
      else scout = true;
    }
    const window = this.current;
    const predicted = window.untested;
    if (predicted) {
      scout = true;
      window.untested = undefined;
    }
    window.charged += slots;
    window.inFlight += 1;
    window.lastReleaseAt = now;
    window.releases.push(now);
    let reservation = request.reservation;
    // A write slot reserved past the budget (the read took the window's last slot): the write
    // is the probe, and goes alone.
    const overBudget = !!budget && window.charged > budget.value;
    if (request.reserves) {
      reservation = this.nextReservation++;
      this.reservations.set(reservation, { live: true, overBudget });
    } else if (reservation !== undefined && !request.prepaid) {
      const held = this.reservations.get(reservation);
      if (held && slots === 2) Object.assign(held, { live: true, overBudget }); // charged again
    }
    if (request.prepaid && reservation !== undefined) {
      if (this.reservations.get(reservation)?.overBudget && budget) {
        scout = true;
        conclusive = true;
      }
      this.reservations.delete(reservation);
    }
    if (scout) this.scoutOut = true;
    return { window: window.id, sentAt: now, reservation, slots, scout, predicted, conclusive };
  }

  /** A write slot reserved with a read was not used (the page needed no write). */
  refund(reservation: number): void {
    const held = this.reservations.get(reservation);
    if (!held) return;
    this.reservations.delete(reservation);
    if (held.live) this.current.charged = Math.max(0, this.current.charged - 1);
  }

  /** Records how a released request ended, at `now`. */
  settle(ticket: BudgetTicket, outcome: BudgetOutcome, now: number): void {
    const window = this.windows.get(ticket.window);
    if (ticket.scout) this.scoutOut = false;
    if (outcome.kind !== "unsent")
      this.roundTripMs = this.roundTripMs * 0.8 + (now - ticket.sentAt) * 0.2;
    if (window) window.inFlight -= 1;
    const reservation =
      ticket.reservation === undefined ? undefined : this.reservations.get(ticket.reservation);
    if (reservation?.live && ticket.slots === 2 && outcome.kind !== "answered") {
      // The read that reserved it was refused or lost: its write is not about to come.
      reservation.live = false;
      if (window === this.current) window.charged = Math.max(0, window.charged - 1);
    }
    if (outcome.kind === "unsent") {
      if (window === this.current) window.charged = Math.max(0, window.charged - ticket.slots);
    } else if (outcome.kind === "answered") {
      if (window) {
        window.accepted += 1;
        window.acceptedTimes.push({ sent: ticket.sentAt, answered: now });
      }
      if (ticket.scout) this.scoutAccepted(ticket, now);
    } else if (outcome.kind === "refused") {
      this.refused(window, ticket, outcome, now);
    }
    if (window && window !== this.current && window.inFlight <= 0) this.finalize(window);
  }

  private scoutAccepted(ticket: BudgetTicket, now: number): void {
    if (ticket.predicted) {
      // The window had reset by the time Notion took it.
      this.clock.observe(
        { lo: ticket.predicted.lo, hi: Math.min(ticket.predicted.hi, now) },
        false,
      );
      return;
    }
    // A probe past the budget was accepted: the window turned over unseen (one entered late), or
    // the 429s that taught the budget were not the budget's (a fault, a passing limit). Taken as
    // a turnover once; an unconfirmed budget whose next probe is accepted too is dropped.
    if (!ticket.conclusive) return;
    const budget = this.budget;
    const shortest = this.clock.length?.lo ?? this.shortestMs;
    const earliest = this.floor !== undefined && shortest > 0 ? this.floor + shortest : undefined;
    if (budget && earliest !== undefined && ticket.sentAt >= earliest) {
      // The window lasted long enough to have reset before the probe left (its requests went
      // slower than the budget): the probe opened the next one, which also holds the requests
      // released since that earliest reset. (Not a reset for the clock: a window that only
      // seemed spent, its requests counted in the next, takes a probe too.)
      this.floor = earliest;
      this.turnedOverUnseen = false;
      this.open(now, { whole: false, startObserved: false, since: earliest });
      return;
    }
    const turnedOver = !!budget && (budget.evidence >= CONFIRMED || !this.turnedOverUnseen);
    if (!turnedOver) {
      this.budget = undefined;
      this.turnedOverUnseen = false;
      return;
    }
    this.turnedOverUnseen = true;
    // The window's requests still unanswered may have reached Notion after the reset, as the
    // probe did: they count in the new window too.
    this.open(now, { whole: false, startObserved: false, straddling: this.current.inFlight });
  }

  private refused(
    window: Window | undefined,
    ticket: BudgetTicket,
    outcome: Extract<BudgetOutcome, { kind: "refused" }>,
    now: number,
  ): void {
    const wait = outcome.retryAfterMs;
    if (wait === undefined) return;
    this.resumeAt = Math.max(this.resumeAt, now + wait);
    if (outcome.teaches && wait <= LONGEST_CONNECTION_WAIT_MS) {
      if (window) {
        window.refusedFrom = Math.min(window.refusedFrom ?? Infinity, ticket.sentAt);
        window.resetFrom = Math.max(window.resetFrom ?? -Infinity, ticket.sentAt + wait - 1000);
        window.refusedSent.push(ticket.sentAt);
      }
      // Retry-After is the whole seconds to the reset, rounded up: the reset came after the
      // request left, at most a second before the wait ends.
      const span = { lo: Math.max(ticket.sentAt, ticket.sentAt + wait - 1000), hi: now + wait };
      if (!this.clock.latest && this.firstReleaseAt !== undefined)
        this.shortestMs = Math.max(this.shortestMs, span.lo - this.firstReleaseAt);
      this.floor = span.lo;
      // Its end follows the reset it opened at only if it took one window's budget, no more: a
      // window spread over two of Notion's (a slow one) accepts more before its 429.
      const budget = this.budget;
      const oneWindow =
        !!window?.startObserved &&
        !!budget &&
        Math.abs(countedIn(window) - budget.value) <= tolerance(budget.value);
      this.clock.observe(span, oneWindow);
      this.turnedOverUnseen = false;
      if (window === this.current) window.closedBy = "budget";
      return;
    }
    // Another limit or an overload: a pause longer than a window starts a fresh one after it.
    const longest = this.clock.length?.hi ?? LONGEST_CONNECTION_WAIT_MS;
    if (window === this.current && wait >= longest && !window.closedBy) window.closedBy = "pause";
  }

  /** Opens the next window when the current one has surely ended. */
  private roll(now: number): void {
    const window = this.current;
    if (window.closedBy) {
      if (now >= this.resumeAt)
        this.open(now, { whole: true, startObserved: window.closedBy === "budget" });
      return;
    }
    const end = this.aimedEnd();
    if (end && now >= end.hi + MARGIN_MS)
      this.open(now, { whole: true, startObserved: false, untested: end });
  }

  /**
   * The predicted end of the current window, once the budget is confirmed and the window length
   * known to the millisecond (a length still uncertain would make predictions a few windows on
   * too wide to aim at: the probe tells the reset instead).
   */
  private aimedEnd(): Span | undefined {
    if (!this.budget || this.budget.evidence < CONFIRMED) return undefined;
    const length = this.clock.length;
    if (!length || width(length) > 0) return undefined;
    return this.clock.resetAfter(this.current.openedAt);
  }

  /** When to test a predicted reset: its middle while wide (to narrow it), else just after it. */
  private aim(end: Span): number {
    return width(end) <= this.precision() ? end.hi + MARGIN_MS : middle(end);
  }

  private precision(): number {
    return Math.max(PRECISION_MS, this.roundTripMs);
  }

  private open(now: number, how: WindowStart): void {
    const previous = this.current;
    // Writes reserved in the window that ended will land in this one.
    let live = how.straddling ?? 0;
    for (const reservation of this.reservations.values()) {
      if (!reservation.live) continue;
      live += 1;
      // Charged in this window now: its write is no probe of the one that ended.
      reservation.overBudget = false;
    }
    const since = how.since ?? how.untested?.lo;
    if (since !== undefined) {
      // A request released after the earliest instant the reset may have come (less a round
      // trip: it reaches Notion later than it leaves) may have been counted in this window.
      const cutoff = since - this.roundTripMs;
      for (const at of previous.releases) if (at >= cutoff) live += 1;
    }
    // A window a refusal ended: what it had sent past the refusal and Notion took is this one's.
    const carried = previous.closedBy === "budget" && how.startObserved ? previous : undefined;
    if (carried) live += lateOf(carried) + lateInFlight(carried);
    this.current = this.newWindow(previous.id + 1, now, how, live);
    this.current.carriedFrom = carried;
    if (previous.inFlight <= 0) this.finalize(previous);
  }

  private newWindow(id: number, now: number, how: WindowStart, charged: number): Window {
    const window: Window = {
      id,
      openedAt: now,
      charged,
      lastReleaseAt: Number.NEGATIVE_INFINITY,
      releases: [],
      accepted: 0,
      acceptedTimes: [],
      refusedFrom: undefined,
      resetFrom: undefined,
      refusedSent: [],
      carriedFrom: undefined,
      inFlight: 0,
      closedBy: undefined,
      whole: how.whole,
      startObserved: how.startObserved,
      untested: how.untested,
      finalized: false,
    };
    this.windows.set(id, window);
    return window;
  }

  /** Learns from a window that ended and has no request left in flight. */
  private finalize(window: Window): void {
    if (window.finalized) return;
    window.finalized = true;
    this.windows.delete(window.id);
    const accepted = countedIn(window);
    // Counted: the window before it is no longer needed (windows do not pile up in memory).
    window.carriedFrom = undefined;
    if (window.closedBy !== "budget" || !window.whole || accepted <= 0) return;
    const budget = this.budget;
    if (!budget) {
      this.budget = { value: accepted, evidence: 1 };
      return;
    }
    if (Math.abs(accepted - budget.value) <= tolerance(budget.value)) {
      budget.evidence = Math.min(MOST_EVIDENCE, budget.evidence + 1);
      return;
    }
    // One odd window (requests that landed across a reset) does not undo a confirmed budget.
    budget.evidence -= 1;
    if (budget.evidence <= 0) this.budget = { value: accepted, evidence: 1 };
  }
}
