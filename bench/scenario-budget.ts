import { pushRun, selectPushRun } from "../src/apply/push.ts";
import { locateRevertTarget, revertRun } from "../src/apply/revert.ts";
import { openMirror } from "../src/mirror/open-mirror.ts";
import type { NotionApi } from "../src/notion/notion-api.ts";
import type { EmulatorProcessWorkspace } from "./emulator-process.ts";
import { openEmulatorProcess } from "./emulator-process.ts";
import { windowBudget } from "./limited-workspace.ts";
import type { BenchOptions } from "./options.ts";
import { progress, ticker } from "./progress.ts";
import { writeRequestLog } from "./request-log-file.ts";
import type { Row } from "./rows.ts";
import { percent, row, seconds, verdict, whole } from "./rows.ts";
import { planFills } from "./scenario-push.ts";
import type { WindowUse } from "./window-use.ts";
import { windowUse } from "./window-use.ts";
import type { WindowFigures } from "./write-window.ts";
import { windowFigures, writeWindows } from "./write-window.ts";

/** Share of each window's budget a run must use (issue 15). */
const SHARE_GOAL = 0.9;
/** Pages of each small data source pulled under a budget: one query each. */
const PAGES_PER_SOURCE = 50;
/** Today's behaviour before budgets were learned: a fixed pace of 3 requests/s. */
const FIXED_RATE = 3;
/** What a page's write may take beyond one round trip after its live read (issue 11). */
const WINDOW_SLACK_MS = 50;

export interface BudgetRun {
  what: "pull" | "push" | "revert";
  /** Requests per second on average the window allows. */
  rate: number;
  /** Requests per window, and the window. */
  budget: number;
  windowMs: number;
  /** The client's ceiling, when it had one (the baseline's fixed pace). */
  ceiling: number | undefined;
  requests: number;
  wallMs: number;
  /** CPU time of the client's process during the run (the emulator runs in another). */
  cpuMs: number;
  /** What the client learned of the budget and window (undefined: not learned). */
  learned: { budget: number | undefined; windowMs: number | undefined };
  use: WindowUse;
  /** Push and revert: from each page's latest live read to its write that landed. */
  writeWindow?: WindowFigures;
  latencyMs: number;
}

/**
 * Scenario 5: pulls, pushes and reverts under Notion's per-connection budget (a fixed number of
 * requests per window, 429 with the seconds to the reset past it), the client told nothing: the
 * share of each window's budget it spent, and how many 429s it drew per window, at budgets of
 * 3, 10 and 30 requests/s. Each run is sized to a few windows' worth of requests: a pull of many
 * small data sources (so the walk is bound by the budget, not by one cursor chain's latency), a
 * push and a revert of that many fills. The baseline is the fixed 3/s pace of before, under the
 * 10/s budget (or the smallest budget above 3/s that is run). The emulator runs in a process of
 * its own, as Notion does: in the client's, its CPU took turns with the client's on one thread,
 * and at 30/s the two together, not the client, set the pace.
 */
export async function budgetScenario(
  options: BenchOptions,
): Promise<{ rows: Row[]; figures: BudgetRun[] }> {
  const runs: BudgetRun[] = [];
  for (const rate of options.budgetRates) {
    const budget = budgetOf(rate, options);
    runs.push(await pullUnder(options, rate, budget, undefined));
    runs.push(...(await pushAndRevertUnder(options, rate, budget)));
  }
  const baselineRate =
    options.budgetRates.find((rate) => rate === 10) ??
    options.budgetRates.find((rate) => rate > FIXED_RATE);
  if (baselineRate !== undefined) {
    // The workload of the fixed pace's own budget, so that it spans as many windows as there.
    const budget = budgetOf(baselineRate, options);
    const sized = Math.max(2, Math.round(budgetOf(FIXED_RATE, options) * options.budgetWindows));
    runs.push(await pullUnder(options, baselineRate, budget, FIXED_RATE, sized));
  }
  return { rows: runs.flatMap(budgetRows), figures: runs };
}

function budgetOf(rate: number, options: BenchOptions): number {
  const limit = windowBudget(rate, options.budgetWindowMs);
  return limit && limit.kind === "window" ? limit.requests : 1;
}

/** A pull of `requests ÷ 2` small data sources (a schema read and one query each). */
async function pullUnder(
  options: BenchOptions,
  rate: number,
  budget: number,
  ceiling: number | undefined,
  requests = budget * options.budgetWindows,
): Promise<BudgetRun> {
  const sources = Math.max(1, Math.ceil(requests / 2));
  const workspace = await openEmulatorProcess(
    { pages: sources * PAGES_PER_SOURCE, dataSources: sources },
    { rate, latencyMs: options.latencyMs, windowMs: options.budgetWindowMs },
  );
  try {
    await workspace.limit();
    const api = workspace.project.api(ceiling ?? Infinity);
    return await measured(workspace, api, { what: "pull", rate, budget, ceiling }, options, () =>
      workspace.project.pull(api, true).then(() => undefined),
    );
  } finally {
    await workspace.close();
  }
}

