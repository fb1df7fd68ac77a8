import type { BenchWorkspace } from "./limited-workspace.ts";
import type { BenchOptions } from "./options.ts";
import { progress } from "./progress.ts";
import { pullLowerBound } from "./pull-bound.ts";
import type { Row } from "./rows.ts";
import { fixed, percent, row, seconds, verdict, whole } from "./rows.ts";

export interface IncrementalFigures {
  dataSources: number;
  unchanged: { requests: number; wallMs: number; modes: string[] };
  changed: {
    edited: number;
    requests: number;
    bound: number;
    pagesWritten: number;
    wallMs: number;
  };
}

/**
 * Scenario 2: incremental pulls of the workspace the full pull left, at the same rate limit:
 * once unchanged, once after a person edited `changedShare` of the pages. Requests per data
 * source against the fewest possible (one schema read + the queries the edited pages need).
 */
export async function incrementalScenario(
  options: BenchOptions,
  workspace: BenchWorkspace,
): Promise<{ rows: Row[]; figures: IncrementalFigures }> {
  const { project, seed } = workspace;
  const sources = project.config.dataSources.map((source) => source.id);
  const count = sources.length;

  progress("incremental pull: unchanged workspace");
  const quiet = await project.pull(project.api(options.rate));
  const unchanged = {
    requests: quiet.summary.requests,
    wallMs: quiet.wallMs,
    modes: [...new Set(quiet.summary.dataSources.map((source) => source.mode))],
  };

  const live = pullLowerBound(seed, sources);
  const total = [...live.livePagesBySource.values()].reduce((a, b) => a + b, 0);
  const wanted = Math.max(1, Math.round(total * options.changedShare));
  const edited = editEvenly(workspace, sources, wanted);
  progress(`incremental pull: after a person edited ${edited.length} pages`);
  const bound = pullLowerBound({ ...seed, pages: edited }, sources, { incremental: true }).total;
  const busy = await project.pull(project.api(options.rate));
  const changed = {
    edited: edited.length,
    requests: busy.summary.requests,
    bound,
    pagesWritten: busy.summary.dataSources.reduce((sum, source) => sum + source.pagesWritten, 0),
    wallMs: busy.wallMs,
  };
  const perSource = (requests: number) => fixed(requests / count, 2);
  const label = `incremental pull (${whole(total)} pages / ${count} DS)`;
  return {
    rows: [
      row(label, "unchanged: requests per DS", perSource(unchanged.requests), {
        bound: `3.00 (schema + one empty query + one trash query); ${unchanged.requests} in all, ${seconds(unchanged.wallMs)}`,
        ratio: `mode: ${unchanged.modes.join("/")}`,
        goal: "≤ 3 per DS",
        verdict: verdict(unchanged.requests <= 3 * count),
      }),
      row(
        label,
        `${percent(options.changedShare)} edited (${changed.edited} pages): requests per DS`,
        perSource(changed.requests),
        {
          bound: `${perSource(changed.bound)} (${changed.bound} in all); ${seconds(changed.wallMs)}`,
          ratio: `${changed.pagesWritten} pages re-read`,
          goal: "= bound",
          verdict: verdict(changed.requests <= changed.bound),
        },
      ),
    ],
    figures: { dataSources: count, unchanged, changed },
  };
}

/**
 * Edits `wanted` live pages spread evenly over the workspace, as a person would; returns their
 * seed objects (relations complete, for the bound).
 */
function editEvenly(
  workspace: BenchWorkspace,
  sources: readonly string[],
  wanted: number,
): BenchWorkspace["seed"]["pages"] {
  const inScope = new Set(sources);
  const candidates = workspace.seed.pages.filter((page) => {
    const parent = page.parent as { data_source_id?: string } | undefined;
    return parent?.data_source_id && inScope.has(parent.data_source_id) && !page.in_trash;
  });
  const step = candidates.length / wanted;
  const edited: BenchWorkspace["seed"]["pages"] = [];
  for (let k = 0; k < wanted && k * step < candidates.length; k += 1) {
    const page = candidates[Math.floor(k * step)];
    if (!page) continue;
    workspace.emulator.editAsPerson({
      pageId: String(page.id),
      properties: {
        Notes: { rich_text: [{ type: "text", text: { content: `Edited by the bench (${k})` } }] },
      },
    });
    edited.push(page);
  }
  return edited;
}
