import type { RequestLogEntry } from "../src/emulator/index.ts";

/** The overwrite window of a run, as Notion saw it: from each page's live read to its write. */
export interface WindowFigures {
  /** Writes measured (PATCHes that followed a read of the same page). */
  writes: number;
  minMs: number;
  medianMs: number;
  p99Ms: number;
  maxMs: number;
}

const PAGE_PATH = /^\/v1\/pages\/([0-9a-f-]+)$/i;

/**
 * For every PATCH of a page in the request log, the time since the latest GET of that same page
 * that arrived before it: the window in which a person's edit can be overwritten (Notion has no
 * conditional write). Arrival times are the emulator's, so the figure is what Notion would see,
 * with no client-side clock in it. A PATCH with no earlier GET of its page is not counted.
 */
export function writeWindows(entries: readonly RequestLogEntry[]): number[] {
  const lastRead = new Map<string, number>();
  const windows: number[] = [];
  for (const entry of [...entries].sort((a, b) => a.seq - b.seq)) {
    const page = PAGE_PATH.exec(entry.path.split("?")[0] ?? "")?.[1]?.replaceAll("-", "");
    if (!page) continue;
    const id = page.toLowerCase();
    if (entry.method === "GET") lastRead.set(id, entry.at);
    else if (entry.method === "PATCH") {
      const read = lastRead.get(id);
      if (read !== undefined) windows.push(entry.at - read);
    }
  }
  return windows;
}

/** Min, median, p99 (nearest rank) and max of the windows; zeros when there are none. */
export function windowFigures(windows: readonly number[]): WindowFigures {
  const sorted = [...windows].sort((a, b) => a - b);
  const rank = (share: number) => sorted[Math.max(0, Math.ceil(share * sorted.length) - 1)] ?? 0;
  return {
    writes: sorted.length,
    minMs: sorted[0] ?? 0,
    medianMs: rank(0.5),
    p99Ms: rank(0.99),
    maxMs: sorted.at(-1) ?? 0,
  };
}