/** A push of `budget × windows ÷ 2` fills (a read and a write each), then its revert. */
async function pushAndRevertUnder(
  options: BenchOptions,
  rate: number,
  budget: number,
): Promise<BudgetRun[]> {
  const fills = Math.max(1, Math.ceil((budget * options.budgetWindows) / 2));
  const workspace = await openEmulatorProcess(
    { pages: fills * 4 + 50, dataSources: 1 },
    { rate, latencyMs: options.latencyMs, windowMs: options.budgetWindowMs },
  );
  try {
    const { runId } = await planFills(workspace, fills);
    const mirror = openMirror(workspace.project.config.mirrorPath);
    try {
      const config = workspace.project.config;
      const push = await fresh(workspace, async (api) =>
        measured(workspace, api, { what: "push", rate, budget, ceiling: undefined }, options, () =>
          pushRun(config, mirror, api, selectPushRun(mirror, runId)).then(() => undefined),
        ),
      );
      const revert = await fresh(workspace, async (api) =>
        measured(
          workspace,
          api,
          { what: "revert", rate, budget, ceiling: undefined },
          options,
          () =>
            revertRun(
              locateRevertTarget(config.snapshotsDir, mirror, { runId }),
              mirror,
              api,
              config.snapshotsDir,
            ).then(() => undefined),
        ),
      );
      return [push, revert];
    } finally {
      mirror.close();
    }
  } finally {
    await workspace.close();
  }
}

/** Runs `work` from a fresh window of the budget (the limit set anew) with a client told nothing. */
async function fresh<T>(
  workspace: EmulatorProcessWorkspace,
  work: (api: NotionApi) => Promise<T>,
): Promise<T> {
  await workspace.limit();
  return work(workspace.project.api(Infinity));
}

async function measured(
  workspace: EmulatorProcessWorkspace,
  api: NotionApi,
  run: Pick<BudgetRun, "what" | "rate" | "budget" | "ceiling">,
  options: BenchOptions,
  work: () => Promise<void>,
): Promise<BudgetRun> {
  const windowMs = options.budgetWindowMs;
  const start = (await workspace.requests()).length;
  const pace = run.ceiling === undefined ? "told nothing" : `paced at a fixed ${run.ceiling}/s`;
  progress(
    `budget ${run.budget} per ${seconds(windowMs)} (${run.rate}/s): ${run.what}, ${pace}, ${options.latencyMs} ms`,
  );
  const stop = ticker(`budget ${run.what}`, () => `${api.stats.requests} requests sent`);
  const started = performance.now();
  const cpuBefore = process.cpuUsage();
  await work().finally(stop);
  const cpu = process.cpuUsage(cpuBefore);
  const wallMs = performance.now() - started;
  const entries = (await workspace.requests()).slice(start);
  writeRequestLog(
    options,
    `budget-${run.what}-${run.rate}ps${run.ceiling === undefined ? "" : `-fixed-${run.ceiling}ps`}`,
    entries,
  );
  const landed = entries.filter(
    (entry) => entry.method === "GET" || (entry.method === "PATCH" && entry.status === 200),
  );
  return {
    ...run,
    windowMs,
    requests: entries.length,
    wallMs,
    cpuMs: (cpu.user + cpu.system) / 1000,
    learned: api.learned(),
    use: windowUse(entries, run.budget),
    latencyMs: options.latencyMs,
    ...(run.what === "pull" ? {} : { writeWindow: windowFigures(writeWindows(landed)) }),
  };
}

function budgetRows(run: BudgetRun): Row[] {
  const baseline = run.ceiling !== undefined;
  const label = `${run.what} under ${run.budget} per ${seconds(run.windowMs)} (${run.rate}/s), ${
    baseline ? `fixed ${run.ceiling}/s (before: the baseline)` : "budget untold"
  }`;
  const { use } = run;
  const accepted = use.perWindow.slice(0, -1).reduce((sum, window) => sum + window.accepted, 0);
  const learned =
    run.learned.budget === undefined
      ? "not learned"
      : `learned ${run.learned.budget}${run.learned.windowMs === undefined ? "" : ` per ${seconds(run.learned.windowMs)}`}`;
  const total429 = use.perWindow.reduce((sum, window) => sum + window.refused, 0);
  return [
    row(label, "share of the window budget used", percent(use.share), {
      bound: `${whole(accepted)} accepted in ${use.fullWindows} full windows of ${run.budget}; ${whole(run.requests)} requests in ${seconds(run.wallMs)}, client CPU ${(run.cpuMs / Math.max(1, run.requests)).toFixed(1)} ms each; ${baseline ? `paced at ${run.ceiling}/s: at most ${percent((run.ceiling ?? 0) / run.rate)} of it` : learned}`,
      goal: baseline ? "(baseline)" : `≥ ${percent(SHARE_GOAL)}`,
      verdict: baseline ? "" : verdict(use.fullWindows > 0 && use.share >= SHARE_GOAL),
    }),
    row(label, "429s per window after the first", String(use.most429AfterFirst), {
      bound: `${total429} in ${use.windows} windows, ${use.first429} in the first`,
      goal: baseline ? "" : "≤ 1",
      verdict: baseline ? "" : verdict(use.most429AfterFirst <= 1),
    }),
    ...writeWindowRow(label, run),
  ];
}

/** The overwrite window of a push or revert under the budget: 16 pages may be read at once. */
function writeWindowRow(label: string, run: BudgetRun): Row[] {
  const window = run.writeWindow;
  if (!window || window.writes === 0) return [];
  const goalMs = run.latencyMs + WINDOW_SLACK_MS;
  return [
    row(
      label,
      "write window: read → write (median / p99)",
      `${whole(window.medianMs)} / ${whole(window.p99Ms)} ms`,
      {
        bound: `1 round trip = ${whole(run.latencyMs)} ms; max ${whole(window.maxMs)} ms over ${window.writes} writes`,
        goal: `p99 ≤ ${whole(goalMs)} ms`,
        verdict: verdict(window.p99Ms <= goalMs),
      },
    ),
  ];
}
