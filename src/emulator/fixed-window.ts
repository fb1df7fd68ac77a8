/**
 * A fixed (not sliding) request budget: `requests` per window of `windowMs`. The first window
 * opens at the first request checked; windows then follow each other every `windowMs` on `now`'s
 * clock, whether or not requests come, and each starts with the whole budget.
 */
export class FixedWindow {
  private start: number | undefined;
  private index = 0;
  private used = 0;

  constructor(
    readonly requests: number,
    readonly windowMs: number,
    private readonly now: () => number,
  ) {}

  /**
   * Where a request arriving now stands: the window it falls in (0 = the first) and, when the
   * budget of that window is spent, the whole seconds until the next window opens (≥ 1).
   * Counts nothing: {@link spend} does, once every limit has let the request through.
   */
  check(): { window: number; retryAfterSeconds?: number } {
    const now = this.now();
    this.roll(now);
    if (this.used < this.requests) return { window: this.index };
    const resetsAt = (this.start ?? now) + (this.index + 1) * this.windowMs;
    return {
      window: this.index,
      retryAfterSeconds: Math.max(1, Math.ceil((resetsAt - now) / 1000)),
    };
  }

  /** Counts one request against the current window (after a {@link check} that found room). */
  spend(): void {
    this.used += 1;
  }

  private roll(now: number): void {
    if (this.start === undefined) {
      this.start = now;
      return;
    }
    // A clock set back (a test's manual clock) stays in the current window.
    const index = Math.floor((now - this.start) / this.windowMs);
    if (index > this.index) {
      this.index = index;
      this.used = 0;
    }
  }
}
