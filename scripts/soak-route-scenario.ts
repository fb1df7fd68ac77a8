import type { ChangeRow } from "../src/runs/change-store.ts";
import { runChanges } from "../src/runs/change-store.ts";
import type { PropertyValue } from "../src/notion/codec/index.ts";
import { valuesEqual } from "../src/notion/codec/index.ts";
import { readSnapshot, snapshotPath } from "../src/snapshot/snapshot-file.ts";
import { HANG } from "./soak-faults.ts";
import type { SoakOptions } from "./soak-options.ts";
import type { PhaseFigures } from "./soak-phase-runner.ts";
import { phaseRig, runPhase } from "./soak-phase-runner.ts";
import { pushUntilSettled, revertUntilSettled } from "./soak-phases.ts";
import { seededRandom } from "./soak-random.ts";
import type { ResumeRoute, RouteResult } from "./soak-routes.ts";
import { invokeRoute, ROUTE_COMMANDS, routeKind } from "./soak-routes.ts";
import type { SoakWorld } from "./soak-world.ts";
import { soakWorld } from "./soak-world.ts";

/** One route's scenario, for the report. */
export interface RouteFigures {
  route: ResumeRoute;
  command: string;
  runId: string;
  planned: number;
  push: PhaseFigures;
  revert: PhaseFigures;
  /** The route's own CLI invocations: kills that landed, exit codes, answers naming another run. */
  cli: Pick<RouteResult, "kills" | "exits" | "wrongRun" | "errors" | "attempts" | "tornTails">;
  /** Every revert run the mirror records, and what it reverts. */
  revertRuns: Array<{ id: string; revertsRunId: string | null; status: string }>;
  /** Changes of the push still planned or unknown at the end. */
  pushPending: number;
  /** Fields that still hold exactly what the push wrote after the revert settled. */
  unreverted: number;
  wallMs: number;
  /** What went wrong, one sentence each; empty when the route kept every promise. */
  failures: string[];
}

/**
 * One route on a workspace of its own: a run of `routeChanges` fills is pushed and then reverted,
 * while requests fail (the soak's mix, hangs aside: a CLI child waits 60 s for one) and people
 * edit pages. The half the route belongs to runs as CLI child processes SIGKILLed `kills` times
 * at random moments and resumed by the route's command; the other half runs in process. Then the
 * invariant checker (I1–I5), and what a person would check: nothing of the push pending, one
 * revert run and of the pushed run, no field still holding what the push wrote.
 */
