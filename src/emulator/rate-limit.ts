/**
 * Notion's rate limit: an average of `perSecond` requests per second with a burst allowance.
 * A token bucket: each request takes a token; an empty bucket answers 429 with the whole seconds
 * until a token is back (Notion sends an integer Retry-After).
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

  /** Takes a token if there is one; otherwise returns the Retry-After seconds (≥ 1). */
  take(): { ok: true } | { ok: false; retryAfterSeconds: number } {
    this.refill();
    if (this.tokens >= 1) {
      this.tokens -= 1;
      return { ok: true };
    }
    const waitSeconds = (1 - this.tokens) / this.perSecond;
    return { ok: false, retryAfterSeconds: Math.max(1, Math.ceil(waitSeconds)) };
  }

  private refill(): void {
    const now = this.now();
    this.tokens = Math.min(this.burst, this.tokens + ((now - this.last) / 1000) * this.perSecond);
    this.last = now;
  }
}

export interface RateLimitOptions {
  /** Average requests per second (Notion: about 3). */
  perSecond: number;
  /** Requests allowed at once above the average (default: 3 × perSecond... kept small like Notion). */
  burst?: number;
}
