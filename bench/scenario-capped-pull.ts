import { scaleWorkspace } from "../src/emulator/index.ts";
import { openWorkspace } from "./limited-workspace.ts";
import type { BenchOptions } from "./options.ts";
import { progress } from "./progress.ts";
import { pullLowerBound } from "./pull-bound.ts";
import type { Row } from "./rows.ts";
import { pages, row, seconds, times, verdict, whole } from "./rows.ts";

export interface CappedPullFigures {
  pages: number;
  cap: number;
  requests: number;
  bound: { total: number; windows: number; queries: number; probes: number; slices: number };
  windows: number;
  cappedWindows: number;
  mirrored: number;
  wallMs: number;
}

/**
 * Scenario 1c: one data source larger than Notion's per-query cap (10,000 results, then
 * `request_status: incomplete`), pulled with the rate limit off. Every page must be mirrored,
 * and the windows that get past the cap may add at most one request each to the lower bound.
 */
export async function cappedPullScenario(
  options: BenchOptions,
): Promise<{ rows: Row[]; figures: CappedPullFigures }> {
  const seed = scaleWorkspace({ pages: options.cappedPages, dataSources: 1 });
  const workspace = await openWorkspace(seed, options);
  try {
    workspace.emulator.setQueryResultLimit(options.queryCap);
    const { project } = workspace;
    const sources = project.config.dataSources.map((source) => source.id);
    const bound = pullLowerBound(seed, sources, { cap: options.queryCap });
    progress(
      `capped pull: ${whole(options.cappedPages)} pages in one data source, ${whole(options.queryCap)} results per query`,
    );
    const api = project.api(Infinity);
    const { summary, wallMs } = await project.pull(api, true);
    const [source] = summary.dataSources;
    const figures: CappedPullFigures = {
      pages: options.cappedPages,
      cap: options.queryCap,
      requests: summary.requests,
      bound,
      windows: source?.windows ?? 0,
      cappedWindows: source?.cappedWindows ?? 0,
      mirrored: source?.livePages ?? 0,
      wallMs,
    };
    const label = `pull past the cap: ${pages(options.cappedPages)} pages / 1 DS, ${whole(options.queryCap)} per query`;
    return {
      rows: [
        row(label, "requests", whole(figures.requests), {
          bound: `${whole(bound.total)} = ${bound.schema} schema + ${bound.queries} query + ${bound.probes} latest-edit + ${bound.slices} slice + ${bound.windows} window`,
          ratio: times(figures.requests / bound.total),
          goal: "≤ bound (≤ 1 request per window)",
          verdict: verdict(figures.requests <= bound.total),
        }),
        row(label, "pages mirrored", whole(figures.mirrored), {
          bound: `${whole(bound.livePagesBySource.get(sources[0] ?? "") ?? 0)} live in Notion`,
          ratio: `${figures.windows} windows, ${figures.cappedWindows} capped; ${seconds(wallMs)}`,
          goal: "all",
          verdict: verdict(
            figures.mirrored === (bound.livePagesBySource.get(sources[0] ?? "") ?? -1),
          ),
        }),
      ],
      figures,
    };
  } finally {
    await workspace.close();
  }
}