export async function runRouteScenario(
  route: ResumeRoute,
  index: number,
  options: SoakOptions,
  log: (line: string) => void,
): Promise<RouteFigures> {
  const started = performance.now();
  const seed = options.seed * 1000 + index + 1;
  const world = await soakWorld(
    { changes: options.routeChanges, dataSources: options.dataSources, seed },
    (line) => log(`${route}: ${line}`),
  );
  try {
    const { project, runId } = world;
    const random = seededRandom(seed);
    const api = project.api({
      rateLimit: options.clientRateLimit,
      timeoutMs: options.timeoutMs,
      maxBackoffMs: 200,
      concurrency: 8,
    });
    const rig = phaseRig(world, api, random, { ...options, omitFaults: new Set([HANG]) });
    let cli: RouteResult | undefined;
    const byRoute = async (pagesLeft: () => number) =>
      (cli = await invokeRoute({
        route,
        runId,
        emulator: world.session.emulator,
        project,
        random,
        kills: options.kills,
        maxAttempts: options.maxAttempts,
        pagesLeft,
      }));
    const kind = routeKind(route);
    log(`${route}: planned ${world.rows.length} changes (run ${runId}); pushing`);
    const push = await runPhase(rig, world.rows, () =>
      kind === "push"
        ? byRoute(() => pagesOf(world.changesNow(), ["planned", "unknown"]))
        : pushUntilSettled(project.config, api, runId, options.maxAttempts),
    );
    const applied = world.changesNow().filter((row) => row.status === "applied");
    log(`${route}: ${applied.length} applied; reverting`);
    const revert = await runPhase(rig, applied, () =>
      kind === "revert"
        ? byRoute(() => revertPagesLeft(world))
        : revertUntilSettled(project.config, api, runId, options.maxAttempts),
    );
    const ended: RouteResult = cli ?? {
      attempts: 0,
      errors: [],
      summary: undefined,
      kills: [],
      exits: {},
      wrongRun: [],
      tornTails: 0,
    };
    const revertRuns = revertRunsOf(world);
    const pushPending = world
      .changesNow()
      .filter((row) => row.status === "planned" || row.status === "unknown").length;
    const unreverted = stillAsPushed(world);
    const failures = [
      ...push.violations.map((violation) => `after the push: ${violation}`),
      ...revert.violations.map((violation) => `after the revert: ${violation}`),
      ...(pushPending > 0 ? [`the push left ${pushPending} changes pending`] : []),
      ...(revert.pending > 0 ? [`the revert's last answer left ${revert.pending} pending`] : []),
      ...(options.kills > 0 && ended.kills.length === 0
        ? ["no kill landed: every invocation finished first"]
        : []),
      ...ended.wrongRun.map((wrong) => `an invocation acted on another run: ${wrong}`),
      ...revertRuns
        .filter((run) => run.revertsRunId !== runId)
        .map(
          (run) => `revert run ${run.id} (${run.status}) reverts ${run.revertsRunId}, not ${runId}`,
        ),
      ...(revertRuns.filter((run) => run.revertsRunId === runId).length > 1
        ? [
            `${runId} was reverted by ${revertRuns.filter((run) => run.revertsRunId === runId).length} revert runs, not one (a resume started a new revert)`,
          ]
        : []),
      ...(unreverted > 0
        ? [`${unreverted} fields still hold what the push wrote after the revert settled`]
        : []),
    ].map((failure) => `${ROUTE_COMMANDS[route]}: ${failure}`);
    return {
      route,
      command: ROUTE_COMMANDS[route],
      runId,
      planned: world.rows.length,
      push,
      revert,
      cli: ended,
      revertRuns,
      pushPending,
      unreverted,
      wallMs: performance.now() - started,
      failures,
    };
  } finally {
    await world.close();
  }
}

function pagesOf(rows: readonly ChangeRow[], statuses: readonly string[]): number {
  return new Set(rows.filter((row) => statuses.includes(row.status)).map((row) => row.pageId)).size;
}

/**
 * Pages the revert has left: those of its run's unsettled changes once it has started (the
 * mirror records each change as it settles), else every page the push wrote.
 */
function revertPagesLeft(world: SoakWorld): number {
  const started = revertRunsOf(world)
    .filter((run) => run.revertsRunId === world.runId)
    .at(-1);
  if (!started) return pagesOf(world.changesNow(), ["applied"]);
  const mirror = world.project.openMirror();
  try {
    return pagesOf(runChanges(mirror.sqlite, started.id), ["planned", "unknown"]);
  } finally {
    mirror.close();
  }
}

function revertRunsOf(world: SoakWorld): RouteFigures["revertRuns"] {
  const mirror = world.project.openMirror();
  try {
    return mirror.sqlite
      .prepare(
        "SELECT id, reverts_run_id AS revertsRunId, status FROM runs WHERE kind = 'revert' ORDER BY created_at",
      )
      .all() as RouteFigures["revertRuns"];
  } finally {
    mirror.close();
  }
}

/**
 * Fields where Notion holds exactly what the push wrote (its snapshot's after-image). A person's
 * value never equals it (soak-phase-runner.ts), so after a settled revert there must be none:
 * each such field was neither restored nor reported as a conflict.
 */
function stillAsPushed(world: SoakWorld): number {
  const { entries } = readSnapshot(snapshotPath(world.project.config.snapshotsDir, world.runId));
  const wrote = new Map<number, { pageId: string; propertyId: string; after: unknown }>();
  for (const entry of entries)
    if (entry.type === "post" && entry.status === "applied") wrote.set(entry.changeId, entry);
  const pages = world.session.emulator.workspace().pages;
  let count = 0;
  for (const { pageId, propertyId, after } of wrote.values()) {
    const properties = (pages.get(pageId)?.properties ?? {}) as Record<string, PropertyValue>;
    const now = Object.values(properties).find((value) => value.id === propertyId);
    if (now && after && valuesEqual(now, after as PropertyValue)) count += 1;
  }
  return count;
}
