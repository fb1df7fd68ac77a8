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

const shifted = (span: Span, by: number): Span => ({ lo: span.lo + by, hi: span.hi + by });

function hull(spans: readonly Span[]): Span | undefined {
  if (spans.length === 0) return undefined;
  return {
    lo: Math.min(...spans.map((span) => span.lo)),
    hi: Math.max(...spans.map((span) => span.hi)),
  };
}

/** Notion's windows are whole seconds (60 s today), as its Retry-After is. */
const SECOND = 1000;

/**
 * When Notion's per-connection windows reset, as far as its answers tell. Notion's request-limits
 * page describes a fixed budget per 60-second window whose 429 carries Retry-After = the whole
 * seconds until the window resets; windows follow one another at a fixed length, a whole number
 * of seconds. Each length still possible is kept as a hypothesis, with the latest reset as that
 * length places it:
 *
 * - Two resets known to follow each other (the window between them spent without a pause) are
 *   one window apart: the lengths possible are the whole seconds between them.
 * - Every later reset lies a whole number of windows after the latest — exactly one when it is
 *   known to follow it — so each hypothesis narrows its latest reset to where its grid meets the
 *   new one, and a length whose grid misses it is dropped. No count of windows is guessed from a
 *   length still uncertain: every count that fits is kept.
 * - A length is known when one hypothesis is left. An observation that leaves none (the windows
 *   are not what they seemed, or the 429s were not the budget's) starts the learning again from it.
 *
 * Pure: it is told the times; it never reads a clock.
 */
export class ResetClock {
  /** The latest reset while no length is being learned. */
  private anchor: Span | undefined;
  /** Each length still possible (ms), and the latest reset on its grid. */
  private hypotheses: Map<number, Span> | undefined;

  /** The window lengths still possible, as a span (lo = hi once one is left). */
  get length(): Span | undefined {
    const lengths = this.hypotheses ? [...this.hypotheses.keys()] : [];
    return hull(lengths.map((length) => ({ lo: length, hi: length })));
  }

  /** The latest reset learned, if any (as wide as the lengths still possible place it). */
  get latest(): Span | undefined {
    return this.hypotheses ? hull([...this.hypotheses.values()]) : this.anchor;
  }

  /**
   * Records that a reset lies in `span`. `follows` says that it is the reset right after the
   * latest one recorded (the window between them was spent without a pause), or that one again:
   * the only way a first length is learned. Returns false when the observation contradicted what
   * was known, which is then forgotten.
   */
  observe(span: Span, follows: boolean): boolean {
    const hypotheses = this.hypotheses;
    if (hypotheses) {
      const kept = new Map<number, Span>();
      for (const [length, latest] of hypotheses) {
        const placed = place(latest, length, span, follows);
        if (placed) kept.set(length, placed);
      }
      if (kept.size === 0) {
        this.restart(span);
        return false;
      }
      this.hypotheses = kept;
      return true;
    }
    const anchor = this.anchor;
    const same = anchor && intersect(anchor, span);
    if (same) {
      this.anchor = same;
      return true;
    }
    if (!anchor || !follows) {
      this.restart(span);
      return true;
    }
    const lengths = new Map<number, Span>();
    const shortest = Math.max(1, Math.ceil((span.lo - anchor.hi) / SECOND));
    const longest = Math.floor((span.hi - anchor.lo) / SECOND);
    for (let seconds = shortest; seconds <= longest; seconds += 1) {
      const latest = intersect(shifted(anchor, seconds * SECOND), span);
      if (latest) lengths.set(seconds * SECOND, latest);
    }
    if (lengths.size === 0) {
      // No whole second fits between them: these windows are not Notion's kind.
      this.restart(span);
      return false;
    }
    this.hypotheses = lengths;
    return true;
  }

  private restart(span: Span): void {
    this.anchor = span;
    this.hypotheses = undefined;
  }

  /**
   * The first reset that may still be ahead of `after` (its span ends later), from the latest
   * reset and the length, over every length still possible; undefined while no length is being
   * learned. While the latest reset is known only to a second, as wide as a short window, this
   * is the earlier of two candidates: testing it too early costs one 429, where waiting for the
   * later one would skip a window.
   */
  resetAfter(after: number): Span | undefined {
    if (!this.hypotheses) return undefined;
    const next = [...this.hypotheses].map(([length, latest]) => {
      const windows = Math.max(1, Math.floor((after - latest.hi) / length) + 1);
      return shifted(latest, windows * length);
    });
    return hull(next);
  }
}

/**
 * Where a reset in `span` lies on the grid of `length` through `latest`: a whole number of
 * windows on (none or one when it `follows`), narrowed to the span; undefined when the grid
 * misses it. Several counts that fit leave the reset as wide as all of them.
 */
function place(latest: Span, length: number, span: Span, follows: boolean): Span | undefined {
  const fewest = Math.max(0, Math.ceil((span.lo - latest.hi) / length));
  const most = Math.min(follows ? 1 : Infinity, Math.floor((span.hi - latest.lo) / length));
  const fits: Span[] = [];
  for (let windows = fewest; windows <= most; windows += 1) {
    const met = intersect(shifted(latest, windows * length), span);
    if (met) fits.push(met);
  }
  return hull(fits);
}

export { intersect, middle, width };
