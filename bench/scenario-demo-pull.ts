import { demoWorkspace } from "../src/emulator/index.ts";
import { openWorkspace } from "./limited-workspace.ts";
import type { BenchOptions } from "./options.ts";
import { progress } from "./progress.ts";
import { pullLowerBound } from "./pull-bound.ts";
import type { Row } from "./rows.ts";
import type { PullFigures } from "./scenario-full-pull.ts";
import { pullRows } from "./scenario-full-pull.ts";
import { serverCounter } from "./server-counts.ts";

/** Scenario 1b: the demo workspace (12 data sources, 105 pages) pulled at the realistic rate. */
export async function demoPullScenario(
  options: BenchOptions,
): Promise<{ rows: Row[]; figures: PullFigures }> {
  const seed = demoWorkspace();
  const workspace = await openWorkspace(seed, options);
  try {
    workspace.limit();
    const { project } = workspace;
    const bound = pullLowerBound(
      seed,
      project.config.dataSources.map((source) => source.id),
    );
    progress(`demo pull: ${project.config.dataSources.length} data sources at ${options.rate}/s`);
    const api = project.api(options.rate);
    const served = serverCounter(workspace.emulator);
    const { summary, wallMs } = await project.pull(api, true);
    const figures: PullFigures = {
      requests: summary.requests,
      byKind: { ...api.stats.byKind },
      bound,
      wallMs,
      rateBoundMs: (summary.requests / options.rate) * 1000,
      rateLimited: served().rateLimited,
      pages: summary.dataSources.reduce((sum, source) => sum + source.livePages, 0),
    };
    const label = `demo pull (${project.config.dataSources.length} DS) @ ${options.rate}/s, ${options.latencyMs} ms`;
    return { rows: pullRows(label, figures, options.rate), figures };
  } finally {
    await workspace.close();
  }
}
