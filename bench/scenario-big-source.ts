import { openEmulatorProcess } from "./emulator-process.ts";
import { windowBudget } from "./limited-workspace.ts";
import type { BenchOptions } from "./options.ts";
import { progress, ticker } from "./progress.ts";
import { pullLowerBound } from "./pull-bound.ts";
import { writeRequestLog } from "./request-log-file.ts";
import type { Row } from "./rows.ts";
import { fixed, pages, percent, row, seconds, times, verdict, whole } from "./rows.ts";
import { windowUse } from "./window-use.ts";

/** The budget of this scenario, requests/s (issue 15: 10/s). */
const RATE = 10;
/** How close to requests ÷ budget the pull must come (issue 15). */
const WALL_GOAL = 1.15;

export interface BigSourceFigures {
  pages: number;
  latencyMs: number;
  budget: number;
  windowMs: number;
  requests: number;
  bound: number;
  wallMs: number;
  /** requests ÷ budget: the wall time a pull bound by the budget takes. */
  budgetBoundMs: number;
  /** Queries × latency: the wall time one cursor chain walked alone takes. */
  chainBoundMs: number;
  share: number;
  mirrored: number;
}

/**
 * Scenario 6: one big data source (50,000 pages) at 800 ms a request under a budget of 10/s,
 * the client told nothing. One cursor chain walked alone is bound by latency (500 queries ×
 * 0.8 s), not by the budget (500 ÷ 10/s): the goal, wall ≤ 1.15 × requests ÷ budget, needs the
 * data source read in parallel windows. The figure is reported as it is measured, whichever way
 * the pull walks.
 */
export async function bigSourceScenario(
  options: BenchOptions,
): Promise<{ rows: Row[]; figures: BigSourceFigures }> {
  progress(`big source: generating one data source of ${options.bigPages} pages`);
  // Notion's work is not the client's: the emulator runs in a process of its own, as in the
  // budget rows (see openEmulatorProcess).
  const workspace = await openEmulatorProcess(
    { pages: options.bigPages, dataSources: 1 },
    { rate: RATE, latencyMs: options.bigLatencyMs, windowMs: options.budgetWindowMs },
  );
  try {
    const limit = windowBudget(RATE, options.budgetWindowMs);
    const budget = limit && limit.kind === "window" ? limit.requests : RATE;
    await workspace.limit();
    const { project, seed } = workspace;
    const bound = pullLowerBound(
      seed,
      project.config.dataSources.map((source) => source.id),
    );
    progress(
      `big source: ~${bound.total} requests under ${budget} per ${seconds(options.budgetWindowMs)}, ${options.bigLatencyMs} ms each`,
    );
    const api = project.api(Infinity);
    const start = (await workspace.requests()).length;
    const stop = ticker("big source", () => `${api.stats.requests} requests sent`);
    const { summary, wallMs } = await project.pull(api, true).finally(stop);
    const entries = (await workspace.requests()).slice(start);
    writeRequestLog(options, "big-source", entries);
    const figures: BigSourceFigures = {
      pages: options.bigPages,
      latencyMs: options.bigLatencyMs,
      budget,
      windowMs: options.budgetWindowMs,
      requests: entries.length,
      bound: bound.total,
      wallMs,
      budgetBoundMs: (entries.length / RATE) * 1000,
      chainBoundMs: bound.queries * options.bigLatencyMs,
      share: windowUse(entries, budget).share,
      mirrored: summary.dataSources.reduce((sum, source) => sum + source.livePages, 0),
    };
    return { rows: bigSourceRows(figures), figures };
  } finally {
    await workspace.close();
  }
}

function bigSourceRows(figures: BigSourceFigures): Row[] {
  const label = `one data source of ${pages(figures.pages)} pages @ ${RATE}/s (${figures.budget} per ${seconds(figures.windowMs)}), ${whole(figures.latencyMs)} ms, budget untold`;
  const ratio = figures.wallMs / figures.budgetBoundMs;
  return [
    row(label, "wall time", seconds(figures.wallMs), {
      bound: `requests ÷ budget = ${seconds(figures.budgetBoundMs)} (${whole(figures.requests)} requests, bound ${whole(figures.bound)}); one cursor chain alone: ≥ ${seconds(figures.chainBoundMs)}`,
      ratio: times(ratio),
      goal: `≤ ${fixed(WALL_GOAL, 2)}× (bound by the budget, not latency)`,
      verdict: verdict(ratio <= WALL_GOAL),
    }),
    row(label, "share of the window budget / pages mirrored", percent(figures.share), {
      bound: `${whole(figures.mirrored)} of ${whole(figures.pages)} pages mirrored`,
      goal: "all pages",
      verdict: verdict(figures.mirrored === figures.pages),
    }),
  ];
}
