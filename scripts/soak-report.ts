import type { KillMoment } from "./soak-cli.ts";
import type { RouteFigures } from "./soak-route-scenario.ts";
import type { PhaseFigures, SoakFigures } from "./soak-run.ts";

/** The soak's figures for people: one block per phase, one per route, then the verdict. */
export function renderSoak(figures: SoakFigures): string {
  const { options, faults } = figures;
  const violations =
    (faults ? faults.push.violations.length + faults.revert.violations.length : 0) +
    figures.routes.reduce(
      (sum, route) => sum + route.push.violations.length + route.revert.violations.length,
      0,
    );
  const lines = [
    `soak: seed ${options.seed}, ${faults ? `${options.changes} changes, ` : ""}failure rate ${options.failureRate}, ` +
      `${options.editsPerSecond} person edits/s, client ${options.clientRateLimit} req/s, timeout ${options.timeoutMs} ms`,
    ...(faults
      ? [
          `workspace: ${faults.pages} pages over ${options.dataSources} data sources`,
          `planned: ${faults.planned} changes (${entries(faults.plannedByKind)})`,
          ...phase("push", faults.push, "protected (filled by a person first)"),
          ...phase("revert", faults.revert, "conflicts (changed since the push)"),
        ]
      : []),
    ...figures.routes.flatMap((route) => routeBlock(route)),
    `total wall time: ${seconds(figures.wallMs)}`,
    `invariant violations: ${violations}`,
    ...(figures.routes.length > 0
      ? [
          `routes: ${figures.routes
            .map(
              (route) =>
                `${route.command} ${route.failures.length === 0 ? "ok" : `FAILED (${route.failures.length})`}`,
            )
            .join("; ")}`,
        ]
      : []),
    figures.failures.length === 0
      ? "SOAK PASSED"
      : `SOAK FAILED:\n${figures.failures
          .slice(0, 50)
          .map((failure) => `  - ${failure}`)
          .join(
            "\n",
          )}${figures.failures.length > 50 ? `\n  … and ${figures.failures.length - 50} more` : ""}`,
  ];
  return `${lines.join("\n")}\n`;
}

function phase(name: string, figures: PhaseFigures, protectedLabel: string): string[] {
  const injected = Object.values(figures.faults).reduce((sum, n) => sum + n, 0);
  return [
    `${name}:`,
    `  changes ${figures.changes}: applied ${figures.applied}, ${protectedLabel} ${figures.protected}, failed ${figures.failed}, pending ${figures.pending}`,
    `  invocations ${figures.attempts} (${figures.errors.length} stopped with an error${
      figures.errors.length > 0 ? `: ${[...new Set(figures.errors)].slice(0, 3).join(" | ")}` : ""
    })`,
    `  faults injected ${injected} of ${figures.requests} requests (${percent(injected, figures.requests)}): ${entries(figures.faults)}`,
    ...(figures.api.requests > 0
      ? [
          `  client: ${figures.api.requests} requests, ${figures.api.retries} read retries, ${figures.api.rateLimited} rate-limited, ${figures.api.transientFailures} transient failures; by kind ${entries(figures.api.byKind)}`,
        ]
      : []),
    `  people: ${figures.people.targetEdits} edits of target fields, ${figures.people.otherEdits} of other fields, ${figures.people.heldBack} held back (page between read and write), ${figures.people.refused} refused`,
    `  wall time ${seconds(figures.wallMs)}; invariant violations ${figures.violations.length} (mirror rows a person's same-minute edit left stale before the pull: ${figures.staleWithinTheMinute})`,
  ];
}

function routeBlock(route: RouteFigures): string[] {
  const { cli } = route;
  return [
    `route ${route.command} (run ${route.runId}, ${route.planned} changes; the ${route.route.startsWith("push") ? "push" : "revert"} in CLI child processes):`,
    `  ${cli.kills.length} SIGKILLs (${cli.kills.map(moment).join(", ") || "none"}), ${cli.attempts} invocations in all; the others exited ${
      Object.entries(cli.exits)
        .map(([code, n]) => `${code} ×${n}`)
        .join(", ") || "-"
    }; resumes that found a torn last line ${cli.tornTails}`,
    ...(cli.errors.length > 0
      ? [`  stopped with an error: ${[...new Set(cli.errors)].slice(0, 3).join(" | ")}`]
      : []),
    `  revert runs: ${route.revertRuns.map((run) => `${run.id} of ${run.revertsRunId} (${run.status})`).join(", ") || "none"}`,
    `  push pending ${route.pushPending}; fields still as pushed after the revert ${route.unreverted}; answers naming another run ${cli.wrongRun.length}`,
    ...phase("push", route.push, "protected").map((line) => `  ${line}`),
    ...phase("revert", route.revert, "conflicts").map((line) => `  ${line}`),
    `  wall time ${seconds(route.wallMs)}; ${route.failures.length === 0 ? "ok" : `${route.failures.length} failures`}`,
  ];
}

function moment(at: KillMoment): string {
  return "afterMs" in at
    ? `${at.afterMs} ms after start`
    : `${at.pageRequests} page requests +${at.extraMs} ms`;
}

function entries(counts: Record<string, number>): string {
  const list = Object.entries(counts).sort((a, b) => b[1] - a[1]);
  return list.length === 0 ? "none" : list.map(([key, n]) => `${key} ${n}`).join(", ");
}

function percent(part: number, whole: number): string {
  return whole === 0 ? "0%" : `${((100 * part) / whole).toFixed(1)}%`;
}

function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)} s`;
}
