import { join } from "node:path";
import { scaleWorkspace } from "../src/emulator/index.ts";
import { planScanResult, pullRawResult } from "./child-messages.ts";
import { openWorkspace } from "./limited-workspace.ts";
import { writePageJsonFile } from "./page-json-file.ts";
import type { BenchOptions } from "./options.ts";
import { progress } from "./progress.ts";
import type { Row } from "./rows.ts";
import { fixed, megabytes, pages, percent, row, seconds, times, verdict, whole } from "./rows.ts";
import { runChild } from "./run-child.ts";
import { writeScaleRules } from "./scale-rules.ts";

/** Goals of issues 3 and 4, judged at 100k pages. */
const GOAL_SIZE = 100_000;
const RAW_SHARE_GOAL = 0.6;
const RSS_GOAL = 300 * 1024 * 1024;
const PLAN_GOAL_MS = 2000;
const DATA_SOURCES = 12;

export interface ScaleFigures {
  pages: number;
  pull: {
    pagesPerSecond: number;
    durationMs: number;
    cpuMs: number;
    /** Wall time the emulator (one thread, in the bench's process) had a request of the pull in hand. */
    emulatorBusyMs: number;
    requests: number;
    startRss: number;
    peakRss: number;
  };
  raw: { pagesPerSecond: number; parseInsertMs: number; bytes: number };
  plan: {
    rules: number;
    changes: number;
    durationMs: number;
    startRss: number;
    peakRss: number;
    sandboxPeakRss: number;
    sqlMs: number;
    sqlRows: number;
  };
  scan: { durationMs: number; liveRecords: number };
}

/**
 * Scenarios 4 and 5: at each size, with the rate limit off and no latency, a full pull in its
 * own process (for its own peak RSS) against the raw bound on the same page JSON, then plan with
 * ten rules and scan over the mirror it made. Rows per size, then how each cost grows.
 */
export async function scaleScenario(
  options: BenchOptions,
): Promise<{ rows: Row[]; figures: ScaleFigures[] }> {
  const figures: ScaleFigures[] = [];
  for (const size of options.scaleSizes) figures.push(await measureSize(size));
  const rows = figures.flatMap((item) => sizeRows(item));
  const first = figures[0];
  const last = figures[figures.length - 1];
  if (first && last && last !== first) rows.push(...growthRows(first, last));
  return { rows, figures };
}

async function measureSize(size: number): Promise<ScaleFigures> {
  progress(`scale ${pages(size)}: generating the workspace`);
  const seed = scaleWorkspace({ pages: size, dataSources: DATA_SOURCES });
  const workspace = await openWorkspace(seed, { rate: Infinity, latencyMs: 0 });
  try {
    const { project } = workspace;
    const pageJsonFile = join(project.dir, "page-json.txt");
    writePageJsonFile(
      seed,
      project.config.dataSources.map((source) => source.id),
      pageJsonFile,
    );
    progress(`scale ${pages(size)}: full pull, then the raw bound (child process)`);
    const served = workspace.emulator.log.all().length;
    const { pull, raw } = await runChild(
      "child-pull-raw.ts",
      {
        ...project.connection,
        configFile: project.config.file,
        workDir: project.dir,
        pageJsonFile,
      },
      pullRawResult,
    );
    const emulatorBusyMs = busyTime(workspace.emulator.log.all().slice(served));
    const rules = writeScaleRules(project.config.fillsDir);
    progress(`scale ${pages(size)}: plan with ${rules} rules, then scan (child process)`);
    const { plan, scan } = await runChild(
      "child-plan-scan.ts",
      { configFile: project.config.file },
      planScanResult,
    );
    return {
      pages: size,
      pull: { ...pull, emulatorBusyMs, pagesPerSecond: pull.pages / (pull.durationMs / 1000) },
      raw: { ...raw, pagesPerSecond: raw.pages / (raw.parseInsertMs / 1000) },
      plan,
      scan,
    };
  } finally {
    await workspace.close();
  }
}

/** The length of the union of the requests' [arrival, answer] intervals, ms. */
function busyTime(entries: ReadonlyArray<{ at: number; durationMs: number }>): number {
  const spans = entries
    .map((entry) => [entry.at, entry.at + entry.durationMs] as const)
    .sort((a, b) => a[0] - b[0]);
  let busy = 0;
  let end = -Infinity;
  for (const [from, to] of spans) {
    if (to <= end) continue;
    busy += to - Math.max(from, end);
    end = to;
  }
  return busy;
}

