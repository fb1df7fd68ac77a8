/**
 * Client-side pacing under Notion's rate limit, shared by every request of a process so that
 * work across data sources together stays under it. Requests start at most `perSecond` per
 * second, evenly spaced; a 429 pauses every caller until its Retry-After has passed.
 */
export class RateGate {
  private nextSlot = 0;
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
      if (this.pausedUntil > now) {
        await this.sleep(this.pausedUntil - now);
        continue;
      }
      // Reserve the next slot at once so concurrent callers line up behind it.
      const slot = Math.max(now, this.nextSlot);
      this.nextSlot = slot + this.spacingMs;
      if (slot > now) await this.sleep(slot - now);
      // A 429 seen while waiting pauses everyone, this caller too.
      if (this.pausedUntil > this.now()) continue;
      return;
    }
  }

  /** Holds every caller back until `ms` from now (Retry-After); never shortens a pause. */
  pause(ms: number): void {
    this.pausedUntil = Math.max(this.pausedUntil, this.now() + ms);
  }
}
