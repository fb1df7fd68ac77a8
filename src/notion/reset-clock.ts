/** An instant known to lie in [lo, hi], ms on the gate's clock. */
export interface Span {
  lo: number;
  hi: number;
}

const width = (span: Span) => span.hi - span.lo;
const middle = (span: Span) => (span.lo + span.hi) / 2;

function intersect(a: Span, b: Span): Span | undefined {
  const lo = Math.max(a.lo, b.lo);
  const hi = Math.min(a.hi, b.hi);
  return lo <= hi ? { lo, hi } : undefined;
}

/** Notion's windows are whole seconds (60 s today), as its Retry-After is. */
const SECOND = 1000;

/**
 * When Notion's per-connection windows reset, as far as its answers tell. Notion's request-limits
 * page describes a fixed budget per 60-second window whose 429 carries Retry-After = the whole
 * seconds until the window resets; windows follow one another at a fixed length. So every reset
 * observed (a 429's Retry-After, a request accepted once the last window was spent) narrows two
 * things: when the latest reset happened (`anchor`) and how long a window is (`length`), and from
 * both the next resets are predicted. A length whose span holds a single whole second is taken to
 * be that second. An observation that contradicts what was learned (the windows are not what they
 * seemed, or the 429s were not the budget's) starts the learning again from it.
 *
 * Pure: it is told the times; it never reads a clock.
 */
export class ResetClock {
  private anchor: Span | undefined;
  private lengthSpan: Span | undefined;
  /** The first reset of what is being learned, and how many windows the anchor is past it. */
  private origin: Span | undefined;
  private windowsSinceOrigin = 0;

  /** The window length, when learned (a span; lo = hi once it is known to the millisecond). */
  get length(): Span | undefined {
    return this.lengthSpan;
  }

  /** The latest reset learned, if any. */
  get latest(): Span | undefined {
    return this.anchor;
  }

  /**
   * Records that a reset lies in `span`. `follows` says that it is the reset right after the
   * latest one recorded (the window between them was spent without a pause): the only way a
   * first length is learned. Returns false when the observation contradicted what was known, which
   * is then forgotten.
   */
  observe(span: Span, follows: boolean): boolean {
    const anchor = this.anchor;
    if (!anchor) {
      this.restart(span);
      return true;
    }
    const length = this.lengthSpan;
    if (!length) {
      const same = intersect(anchor, span);
      if (same) {
        this.anchor = same;
        this.origin = same;
        return true;
      }
      if (!follows) {
        this.restart(span);
        return true;
      }
      this.lengthSpan = snapped({ lo: Math.max(1, span.lo - anchor.hi), hi: span.hi - anchor.lo });
      this.origin = anchor;
      this.windowsSinceOrigin = 1;
      this.anchor = span;
      return true;
    }
    const windows = Math.round((middle(span) - middle(anchor)) / middle(length));
    const predicted =
      windows <= 0
        ? anchor
        : { lo: anchor.lo + windows * length.lo, hi: anchor.hi + windows * length.hi };
    const both = windows < 0 ? undefined : intersect(predicted, span);
    if (!both) {
      this.restart(span);
      return false;
    }
    if (windows > 0) {
      // Against the latest reset and against the first one: the longer the baseline, the
      // narrower the length (a second of doubt spread over many windows).
      const since = this.windowsSinceOrigin + windows;
      const origin = this.origin ?? anchor;
      const narrowed = intersect(
        intersect(length, {
          lo: (both.lo - anchor.hi) / windows,
          hi: (both.hi - anchor.lo) / windows,
        }) ?? { lo: 1, hi: 0 },
        { lo: (both.lo - origin.hi) / since, hi: (both.hi - origin.lo) / since },
      );
      if (!narrowed) {
        this.restart(span);
        return false;
      }
      const learned = snapped(narrowed);
      this.lengthSpan = learned;
      this.windowsSinceOrigin = since;
      // With the length narrowed, the earlier resets narrow the latest one too.
      const fromAnchor = {
        lo: anchor.lo + windows * learned.lo,
        hi: anchor.hi + windows * learned.hi,
      };
      const fromOrigin = { lo: origin.lo + since * learned.lo, hi: origin.hi + since * learned.hi };
      this.anchor = intersect(intersect(both, fromAnchor) ?? both, fromOrigin) ?? both;
      return true;
    }
    this.anchor = both;
    return true;
  }

  private restart(span: Span): void {
    this.anchor = span;
    this.origin = span;
    this.windowsSinceOrigin = 0;
    this.lengthSpan = undefined;
  }

  /**
   * The first reset that may still be ahead of `after` (its span ends later), from the latest
   * reset and the length; undefined while the length is not known. While the latest reset is
   * known only to a second, as wide as a short window, this is the earlier of two candidates:
   * testing it too early costs one 429, where waiting for the later one would skip a window.
   */
  resetAfter(after: number): Span | undefined {
    const anchor = this.anchor;
    const length = this.lengthSpan;
    if (!anchor || !length || length.lo <= 0) return undefined;
    const windows = Math.max(1, Math.floor((after - anchor.hi) / length.hi) + 1);
    return { lo: anchor.lo + windows * length.lo, hi: anchor.hi + windows * length.hi };
  }
}

/** A length span holding exactly one whole second (and no more than a second wide) is that second. */
function snapped(length: Span): Span {
  const first = Math.ceil(length.lo / SECOND);
  const last = Math.floor(length.hi / SECOND);
  if (first === last && first >= 1 && width(length) < 2 * SECOND)
    return { lo: first * SECOND, hi: first * SECOND };
  return length;
}

export { intersect, middle, width };
