import { loadCliProgress } from "./load-cli-progress.ts";
import type { EngineProgress } from "../apply/engine-types.ts";
import { stderrIsTty } from "./context.ts";

/** A progress bar on stderr for push and revert: pages done, applied, protected, failed, rate, ETA. */
export function applyProgressDisplay(label: string): {
  onProgress: (progress: EngineProgress) => void;
  stop: () => void;
} {
  if (!stderrIsTty()) return { onProgress: () => undefined, stop: () => undefined };
  const cliProgress = loadCliProgress();
  const bar = new cliProgress.SingleBar(
    {
      stream: process.stderr,
      format: ` ${label} | {bar} | {value}/{total} pages | {applied} applied, {protected} protected, {failed} failed | {rate}/s | ETA {eta_formatted}`,
      hideCursor: true,
    },
    cliProgress.Presets.shades_classic,
  );
  const started = performance.now();
  let begun = false;
  return {
    onProgress(progress) {
      const rate = (
        progress.pagesDone / Math.max(0.001, (performance.now() - started) / 1000)
      ).toFixed(1);
      const values = {
        applied: progress.applied,
        protected: progress.protected,
        failed: progress.failed,
        rate,
      };
      if (!begun) {
        bar.start(progress.pagesTotal, progress.pagesDone, values);
        begun = true;
      } else bar.update(progress.pagesDone, values);
    },
    stop: () => bar.stop(),
  };
}
