import type { ChangeRow } from "../src/runs/change-store.ts";
import type { SoakOptions } from "./soak-options.ts";
import type { PhaseFigures } from "./soak-phase-runner.ts";
import { phaseRig, runPhase } from "./soak-phase-runner.ts";
import { pushUntilSettled, revertUntilSettled } from "./soak-phases.ts";
import { seededRandom } from "./soak-random.ts";
import type { RouteFigures } from "./soak-route-scenario.ts";
import { runRouteScenario } from "./soak-route-scenario.ts";
import { soakWorld } from "./soak-world.ts";

export type { PhaseFigures } from "./soak-phase-runner.ts";

/** The push and revert of `options.changes` under faults, in process. */
export interface FaultFigures {
  pages: number;
  planned: number;
  plannedByKind: Record<string, number>;
  push: PhaseFigures;
  revert: PhaseFigures;
}

export interface SoakFigures {
  options: SoakOptions;
  /** Undefined when only routes were asked for (--routes). */
  faults: FaultFigures | undefined;
  /** One per route asked for, in order. */
  routes: RouteFigures[];
  wallMs: number;
  /** Why the soak failed (empty when it passed): violations, changes left pending, a short plan. */
  failures: string[];
}

/**
 * The soak. First (unless only routes are asked for) a generated workspace, fill rules proposing
 * `options.changes` changes, a push and then a revert of it in process, each while requests fail
 * in mixed ways and people edit pages, each resumed until nothing is pending, each followed by
 * the invariant checker. Then each resume route on a workspace of its own: push or revert run as
 * CLI child processes, SIGKILLed at random moments and resumed by the route's command
 * (soak-route-scenario.ts). Returns the figures; `failures` is empty when every promise held.
 * Progress lines go to `log`.
 */
export async function runSoak(
  options: SoakOptions,
  log: (line: string) => void = () => undefined,
): Promise<SoakFigures> {
  const started = performance.now();
  const failures: string[] = [];
  const faults = options.faultPhases ? await faultPhases(options, log) : undefined;
  if (faults) {
    if (faults.planned !== options.changes)
      failures.push(`planned ${faults.planned} changes, not ${options.changes}`);
    if (faults.push.pending > 0)
      failures.push(
        `push left ${faults.push.pending} changes pending after ${faults.push.attempts} invocations`,
      );
    if (faults.revert.pending > 0)
      failures.push(
        `revert left ${faults.revert.pending} changes pending after ${faults.revert.attempts} invocations`,
      );
    failures.push(...faults.push.violations.map((violation) => `after the push: ${violation}`));
    failures.push(...faults.revert.violations.map((violation) => `after the revert: ${violation}`));
  }
  const routes: RouteFigures[] = [];
  for (const [index, route] of options.routes.entries()) {
    const figures = await runRouteScenario(route, index, options, log);
    log(
      `${route}: ${figures.cli.kills.length} kills, ${figures.cli.attempts} invocations; ${figures.failures.length === 0 ? "ok" : `${figures.failures.length} failures`}`,
    );
    routes.push(figures);
    failures.push(...figures.failures);
  }
  return { options, faults, routes, wallMs: performance.now() - started, failures };
}

async function faultPhases(
  options: SoakOptions,
  log: (line: string) => void,
): Promise<FaultFigures> {
  const random = seededRandom(options.seed);
  const world = await soakWorld(options, log);
  try {
    const { project, runId } = world;
    log(`planned ${world.rows.length} changes (run ${runId}); pushing`);
    const api = project.api({
      rateLimit: options.clientRateLimit,
      timeoutMs: options.timeoutMs,
      maxBackoffMs: 200,
      concurrency: 8,
    });
    const rig = phaseRig(world, api, random, options);
    const push = await runPhase(rig, world.rows, () =>
      pushUntilSettled(project.config, api, runId, options.maxAttempts),
    );
    log(
      `push: ${push.applied} applied, ${push.protected} protected in ${push.attempts} invocation(s); reverting`,
    );
    const applied: ChangeRow[] = world.changesNow().filter((row) => row.status === "applied");
    const revert = await runPhase(rig, applied, () =>
      revertUntilSettled(project.config, api, runId, options.maxAttempts),
    );
    log(
      `revert: ${revert.applied} restored, ${revert.protected} conflicts in ${revert.attempts} invocation(s)`,
    );
    return {
      pages: world.pages,
      planned: world.rows.length,
      plannedByKind: world.plannedByKind,
      push,
      revert,
    };
  } finally {
    await world.close();
  }
}
