// `npm run bench`: every performance figure of the issues, each beside its bound or baseline
// measured in the same run. One table on stdout, the same figures as JSON in bench/results/.
// Progress goes to stderr. `--quick` runs tiny sizes in seconds (the smoke test).
import { mkdirSync, writeFileSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { scaleWorkspace } from "../src/emulator/index.ts";
import type { BenchWorkspace } from "./limited-workspace.ts";
import { openWorkspace } from "./limited-workspace.ts";
import type { BenchOptions, ScenarioName } from "./options.ts";
import { USAGE, parseBenchArgs } from "./options.ts";
import { progress } from "./progress.ts";
import { renderTable } from "./render-table.ts";
import type { Row } from "./rows.ts";
import { row, seconds } from "./rows.ts";
import { cappedPullScenario } from "./scenario-capped-pull.ts";
import { demoPullScenario } from "./scenario-demo-pull.ts";
import { fullPullScenario } from "./scenario-full-pull.ts";
import { incrementalScenario } from "./scenario-incremental.ts";
import { pushScenario } from "./scenario-push.ts";
import { scaleScenario } from "./scenario-scale.ts";
import { budgetScenario } from "./scenario-budget.ts";
import { bigSourceScenario } from "./scenario-big-source.ts";

interface ScenarioOutcome {
  rows: Row[];
  figures: unknown;
}

/** Runs the chosen scenarios in order; a failing one becomes a row, and the others still run. */
export async function runBench(
  options: BenchOptions,
): Promise<{ rows: Row[]; failed: number; json: object }> {
  const started = performance.now();
  const rows: Row[] = [];
  const figures: Partial<Record<ScenarioName, unknown>> = {};
  let failed = 0;
  let pulled: BenchWorkspace | undefined;
  const run = async (name: ScenarioName, work: () => Promise<ScenarioOutcome>) => {
    if (!options.scenarios.includes(name)) return;
    const scenarioStarted = performance.now();
    try {
      const outcome = await work();
      rows.push(...outcome.rows);
      figures[name] = outcome.figures;
      progress(`${name}: done in ${seconds(performance.now() - scenarioStarted)}`);
    } catch (error) {
      failed += 1;
      const message = error instanceof Error ? error.message : String(error);
      progress(`${name}: FAILED: ${error instanceof Error ? (error.stack ?? message) : message}`);
      rows.push(row(name, "scenario failed", message.split("\n")[0] ?? "", { verdict: "missed" }));
    }
  };
  try {
    await run("full-pull", async () => {
      const outcome = await fullPullScenario(options);
      pulled = outcome.workspace;
      return outcome;
    });
    await run("incremental", async () => {
      pulled ??= await pulledUnpaced(options);
      return incrementalScenario(options, pulled);
    });
  } finally {
    await pulled?.close();
  }
  await run("demo-pull", () => demoPullScenario(options));
  await run("capped-pull", () => cappedPullScenario(options));
  await run("push", () => pushScenario(options));
  await run("scale", () => scaleScenario(options));
  await run("budget", () => budgetScenario(options));
  await run("big-source", () => bigSourceScenario(options));
  const totalMs = performance.now() - started;
  rows.push(row("bench", "total wall time", seconds(totalMs), { bound: sizes(options) }));
  const json = {
    finishedAt: new Date().toISOString(),
    node: process.version,
    platform: `${process.platform} ${process.arch}`,
    options,
    totalMs,
    rows,
    figures,
  };
  return { rows, failed, json };
}

/** The incremental scenario on its own: load the workspace with the limit off, then limit it. */
async function pulledUnpaced(options: BenchOptions): Promise<BenchWorkspace> {
  progress(`incremental: loading ${options.pullPages} pages with the rate limit off`);
  const workspace = await openWorkspace(
    scaleWorkspace({ pages: options.pullPages, dataSources: options.dataSources }),
    options,
  );
  await workspace.project.pull(workspace.project.api(Infinity), true);
  workspace.limit();
  return workspace;
}

function sizes(options: BenchOptions): string {
  return [
    options.quick ? "--quick" : "",
    `pull ${options.pullPages} pages / ${options.dataSources} DS`,
    `rate ${options.rate}/s, ${options.latencyMs} ms`,
    `push ${options.pushFills} fills`,
    `scale ${options.scaleSizes.join(", ")}`,
    `budgets ${options.budgetRates.join(", ")}/s per ${options.budgetWindowMs / 1000} s`,
    `big source ${options.bigPages} pages, ${options.bigLatencyMs} ms`,
  ]
    .filter(Boolean)
    .join("; ");
}

async function main(): Promise<void> {
  let options: BenchOptions | "help";
  try {
    options = parseBenchArgs(process.argv.slice(2));
  } catch (error) {
    console.error((error as Error).message);
    process.exitCode = 2;
    return;
  }
  if (options === "help") {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  progress(`scenarios: ${options.scenarios.join(", ")} (${sizes(options)})`);
  const { rows, failed, json } = await runBench(options);
  const out = resolve(options.out);
  mkdirSync(dirname(out), { recursive: true });
  writeFileSync(out, `${JSON.stringify(json, null, 2)}\n`);
  process.stdout.write(`${renderTable(rows)}\n`);
  progress(`results written to ${out}`);
  if (failed > 0) process.exitCode = 1;
}

await main();
