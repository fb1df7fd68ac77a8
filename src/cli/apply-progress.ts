import { loadCliProgress } from "./load-cli-progress.ts";
import type { EngineProgress } from "../apply/engine-types.ts";
import { stderrIsTty } from "./context.ts";

/** The progress of a push or revert as shown on stderr, and the last counts it was given. */
export interface ApplyProgressDisplay {
  onProgress: (progress: EngineProgress) => void;
  /** Takes the bar off for good (before a message is printed under it); later progress is only kept. */
  stop: () => void;
  /** The last progress the engine reported (its final counts once it has ended). */
  last: () => EngineProgress | undefined;
}

/**
 * A progress bar on stderr for push and revert: pages done, applied, protected, failed, rate, ETA.
 * Draws only on a terminal; the counts are kept either way (for the Ctrl-C notice).
 */
export function applyProgressDisplay(
  label: string,
  stream: NodeJS.WriteStream = process.stderr,
  terminal: boolean = stderrIsTty(),
): ApplyProgressDisplay {
  let latest: EngineProgress | undefined;
  let stopped = false;
  if (!terminal)
    return {
      onProgress: (progress) => void (latest = progress),
      stop: () => undefined,
      last: () => latest,
    };
  const cliProgress = loadCliProgress();
  const bar = new cliProgress.SingleBar(
    {
      stream,
      format: ` ${label} | {bar} | {value}/{total} pages | {applied} applied, {protected} protected, {failed} failed | {rate}/s | ETA {eta_formatted}`,
      hideCursor: true,
    },
    cliProgress.Presets.shades_classic,
  );
  const started = performance.now();
  let begun = false;
  return {
    onProgress(progress) {
      latest = progress;
      if (stopped) return;
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
    stop() {
      if (stopped) return;
      stopped = true;
      // The bar redraws itself on a timer: stopped, it can no longer overwrite what follows.
      if (begun) bar.stop();
    },
    last: () => latest,
  };
}
