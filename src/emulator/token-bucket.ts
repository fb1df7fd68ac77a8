/**
 * The older model of Notion's limit: an average of `perSecond` requests per second with a burst
 * allowance. Each request takes a token; an empty bucket answers with the whole seconds until a
 * token is back (Notion sends an integer Retry-After).
 */
export class TokenBucket {
  private tokens: number;
  private last: number;

  constructor(
    readonly perSecond: number,
    readonly burst: number,
    private readonly now: () => number = () => performance.now(),
  ) {
    this.tokens = burst;
    this.last = this.now();
  }

  /** With no `retryAfterSeconds` when a token is there; else the Retry-After (≥ 1 s). Takes none. */
  check(): { retryAfterSeconds?: number } {
    this.refill();
    if (this.tokens >= 1) return {};
    const waitSeconds = (1 - this.tokens) / this.perSecond;
    return { retryAfterSeconds: Math.max(1, Math.ceil(waitSeconds)) };
  }

  /** Takes a token (after a {@link check} that found one). */
  spend(): void {
    this.tokens -= 1;
  }

  private refill(): void {
    const now = this.now();
    this.tokens = Math.min(this.burst, this.tokens + ((now - this.last) / 1000) * this.perSecond);
    this.last = now;
  }
}
