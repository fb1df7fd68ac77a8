import type { RequestLogEntry } from "../src/emulator/index.ts";

/** How a run spent a per-connection window budget, as the emulator counted it. */
export interface WindowUse {
  /** Windows the run's requests fell in, the first to the last (none skipped in between). */
  windows: number;
  /**
   * Windows in which the run had work left: all but the last, where it ran out. Their share of
   * the budget is the figure: a run that spends every window whole uses 100%.
   */
  fullWindows: number;
  /** Requests Notion accepted in the full windows, ÷ (budget × full windows); 1 with none. */
  share: number;
  /** The most 429s in one window, the first one aside (where the budget is learned). */
  most429AfterFirst: number;
  /** 429s in the first window: at most one per request in flight when its budget ran out. */
  first429: number;
  /** Requests accepted and refused, per window from the run's first. */
  perWindow: Array<{ accepted: number; refused: number }>;
}

/**
 * Groups the log's entries of a run by the per-connection window they fell in (the emulator's
 * `rateLimitWindow`) and measures the share of each window's budget that the run used. Only
 * the main connection's requests count; entries without a window (no window limit) are left out.
 */
export function windowUse(entries: readonly RequestLogEntry[], budget: number): WindowUse {
  const counted = entries.filter(
    (entry) => entry.rateLimitWindow !== undefined && (entry.connection ?? 0) === 0,
  );
  const indexes = counted.map((entry) => entry.rateLimitWindow ?? 0);
  const first = Math.min(...indexes);
  const last = Math.max(...indexes);
  const perWindow = Array.from({ length: counted.length === 0 ? 0 : last - first + 1 }, () => ({
    accepted: 0,
    refused: 0,
  }));
  for (const entry of counted) {
    const slot = perWindow[(entry.rateLimitWindow ?? 0) - first];
    if (!slot) continue;
    if (entry.status === 429) slot.refused += 1;
    else slot.accepted += 1;
  }
  const full = perWindow.slice(0, -1);
  const accepted = full.reduce((sum, window) => sum + window.accepted, 0);
  return {
    windows: perWindow.length,
    fullWindows: full.length,
    share: full.length === 0 ? 1 : accepted / (budget * full.length),
    most429AfterFirst: Math.max(0, ...perWindow.slice(1).map((window) => window.refused)),
    first429: perWindow[0]?.refused ?? 0,
    perWindow,
  };
}
