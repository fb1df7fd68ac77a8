import type { Emulator } from "../src/emulator/emulator.ts";
import { startEmulator } from "../src/emulator/emulator.ts";
import type { SeedFile } from "../src/emulator/seed-file.ts";
import type { BenchProject } from "./bench-project.ts";
import { createBenchProject } from "./bench-project.ts";
import type { BenchOptions } from "./options.ts";

/** An emulator serving a seed, with a project pointed at it; `close` stops and cleans up both. */
export interface BenchWorkspace {
  seed: SeedFile;
  emulator: Emulator;
  project: BenchProject;
  /** Turns on the realistic rate limit and latency of the options (the seed loads unpaced). */
  limit(): void;
  close(): Promise<void>;
}

export async function openWorkspace(
  seed: SeedFile,
  options: Pick<BenchOptions, "rate" | "latencyMs">,
): Promise<BenchWorkspace> {
  const emulator = await startEmulator({ seed, rateLimit: false, latencyMs: 0 });
  const project = createBenchProject(emulator, seed);
  return {
    seed,
    emulator,
    project,
    limit() {
      emulator.setRateLimit({ perSecond: options.rate });
      emulator.setLatency(options.latencyMs);
    },
    async close() {
      await emulator.stop();
      project.remove();
    },
  };
}
