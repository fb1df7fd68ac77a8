import type { Emulator } from "../src/emulator/index.ts";

/** What reached the emulator since `mark()`: every request, and how many were answered 429. */
export function serverCounter(emulator: Emulator): () => { requests: number; rateLimited: number } {
  const start = emulator.log.all().length;
  return () => {
    const entries = emulator.log.all().slice(start);
    return {
      requests: entries.length,
      rateLimited: entries.filter((entry) => entry.status === 429).length,
    };
  };
}
