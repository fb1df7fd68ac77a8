import { scaleWorkspace } from "../src/emulator/index.ts";
import type { BenchWorkspace } from "./limited-workspace.ts";
import { openWorkspace } from "./limited-workspace.ts";
import type { BenchOptions } from "./options.ts";
import { progress, ticker } from "./progress.ts";
import { pullLowerBound } from "./pull-bound.ts";
import type { Row } from "./rows.ts";
import { fixed, pages, row, seconds, times, verdict, whole } from "./rows.ts";
import { serverCounter } from "./server-counts.ts";

/** How close to requests ÷ rate a paced run must come to count as keeping the limit saturated. */
export const SATURATED = 1.1;

export interface PullFigures {
  requests: number;
  byKind: Record<string, number>;
  bound: {
    schema: number;
    queries: number;
    probes: number;
    slices: number;
    windows: number;
    properties: number;
    total: number;
  };
  wallMs: number;
  rateBoundMs: number;
  rateLimited: number;
  pages: number;
}

/**
 * Scenario 1: a first (full) pull of a generated workspace at the realistic rate limit and
 * latency. Requests against the fewest possible (computed from the seed), wall time against
 * requests ÷ rate. Leaves the workspace open for the incremental scenario.
 */
export async function fullPullScenario(
  options: BenchOptions,
): Promise<{ rows: Row[]; figures: PullFigures; workspace: BenchWorkspace }> {
  progress(
    `full pull: generating ${options.pullPages} pages over ${options.dataSources} data sources`,
  );
  const seed = scaleWorkspace({ pages: options.pullPages, dataSources: options.dataSources });
  const workspace = await openWorkspace(seed, options);
  workspace.limit();
  const { project, emulator } = workspace;
  const bound = pullLowerBound(
    seed,
    project.config.dataSources.map((source) => source.id),
  );
  const api = project.api(options.rate);
  const served = serverCounter(emulator);
  progress(
    `full pull: ~${bound.total} requests at ${options.rate}/s, ${options.latencyMs} ms latency`,
  );
  const stop = ticker("full pull", () => `${api.stats.requests} requests sent`);
  const { summary, wallMs } = await project.pull(api, true).finally(stop);
  const figures: PullFigures = {
    requests: summary.requests,
    byKind: { ...api.stats.byKind },
    bound,
    wallMs,
    rateBoundMs: (summary.requests / options.rate) * 1000,
    rateLimited: served().rateLimited,
    pages: summary.dataSources.reduce((sum, source) => sum + source.livePages, 0),
  };
  const label = `full pull ${pages(options.pullPages)} pages / ${options.dataSources} DS @ ${options.rate}/s, ${options.latencyMs} ms`;
  return { rows: pullRows(label, figures, options.rate), figures, workspace };
}

/** The rows of a paced full pull: requests vs bound, wall vs requests ÷ rate, 429s. */
export function pullRows(label: string, figures: PullFigures, rate: number): Row[] {
  const { bound } = figures;
  const wallRatio = figures.wallMs / figures.rateBoundMs;
  return [
    row(label, "requests", whole(figures.requests), {
      bound: `${whole(bound.total)} = ${bound.schema} schema + ${bound.queries} query + ${bound.probes} latest-edit + ${bound.slices} slice + ${bound.windows} window + ${bound.properties} property`,
      ratio: times(figures.requests / bound.total),
      goal: "= bound",
      verdict: verdict(figures.requests <= bound.total),
    }),
    row(label, "wall time", seconds(figures.wallMs), {
      bound: `requests ÷ rate = ${seconds(figures.rateBoundMs)}`,
      ratio: times(wallRatio),
      goal: `≤ ${fixed(SATURATED, 2)}× (limit saturated)`,
      verdict: verdict(wallRatio <= SATURATED),
    }),
    row(label, "pages mirrored / 429 answers", `${whole(figures.pages)} / ${figures.rateLimited}`, {
      bound: `${(figures.requests / (figures.wallMs / 1000)).toFixed(2)} req/s sent of ${rate}`,
      goal: "0 × 429",
      verdict: verdict(figures.rateLimited === 0),
    }),
  ];
}
