import type { MultiBar, SingleBar } from "cli-progress";
import { loadCliProgress } from "./load-cli-progress.ts";
import type { PullProgress } from "../mirror/pull.ts";
import type { RequestObserver } from "../notion/request-events.ts";
import { stderrIsTty } from "./context.ts";
import { WorkLog } from "./work-log.ts";

/** What a command's progress display takes: the library's progress and the API's request events. */
export interface ProgressDisplay<P> {
  onProgress: (event: P) => void;
  /** For NotionApiOptions.onEvent: retries and waits, shown with their reason. */
  onRequestEvent: RequestObserver;
  /** Idempotent. */
  stop: () => void;
}

/**
 * `sync pull`'s progress on stderr. On a terminal: a bar per data source (pages so far, rate,
 * ETA against the last pull's count), with waits and retries printed above the bars. Off a
 * terminal: a line every few seconds once the pull runs that long, and every wait and retry with
 * its reason and what is still to pull. `dataSources` is how many the pull covers.
 */
export function pullProgressDisplay(options: {
  dataSources: number;
}): ProgressDisplay<PullProgress> {
  const sources = new Map<string, { pages: number; done: boolean }>();
  const totals = () => {
    let pages = 0;
    let done = 0;
    for (const source of sources.values()) {
      pages += source.pages;
      if (source.done) done += 1;
    }
    return { pages, done };
  };
  const pending = () => {
    const { pages, done } = totals();
    const left = options.dataSources - done;
    if (sources.size === 0) return `${plural(options.dataSources, "data source")} to pull`;
    return `${left} of ${plural(options.dataSources, "data source")} still to pull (${plural(pages, "page")} read so far)`;
  };
  const track = (event: PullProgress) =>
    sources.set(event.alias, { pages: event.pages, done: event.done });

  const line = () => {
    const { pages, done } = totals();
    return `sync pull: ${plural(pages, "page")} read; ${done} of ${plural(options.dataSources, "data source")} done`;
  };

  if (!stderrIsTty()) {
    const log = new WorkLog({ output: (text) => process.stderr.write(text), pending });
    // From the start, so that a pull whose first answers are slow still says so.
    log.progress(line());
    return {
      onProgress(event) {
        track(event);
        log.progress(line());
      },
      onRequestEvent: log.onRequestEvent,
      stop: () => log.stop(),
    };
  }

  const cliProgress = loadCliProgress();
  const bars: MultiBar = new cliProgress.MultiBar(
    {
      stream: process.stderr,
      format: " {alias} | {bar} | {value} pages | {rate}/s | ETA {eta_formatted}",
      hideCursor: true,
      clearOnComplete: false,
      etaBuffer: 50,
      // A line printed above the bars clears the line a bar was on: redraw every bar each time,
      // not only the ones that changed, or a bar waiting out a Retry-After would vanish.
      forceRedraw: true,
    },
    cliProgress.Presets.shades_classic,
  );
  const started = new Map<string, { bar: SingleBar; at: number }>();
  let drawing = false;
  // While bars are drawn, a line written straight to stderr would land inside them: the bars
  // print it above themselves at their next redraw instead.
  const log = new WorkLog({
    output: (line) => (drawing ? bars.log(line) : process.stderr.write(line)),
    pending,
  });
  return {
    onProgress(event) {
      track(event);
      let entry = started.get(event.alias);
      if (!entry) {
        entry = {
          bar: bars.create(event.expected ?? 100, 0, { alias: event.alias.padEnd(24), rate: "0" }),
          at: performance.now(),
        };
        started.set(event.alias, entry);
        drawing = true;
      }
      const seconds = (performance.now() - entry.at) / 1000;
      const total = Math.max(event.expected ?? 0, event.pages, event.done ? event.pages : 1);
      entry.bar.setTotal(total);
      entry.bar.update(event.pages, {
        rate: seconds > 0 ? (event.pages / seconds).toFixed(0) : "0",
      });
    },
    onRequestEvent: log.onRequestEvent,
    stop: () => {
      log.stop();
      if (drawing) bars.update(); // prints what is still held above the bars
      bars.stop();
      drawing = false;
    },
  };
}

/** "1 page", "1,234 pages". */
export function plural(count: number, noun: string): string {
  return `${count.toLocaleString("en-US")} ${noun}${count === 1 ? "" : "s"}`;
}
