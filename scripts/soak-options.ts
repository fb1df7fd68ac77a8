import type { ResumeRoute } from "./soak-routes.ts";
import { RESUME_ROUTES } from "./soak-routes.ts";

/** The soak's knobs. Every random choice derives from `seed`, so a failing soak can be rerun. */
export interface SoakOptions {
  seed: number;
  /** Changes the fill rules propose in all (spread over text, number, date, select, relation). */
  changes: number;
  /** Share of requests, 0..1, answered by a fault (429s, 5xx, resets, truncations, drops, hangs). */
  failureRate: number;
  /** Person edits per second while the push and the revert run. */
  editsPerSecond: number;
  /** Client requests per second (the emulator's own limit is off). */
  clientRateLimit: number;
  /** Client per-request timeout, ms: short, so hung requests end quickly. */
  timeoutMs: number;
  /** Push (and revert) invocations before the soak gives up resuming. */
  maxAttempts: number;
  /** Data sources in the generated workspace. */
  dataSources: number;
  /** Run the push and revert of `changes` under faults in process (off when --routes is given). */
  faultPhases: boolean;
  /** Resume routes to soak, each on a workspace of its own, with CLI child processes SIGKILLed. */
  routes: readonly ResumeRoute[];
  /** SIGKILLs per route, at random moments, before the route's command is left to finish. */
  kills: number;
  /** Changes of each route's run. */
  routeChanges: number;
}

export const DEFAULT_SOAK_OPTIONS: SoakOptions = {
  seed: 1,
  changes: 5000,
  failureRate: 0.15,
  editsPerSecond: 20,
  clientRateLimit: 200,
  timeoutMs: 1500,
  maxAttempts: 12,
  dataSources: 6,
  faultPhases: true,
  routes: RESUME_ROUTES,
  kills: 3,
  routeChanges: 200,
};

type NumberKey = Exclude<keyof SoakOptions, "faultPhases" | "routes">;

const FLAGS: Record<string, NumberKey> = {
  "--seed": "seed",
  "--changes": "changes",
  "--failure-rate": "failureRate",
  "--edits-per-second": "editsPerSecond",
  "--rate-limit": "clientRateLimit",
  "--timeout-ms": "timeoutMs",
  "--max-attempts": "maxAttempts",
  "--data-sources": "dataSources",
  "--kills": "kills",
  "--route-changes": "routeChanges",
};

export const SOAK_USAGE = `Usage: npm run soak -- [--seed N] [--changes N] [--failure-rate R] [--edits-per-second E]
                        [--rate-limit N] [--timeout-ms N] [--max-attempts N] [--data-sources N]
                        [--routes ROUTE,…] [--kills N] [--route-changes N]
Routes (resumes of SIGKILLed CLI runs): ${RESUME_ROUTES.join(", ")}, or all.
--routes runs only those routes' scenarios (not the push and revert of --changes under faults).
Defaults: ${Object.entries(FLAGS)
  .map(([flag, key]) => `${flag} ${DEFAULT_SOAK_OPTIONS[key]}`)
  .join(", ")}, every route`;

/**
 * Reads `--flag value` / `--flag=value` pairs. Throws an Error naming the bad flag (the caller
 * prints it with the usage); returns defaults for what is not given.
 */
export function parseSoakArgs(argv: readonly string[]): SoakOptions {
  const options: SoakOptions = { ...DEFAULT_SOAK_OPTIONS };
  for (let i = 0; i < argv.length; i += 1) {
    const arg = argv[i] ?? "";
    const [flag = "", inline] = arg.split("=", 2);
    const raw = inline ?? argv[i + 1];
    if (inline === undefined) i += 1;
    if (flag === "--routes") {
      options.routes = parseRoutes(raw);
      options.faultPhases = false;
      continue;
    }
    const key = FLAGS[flag];
    if (!key) throw new Error(`unknown option ${arg}`);
    const value = Number(raw);
    if (raw === undefined || raw === "" || !Number.isFinite(value))
      throw new Error(`${flag} needs a number (got ${raw === undefined ? "nothing" : raw})`);
    options[key] = value;
  }
  checkOptions(options);
  return options;
}

function parseRoutes(raw: string | undefined): ResumeRoute[] {
  if (raw === undefined || raw.trim() === "") throw new Error("--routes needs a list of routes");
  if (raw.trim() === "all") return [...RESUME_ROUTES];
  const names = raw.split(",").map((name) => name.trim());
  const unknown = names.filter((name) => !(RESUME_ROUTES as readonly string[]).includes(name));
  if (unknown.length > 0)
    throw new Error(`unknown route ${unknown.join(", ")} (routes: ${RESUME_ROUTES.join(", ")})`);
  return [...new Set(names as ResumeRoute[])];
}

function checkOptions(options: SoakOptions): void {
  const whole: NumberKey[] = ["seed", "changes", "maxAttempts", "dataSources", "routeChanges"];
  for (const key of whole) {
    if (!Number.isInteger(options[key]) || options[key] < (key === "seed" ? 0 : 1))
      throw new Error(`${key} must be a whole number ≥ ${key === "seed" ? 0 : 1}`);
  }
  if (!Number.isInteger(options.kills) || options.kills < 0)
    throw new Error("kills must be a whole number ≥ 0");
  if (options.dataSources < 2) throw new Error("dataSources must be ≥ 2 (relations need two)");
  if (options.failureRate < 0 || options.failureRate > 0.5)
    throw new Error("failureRate must be between 0 and 0.5");
  if (options.editsPerSecond < 0 || options.editsPerSecond > 1000)
    throw new Error("editsPerSecond must be between 0 and 1000");
  if (options.clientRateLimit <= 0) throw new Error("clientRateLimit must be > 0");
  if (options.timeoutMs < 100) throw new Error("timeoutMs must be ≥ 100");
}