function sizeRows(item: ScaleFigures): Row[] {
  const label = `scale ${pages(item.pages)} pages / ${DATA_SOURCES} DS, rate limit off`;
  const share = item.pull.pagesPerSecond / item.raw.pagesPerSecond;
  const judged = (met: boolean) => (item.pages >= GOAL_SIZE ? verdict(met) : "");
  const planPeak = item.plan.peakRss + item.plan.sandboxPeakRss;
  return [
    row(label, "pull pages/s", whole(item.pull.pagesPerSecond), {
      bound: `raw JSON.parse+INSERT ${whole(item.raw.pagesPerSecond)}/s`,
      ratio: percent(share),
      goal: `≥ ${percent(RAW_SHARE_GOAL)} of raw`,
      verdict: judged(share >= RAW_SHARE_GOAL),
    }),
    row(
      label,
      "pull wall / requests",
      `${seconds(item.pull.durationMs)} / ${whole(item.pull.requests)}`,
      {
        bound: `raw ${seconds(item.raw.parseInsertMs)} for ${whole(item.raw.bytes / 1024 / 1024)} MB of JSON`,
        ratio: times(item.pull.durationMs / item.raw.parseInsertMs),
      },
    ),
    row(label, "pull CPU time (own process)", seconds(item.pull.cpuMs), {
      bound: `raw ${seconds(item.raw.parseInsertMs)}; emulator had a request in hand ${seconds(item.pull.emulatorBusyMs)}`,
      ratio: `${percent(item.raw.parseInsertMs / item.pull.cpuMs)} of raw speed`,
    }),
    row(label, "pull peak RSS", megabytes(item.pull.peakRss), {
      bound: `node+tsx before the pull ${megabytes(item.pull.startRss)}`,
      goal: `< ${megabytes(RSS_GOAL)}`,
      verdict: judged(item.pull.peakRss < RSS_GOAL),
    }),
    row(label, `plan (${item.plan.rules} rules) time`, seconds(item.plan.durationMs), {
      bound: `same SQL run directly ${seconds(item.plan.sqlMs)} (${whole(item.plan.sqlRows)} rows); ${whole(item.plan.changes)} changes planned`,
      ratio: times(item.plan.durationMs / item.plan.sqlMs),
      goal: `< ${seconds(PLAN_GOAL_MS)}`,
      verdict: judged(item.plan.durationMs < PLAN_GOAL_MS),
    }),
    row(label, "plan peak RSS", megabytes(planPeak), {
      bound: `plan process ${megabytes(item.plan.peakRss)} + SQL sandbox ${megabytes(item.plan.sandboxPeakRss)}`,
      goal: "flat in pages",
    }),
    row(label, "scan time", seconds(item.scan.durationMs), {
      bound: `${whole(item.scan.liveRecords)} records`,
    }),
  ];
}

/** The same figures at the smallest and largest size, and how much each grew for ×N pages. */
function growthRows(small: ScaleFigures, large: ScaleFigures): Row[] {
  const factor = large.pages / small.pages;
  const label = `growth ${pages(small.pages)} → ${pages(large.pages)} pages (×${fixed(factor, 0)})`;
  const linear = `≤ linear (×${fixed(factor, 0)})`;
  const grow = (
    figure: string,
    a: number,
    b: number,
    show: (value: number) => string,
    goal: string,
    met?: boolean,
  ): Row =>
    row(label, figure, `${show(a)} → ${show(b)}`, {
      ratio: times(b / a),
      goal,
      verdict: met === undefined ? "" : verdict(met),
    });
  // Linear with a quarter of slack: a machine shared with other work is noisy.
  const atMostLinear = (a: number, b: number) => b / a <= factor * 1.25;
  const planPeak = (item: ScaleFigures) => item.plan.peakRss + item.plan.sandboxPeakRss;
  return [
    grow("pull pages/s", small.pull.pagesPerSecond, large.pull.pagesPerSecond, whole, "flat"),
    grow("raw bound pages/s", small.raw.pagesPerSecond, large.raw.pagesPerSecond, whole, "flat"),
    grow(
      "pull time",
      small.pull.durationMs,
      large.pull.durationMs,
      seconds,
      linear,
      atMostLinear(small.pull.durationMs, large.pull.durationMs),
    ),
    grow(
      "pull peak RSS",
      small.pull.peakRss,
      large.pull.peakRss,
      megabytes,
      "flat (streaming)",
      large.pull.peakRss / small.pull.peakRss < 1.5,
    ),
    grow(
      "plan time",
      small.plan.durationMs,
      large.plan.durationMs,
      seconds,
      linear,
      atMostLinear(small.plan.durationMs, large.plan.durationMs),
    ),
    grow(
      "plan peak RSS",
      planPeak(small),
      planPeak(large),
      megabytes,
      "flat",
      planPeak(large) / planPeak(small) < 1.5,
    ),
    grow(
      "scan time",
      small.scan.durationMs,
      large.scan.durationMs,
      seconds,
      linear,
      atMostLinear(small.scan.durationMs, large.scan.durationMs),
    ),
  ];
}
