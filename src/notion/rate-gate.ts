/**
 * Client-side pacing under Notion's rate limit, shared by every request of a process so that
 * work across data sources together stays under it. Requests start at most `perSecond` per
 * second: each release is at least 1/perSecond after the previous ACTUAL release (not a slot
 * reserved in advance, so a stalled event loop cannot release a bunch at once); a 429 pauses every
 * caller until its Retry-After has passed.
 */
export class RateGate {
  private lastRelease = Number.NEGATIVE_INFINITY;
  private pausedUntil = 0;
  private readonly spacingMs: number;

  constructor(
    perSecond: number,
    private readonly now: () => number = () => performance.now(),
    private readonly sleep: (ms: number) => Promise<void> = (ms) =>
      new Promise((resolve) => setTimeout(resolve, ms)),
  ) {
    this.spacingMs = perSecond > 0 && Number.isFinite(perSecond) ? 1000 / perSecond : 0;
  }

  /** Resolves when the caller may send its request. */
  async acquire(): Promise<void> {
    for (;;) {
      const now = this.now();
      const earliest = Math.max(this.lastRelease + this.spacingMs, this.pausedUntil);
      if (now >= earliest) {
        this.lastRelease = now;
        return;
      }
      await this.sleep(earliest - now);
    }
  }

  /** Holds every caller back until `ms` from now (Retry-After); never shortens a pause. */
  pause(ms: number): void {
    this.pausedUntil = Math.max(this.pausedUntil, this.now() + ms);
  }
}
