import type { GenericFormatter } from "cli-progress";
import { loadCliProgress } from "./load-cli-progress.ts";
import type { EngineProgress } from "../apply/engine-types.ts";
import { stderrIsTty } from "./context.ts";
import type { ProgressDisplay } from "./progress.ts";
import { plural } from "./progress.ts";
import { WorkLog } from "./work-log.ts";

/** Push's and revert's progress display, and the last counts it was given (for the Ctrl-C notice). */
export interface ApplyProgressDisplay extends ProgressDisplay<EngineProgress> {
  /** The last progress the engine reported (its final counts once it has ended). */
  last: () => EngineProgress | undefined;
}

const FORMAT =
  " {label} | {bar} | {value}/{total} pages | {applied} applied, {protected} protected, {failed} failed | {rate}/s | ETA {eta_formatted}";

/**
 * Push's and revert's progress on stderr. On a terminal: a bar (pages done, applied, protected,
 * failed, rate, ETA) that shows a wait or retry at its end, counting down, instead of printing
 * over itself. Off a terminal: a line every few seconds once the run takes that long, and every
 * wait and retry with its reason and the pages still pending. `pagesTotal` is the pages the run
 * is expected to touch, so that a wait before the first page is done can say what is pending.
 */
export function applyProgressDisplay(
  label: string,
  options: { pagesTotal?: number } = {},
): ApplyProgressDisplay {
  let latest: EngineProgress | undefined;
  let stopped = false;
  const started = performance.now();
  const rate = (progress: EngineProgress) =>
    (progress.pagesDone / Math.max(0.001, (performance.now() - started) / 1000)).toFixed(1);
  const pending = () => {
    const total = latest?.pagesTotal ?? options.pagesTotal;
    if (total === undefined) return undefined;
    return `${plural(total - (latest?.pagesDone ?? 0), "page")} pending`;
  };

  const line = (progress: EngineProgress | undefined) =>
    progress
      ? `${label}: ${progress.pagesDone}/${plural(progress.pagesTotal, "page")} done (${progress.applied} applied, ${progress.protected} protected, ${progress.failed} failed), ${rate(progress)} pages/s`
      : `${label}: ${options.pagesTotal === undefined ? "starting" : `0/${plural(options.pagesTotal, "page")} done`}`;

  if (!stderrIsTty()) {
    const log = new WorkLog({ output: (text) => process.stderr.write(text), pending });
    // From the start, so that a run whose first pages are slow still says so.
    log.progress(line(undefined));
    return {
      onProgress(progress) {
        latest = progress;
        log.progress(line(progress));
      },
      onRequestEvent: log.onRequestEvent,
      stop: () => {
        stopped = true;
        log.stop();
      },
      last: () => latest,
    };
  }

  const cliProgress = loadCliProgress();
  let drawing = false;
  // The bar redraws its one line in place, so a line written to stderr meanwhile would be drawn
  // over: while it is drawn, waits are shown at its end instead (counting down), not printed.
  const log = new WorkLog({
    output: (line) => {
      if (!drawing) process.stderr.write(line);
    },
    pending,
  });
  const format: GenericFormatter = (options, params, payload) => {
    const text = cliProgress.Format.Formatter({ ...options, format: FORMAT }, params, payload);
    const notice = log.notice();
    return notice ? `${text} | ${notice}` : text;
  };
  const bar = new cliProgress.SingleBar(
    { stream: process.stderr, format, hideCursor: true },
    cliProgress.Presets.shades_classic,
  );
  return {
    onProgress(progress) {
      latest = progress;
      if (stopped) return;
      const values = {
        label,
        applied: progress.applied,
        protected: progress.protected,
        failed: progress.failed,
        rate: rate(progress),
      };
      if (!drawing) {
        bar.start(progress.pagesTotal, progress.pagesDone, values);
        drawing = true;
      } else bar.update(progress.pagesDone, values);
    },
    onRequestEvent: log.onRequestEvent,
    stop: () => {
      // For good: a bar started again after a notice would be drawn over it.
      stopped = true;
      log.stop();
      bar.stop();
      drawing = false;
    },
    last: () => latest,
  };
}
