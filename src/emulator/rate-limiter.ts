import { FixedWindow } from "./fixed-window.ts";
import type { RateLimit, WorkspaceRateLimit } from "./rate-limit.ts";
import { CONNECTION_LIMIT_REASON, WORKSPACE_LIMIT_REASON } from "./rate-limit.ts";
import { TokenBucket } from "./token-bucket.ts";

/** What the limits make of one request: let through, or refused naming the limit and the wait. */
export type Admission = {
  /** The connection's window the request fell in (0 = its first), when its limit is a window. */
  window?: number;
} & ({ ok: true } | { ok: false; reason: string; retryAfterSeconds: number });

interface Limiter {
  check(): { window?: number; retryAfterSeconds?: number };
  spend(): void;
}

/**
 * Notion's two rate limits over the emulator's connections (one per bearer token): each
 * connection's own window or bucket, and the workspace's window shared by all of them. A request
 * counts against both only when both let it through, so refused requests spend no budget.
 *
 * Windows run on `clockMs` (the emulator's clock, so a test's manual clock moves them); buckets
 * refill on `realMs` (real time), as they always have.
 */
export class RateLimiter {
  private readonly perConnection = new Map<number, Limiter>();
  private workspace: FixedWindow | undefined;

  constructor(
    private connectionLimit: RateLimit | false,
    private workspaceLimit: WorkspaceRateLimit | false,
    private readonly clockMs: () => number,
    private readonly realMs: () => number = () => performance.now(),
  ) {
    this.setWorkspaceLimit(workspaceLimit);
  }

  /** Replaces the per-connection limit; every connection starts afresh (a new window or bucket). */
  setConnectionLimit(limit: RateLimit | false): void {
    this.connectionLimit = limit;
    this.perConnection.clear();
  }

  /** Replaces the workspace limit; its first window opens at the next request. */
  setWorkspaceLimit(limit: WorkspaceRateLimit | false): void {
    this.workspaceLimit = limit;
    this.workspace = limit
      ? new FixedWindow(limit.requests, limit.windowMs, this.clockMs)
      : undefined;
  }

  /** The limits in force. */
  limits(): { rateLimit: RateLimit | false; workspaceRateLimit: WorkspaceRateLimit | false } {
    return { rateLimit: this.connectionLimit, workspaceRateLimit: this.workspaceLimit };
  }

  /**
   * Admits one request of `connection` (counting it) or refuses it. When both limits are spent,
   * the one that holds the request back longer names the refusal, so that waiting its
   * Retry-After clears both.
   */
  admit(connection: number): Admission {
    const own = this.limiterOf(connection);
    const ownCheck = own?.check();
    const sharedCheck = this.workspace?.check();
    const window = ownCheck?.window;
    const refusals: Array<{ reason: string; retryAfterSeconds: number }> = [];
    if (ownCheck?.retryAfterSeconds !== undefined)
      refusals.push({
        reason: CONNECTION_LIMIT_REASON,
        retryAfterSeconds: ownCheck.retryAfterSeconds,
      });
    if (sharedCheck?.retryAfterSeconds !== undefined)
      refusals.push({
        reason: WORKSPACE_LIMIT_REASON,
        retryAfterSeconds: sharedCheck.retryAfterSeconds,
      });
    const longest = refusals.reduce<(typeof refusals)[number] | undefined>(
      (held, next) => (held && held.retryAfterSeconds >= next.retryAfterSeconds ? held : next),
      undefined,
    );
    if (longest) return { ok: false, ...longest, ...(window === undefined ? {} : { window }) };
    own?.spend();
    this.workspace?.spend();
    return { ok: true, ...(window === undefined ? {} : { window }) };
  }

  private limiterOf(connection: number): Limiter | undefined {
    const limit = this.connectionLimit;
    if (!limit) return undefined;
    let limiter = this.perConnection.get(connection);
    if (!limiter) {
      limiter =
        limit.kind === "window"
          ? new FixedWindow(limit.requests, limit.windowMs, this.clockMs)
          : new TokenBucket(
              limit.perSecond,
              limit.burst ?? Math.max(1, Math.ceil(limit.perSecond)),
              this.realMs,
            );
      this.perConnection.set(connection, limiter);
    }
    return limiter;
  }
}
