import { parseArgs } from "node:util";

/** The scenarios of `npm run bench`, in the order they run. */
export const SCENARIOS = [
  "full-pull",
  "incremental",
  "demo-pull",
  "capped-pull",
  "push",
  "scale",
  "budget",
  "big-source",
] as const;
export type ScenarioName = (typeof SCENARIOS)[number];

export interface BenchOptions {
  quick: boolean;
  scenarios: ScenarioName[];
  /** Pages of the workspace pulled at the rate limit (scenarios full-pull and incremental). */
  pullPages: number;
  dataSources: number;
  /** The emulator's (and the client's) rate limit, requests/s: Notion's is about 3. */
  rate: number;
  /** Latency the emulator adds to every request, ms. */
  latencyMs: number;
  /** Share of pages a person edits before the second incremental pull. */
  changedShare: number;
  /** Pages of the one data source pulled past Notion's per-query cap (scenario capped-pull). */
  cappedPages: number;
  /** The per-query result cap of that scenario (Notion's is 10,000). */
  queryCap: number;
  /** Fills pushed and reverted; the naive baseline writes as many pages. */
  pushFills: number;
  /** Workspace sizes pulled, planned and scanned with the rate limit off. */
  scaleSizes: number[];
  /** Budgets (requests/s on average) that pulls, pushes and reverts are run under, untold. */
  budgetRates: number[];
  /** The window those budgets are counted in, ms (Notion's is 60 s; shorter keeps it quick). */
  budgetWindowMs: number;
  /** Windows' worth of requests each run under a budget is sized to. */
  budgetWindows: number;
  /** Pages of the one big data source pulled under a budget (scenario big-source). */
  bigPages: number;
  /** The latency of that pull, ms. */
  bigLatencyMs: number;
  /** Where the JSON results go. */
  out: string;
  /** Where each budget run's request log goes, if anywhere (scenarios budget and big-source). */
  logDir: string | undefined;
}

const USAGE = `Usage: npm run bench -- [options]
  --quick               tiny sizes and a fast rate limit (seconds; what the smoke test runs)
  --only <scenario>     run only these (repeat or comma-separate): ${SCENARIOS.join(", ")}
  --pull-pages <n>      pages pulled at the rate limit (default 10000)
  --data-sources <n>    data sources of that workspace (default 12)
  --rate <n>            rate limit, requests/s (default 3)
  --latency <ms>        latency added per request (default 250)
  --changed <share>     share of pages edited for the incremental pull (default 0.01)
  --capped-pages <n>    pages of the data source pulled past the cap (default 100000)
  --query-cap <n>       results per query for that pull (default 10000, Notion's cap)
  --push-fills <n>      fills pushed and reverted (default 150; 500 is the full figure, ~20 min)
  --scale-sizes <a,b>   sizes pulled with the rate limit off (default 10000,100000)
  --budget-rates <a,b>  window budgets, requests/s, that runs find untold (default 3,10,30)
  --budget-window <ms>  the window they are counted in (default 6000; Notion's is 60000)
  --budget-windows <n>  windows' worth of requests per run (default 5)
  --big-pages <n>       pages of the one data source pulled at 10/s (default 50000)
  --big-latency <ms>    latency of that pull (default 800)
  --out <file>          JSON results (default bench/results/latest.json)
  --log-dir <dir>       also write each budget run's request log there (budget, big-source)`;

/** Parses the bench's command line; throws with the usage text on a bad option. */
export function parseBenchArgs(argv: readonly string[]): BenchOptions | "help" {
  const { values } = parseArgs({
    args: [...argv],
    options: {
      quick: { type: "boolean", default: false },
      only: { type: "string", multiple: true },
      "pull-pages": { type: "string" },
      "data-sources": { type: "string" },
      rate: { type: "string" },
      latency: { type: "string" },
      changed: { type: "string" },
      "capped-pages": { type: "string" },
      "query-cap": { type: "string" },
      "push-fills": { type: "string" },
      "scale-sizes": { type: "string" },
      "budget-rates": { type: "string" },
      "budget-window": { type: "string" },
      "budget-windows": { type: "string" },
      "big-pages": { type: "string" },
      "big-latency": { type: "string" },
      out: { type: "string" },
      "log-dir": { type: "string" },
      help: { type: "boolean", short: "h", default: false },
    },
    strict: true,
    allowPositionals: false,
  });
  if (values.help) return "help";
  const quick = values.quick ?? false;
  const scenarios = (values.only ?? [])
    .flatMap((item) => item.split(","))
    .map((name) => {
      const known = SCENARIOS.find((scenario) => scenario === name.trim());
      if (!known) throw new Error(`Unknown scenario "${name}".\n${USAGE}`);
      return known;
    });
  const sizes = values["scale-sizes"]?.split(",").map((size) => count(size, "--scale-sizes"));
  const budgetRates = values["budget-rates"]
    ?.split(",")
    .map((rate) => positive(rate, "--budget-rates"));
  return {
    quick,
    scenarios:
      scenarios.length > 0 ? SCENARIOS.filter((s) => scenarios.includes(s)) : [...SCENARIOS],
    pullPages: count(values["pull-pages"] ?? (quick ? "400" : "10000"), "--pull-pages"),
    dataSources: count(values["data-sources"] ?? "12", "--data-sources"),
    rate: positive(values.rate ?? (quick ? "60" : "3"), "--rate"),
    latencyMs: positive(values.latency ?? (quick ? "5" : "250"), "--latency", true),
    changedShare: positive(values.changed ?? "0.01", "--changed"),
    cappedPages: count(values["capped-pages"] ?? (quick ? "600" : "100000"), "--capped-pages"),
    queryCap: count(values["query-cap"] ?? (quick ? "250" : "10000"), "--query-cap"),
    pushFills: count(values["push-fills"] ?? (quick ? "8" : "150"), "--push-fills"),
    scaleSizes: sizes ?? (quick ? [300, 1200] : [10_000, 100_000]),
    budgetRates: budgetRates ?? (quick ? [30] : [3, 10, 30]),
    budgetWindowMs: count(values["budget-window"] ?? (quick ? "1000" : "6000"), "--budget-window"),
    budgetWindows: count(values["budget-windows"] ?? (quick ? "3" : "5"), "--budget-windows"),
    bigPages: count(values["big-pages"] ?? (quick ? "1500" : "50000"), "--big-pages"),
    bigLatencyMs: positive(values["big-latency"] ?? (quick ? "20" : "800"), "--big-latency", true),
    out: values.out ?? "bench/results/latest.json",
    logDir: values["log-dir"],
  };
}

export { USAGE };

function count(text: string, flag: string): number {
  const value = Number(text);
  if (!Number.isInteger(value) || value < 1) throw new Error(`${flag} wants a whole number ≥ 1.`);
  return value;
}

function positive(text: string, flag: string, zeroOk = false): number {
  const value = Number(text);
  if (!Number.isFinite(value) || value < 0 || (!zeroOk && value === 0))
    throw new Error(`${flag} wants a positive number.`);
  return value;
}
