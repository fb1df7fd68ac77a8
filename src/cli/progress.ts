import type { SingleBar } from "cli-progress";
import { loadCliProgress } from "./load-cli-progress.ts";
import type { PullProgress } from "../mirror/pull.ts";
import { stderrIsTty } from "./context.ts";

/**
 * Per-data-source progress bars on stderr while pages arrive: pages so far, rate and ETA (against
 * the last pull's count). Silent when stderr is not a terminal.
 */
export function pullProgressDisplay(): {
  onProgress: (event: PullProgress) => void;
  stop: () => void;
} {
  if (!stderrIsTty()) return { onProgress: () => undefined, stop: () => undefined };
  const cliProgress = loadCliProgress();
  const bars = new cliProgress.MultiBar(
    {
      stream: process.stderr,
      format: " {alias} | {bar} | {value} pages | {rate}/s | ETA {eta_formatted}",
      hideCursor: true,
      clearOnComplete: false,
      etaBuffer: 50,
    },
    cliProgress.Presets.shades_classic,
  );
  const started = new Map<string, { bar: SingleBar; at: number }>();
  return {
    onProgress(event) {
      let entry = started.get(event.alias);
      if (!entry) {
        entry = {
          bar: bars.create(event.expected ?? 100, 0, { alias: event.alias.padEnd(24), rate: "0" }),
          at: performance.now(),
        };
        started.set(event.alias, entry);
      }
      const seconds = (performance.now() - entry.at) / 1000;
      const total = Math.max(event.expected ?? 0, event.pages, event.done ? event.pages : 1);
      entry.bar.setTotal(total);
      entry.bar.update(event.pages, {
        rate: seconds > 0 ? (event.pages / seconds).toFixed(0) : "0",
      });
    },
    stop: () => bars.stop(),
  };
}
