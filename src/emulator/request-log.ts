/** One line of the emulator's request log: what arrived, when, and what it was answered. */
export interface RequestLogEntry {
  /** 1-based arrival number across the emulator's life. */
  seq: number;
  method: string;
  path: string;
  /** HTTP status sent, or 0 when the connection was dropped or hung without an answer. */
  status: number;
  /** Arrival time, ms since the epoch (wall clock). */
  at: number;
  /** Time from arrival to answer, ms. */
  durationMs: number;
  /** Notion error code when the answer was an error. */
  code?: string;
  /** The fault rule that acted on this request, if any. */
  fault?: string;
  /** For writes that reached the state: true when the change was applied. */
  applied?: boolean;
  /**
   * Which of the emulator's tokens sent it: 0 the main one, 1… its `extraTokens` in order
   * (absent when none matched: a 401).
   */
  connection?: number;
  /**
   * On a 429, Notion's name for the limit that refused it (`public_api_request_rate_limit`: the
   * connection's; `public_api_space_request_rate_limit`: the workspace's), from a limit or a fault.
   */
  rateLimitReason?: string;
  /**
   * The connection's window (0 = the one its first request opened) the request fell in, let
   * through or refused, when the per-connection limit is a window: requests and 429s per window.
   */
  rateLimitWindow?: number;
  requestId: string;
}

export class RequestLog {
  private readonly entries: RequestLogEntry[] = [];
  private nextSeq = 1;

  /** Reserves the arrival number of a new request. */
  arrive(): number {
    return this.nextSeq++;
  }

  record(entry: RequestLogEntry): void {
    this.entries.push(entry);
  }

  all(): readonly RequestLogEntry[] {
    return this.entries;
  }

  clear(): void {
    this.entries.length = 0;
  }

  /** Counts of answered requests, for benchmarks: total and per "METHOD /v1/kind". */
  counts(): { total: number; byRoute: Record<string, number> } {
    const byRoute: Record<string, number> = {};
    for (const entry of this.entries) {
      const route = `${entry.method} ${routeShape(entry.path)}`;
      byRoute[route] = (byRoute[route] ?? 0) + 1;
    }
    return { total: this.entries.length, byRoute };
  }
}

/** `/v1/pages/8a…/properties/abc` → `/v1/pages/:id/properties/:id`. */
export function routeShape(path: string): string {
  const [bare = ""] = path.split("?");
  return bare
    .split("/")
    .map((segment, index) =>
      index >= 3 && index % 2 === 1 && segment.length > 0 ? ":id" : segment,
    )
    .join("/");
}
