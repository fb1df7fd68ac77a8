import type { Emulator, RateLimit, SeedFile } from "../src/emulator/index.ts";
import { startEmulator } from "../src/emulator/index.ts";
import type { BenchProject } from "./bench-project.ts";
import { createBenchProject } from "./bench-project.ts";
import type { BenchOptions } from "./options.ts";

/** Notion's per-connection window (request-limits page, 2026): a budget per 60 seconds. */
export const NOTION_WINDOW_MS = 60_000;

/** An emulator serving a seed, with a project pointed at it; `close` stops and cleans up both. */
export interface BenchWorkspace {
  seed: SeedFile;
  emulator: Emulator;
  project: BenchProject;
  /**
   * Turns on the options' latency and a rate limit (the seed loads unpaced): by default Notion's
   * model, a fixed budget of `rate` × the window's seconds per window (`windowMs`, default 60 s
   * like Notion's), spendable in a burst; or the limit given (a bucket, say, for a baseline).
   */
  limit(rateLimit?: RateLimit | false): void;
  close(): Promise<void>;
}

export async function openWorkspace(
  seed: SeedFile,
  options: Pick<BenchOptions, "rate" | "latencyMs"> & { windowMs?: number },
): Promise<BenchWorkspace> {
  const emulator = await startEmulator({ seed, rateLimit: false, latencyMs: 0 });
  const project = createBenchProject(emulator, seed);
  return {
    seed,
    emulator,
    project,
    limit(rateLimit) {
      emulator.setRateLimit(rateLimit ?? windowBudget(options.rate, options.windowMs));
      emulator.setLatency(options.latencyMs);
    },
    async close() {
      await emulator.stop();
      project.remove();
    },
  };
}

/**
 * The window that averages `perSecond`: 3/s → 180 requests per 60 s, Notion's budget on most
 * plans; 10/s → 600, Business and Enterprise. At least one request per window; no limit (false)
 * for a rate that is not a finite number above 0.
 */
export function windowBudget(perSecond: number, windowMs = NOTION_WINDOW_MS): RateLimit | false {
  if (!Number.isFinite(perSecond) || perSecond <= 0) return false;
  return {
    kind: "window",
    requests: Math.max(1, Math.round((perSecond * windowMs) / 1000)),
    windowMs,
  };
}
