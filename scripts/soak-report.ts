import type { PhaseFigures, SoakFigures } from "./soak-run.ts";

/** The soak's figures for people: one block per phase, then the verdict. */
export function renderSoak(figures: SoakFigures): string {
  const { options } = figures;
  const lines = [
    `soak: seed ${options.seed}, ${options.changes} changes, failure rate ${options.failureRate}, ` +
      `${options.editsPerSecond} person edits/s, client ${options.clientRateLimit} req/s, timeout ${options.timeoutMs} ms`,
    `workspace: ${figures.pages} pages over ${options.dataSources} data sources`,
    `planned: ${figures.planned} changes (${entries(figures.plannedByKind)})`,
    ...phase("push", figures.push, "protected (filled by a person first)"),
    ...phase("revert", figures.revert, "conflicts (changed since the push)"),
    `total wall time: ${seconds(figures.wallMs)}`,
    `invariant violations: ${figures.push.violations.length + figures.revert.violations.length}`,
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
    `  client: ${figures.api.requests} requests, ${figures.api.retries} read retries, ${figures.api.rateLimited} rate-limited, ${figures.api.transientFailures} transient failures; by kind ${entries(figures.api.byKind)}`,
    `  people: ${figures.people.targetEdits} edits of target fields, ${figures.people.otherEdits} of other fields, ${figures.people.heldBack} held back (page between read and write), ${figures.people.refused} refused`,
    `  wall time ${seconds(figures.wallMs)}; invariant violations ${figures.violations.length} (mirror rows a person's same-minute edit left stale before the pull: ${figures.staleWithinTheMinute})`,
  ];
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
