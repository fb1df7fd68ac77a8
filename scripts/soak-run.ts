import type { ChangeRow } from "../src/apply/run-changes.ts";
import { runChanges } from "../src/apply/run-changes.ts";
import type { JsonObject } from "../src/emulator/json.ts";
import { scaleWorkspace } from "../src/emulator/workspaces/scale-workspace.ts";
import { planRun } from "../src/fill/plan-run.ts";
import type { RequestStats } from "../src/notion/notion-api.ts";
import { openEmulator } from "../test/support/emulator.ts";
import { createProject } from "../test/support/project.ts";
import { checkPhase } from "./soak-checks.ts";
import type { SoakOptions } from "./soak-options.ts";
import type { FaultKinds } from "./soak-faults.ts";
import { armFaults, countFaults } from "./soak-faults.ts";
import type { PeopleCounts, PersonTarget } from "./soak-people.ts";
import { People } from "./soak-people.ts";
import type { PhaseResult } from "./soak-phases.ts";
import { pushUntilSettled, revertUntilSettled } from "./soak-phases.ts";
import type { Random } from "./soak-random.ts";
import { pick, seededRandom } from "./soak-random.ts";
import { writeSoakRules } from "./soak-rules.ts";

/** What one phase of the soak did, for the report. */
export interface PhaseFigures {
  attempts: number;
  errors: string[];
  changes: number;
  applied: number;
  /** Push: targets found filled live and kept. Revert: conflicts (changed since the push). */
  protected: number;
  failed: number;
  pending: number;
  faults: Record<string, number>;
  people: PeopleCounts;
  /** Requests the emulator logged in this phase. */
  requests: number;
  api: RequestStats;
  wallMs: number;
  violations: string[];
  /** I5 reports explained by a person's edit within the minute (see soak-checks.ts). */
  staleWithinTheMinute: number;
}

export interface SoakFigures {
  options: SoakOptions;
  pages: number;
  planned: number;
  plannedByKind: Record<string, number>;
  push: PhaseFigures;
  revert: PhaseFigures;
  wallMs: number;
  /** Why the soak failed (empty when it passed): violations, changes left pending, a short plan. */
  failures: string[];
}

/**
 * The soak: a generated workspace, fill rules proposing `options.changes` changes, a push and then
 * a revert of it, each while requests fail in mixed ways and people edit pages, each resumed until
 * nothing is pending, each followed by the invariant checker. Returns the figures; `failures` is
 * empty when every promise held. Progress lines go to `log`.
 */
export async function runSoak(
  options: SoakOptions,
  log: (line: string) => void = () => undefined,
): Promise<SoakFigures> {
  const started = performance.now();
  const random = seededRandom(options.seed);
  const pages = Math.ceil(options.changes * 1.3) + 40;
  const session = await openEmulator({
    seed: scaleWorkspace({ pages, dataSources: options.dataSources, seed: options.seed }),
    randomSeed: options.seed,
  });
  const project = createProject(session);
  try {
    log(`workspace: ${pages} pages over ${options.dataSources} data sources; pulling`);
    await project.pull();
    const aliases = [...project.config.dataSources]
      .sort((a, b) => sourceNumber(a.name) - sourceNumber(b.name))
      .map((source) => source.alias);
    const mirror = project.openMirror();
    let written;
    let rows: ChangeRow[];
    try {
      written = writeSoakRules(mirror.sqlite, aliases, project.config.fillsDir, options.changes);
    } finally {
      mirror.close();
    }
    const { runId, plan } = await planRun(project.config);
    if (!runId) throw new Error("the soak's rules planned nothing");
    const reopened = project.openMirror();
    try {
      rows = runChanges(reopened.sqlite, runId);
    } finally {
      reopened.close();
    }
    log(`planned ${plan.changes.length} changes (run ${runId}); pushing`);

    const api = project.api({
      rateLimit: options.clientRateLimit,
      timeoutMs: options.timeoutMs,
      maxBackoffMs: 200,
      concurrency: 8,
    });
    const people = new People(session.emulator, random, options.editsPerSecond);
    const kinds: FaultKinds = new Map();
    const phase = async (
      targets: readonly ChangeRow[],
      body: () => Promise<PhaseResult>,
    ): Promise<PhaseFigures> => {
      const phaseStart = performance.now();
      const sinceSeq = session.emulator.log.all().length + 1;
      const statsBefore = structuredClone(api.stats);
      const personTargets = targets.map((row) => personTarget(row, rows, random, people));
      const other = (pageId: string) => otherEdit(pageId, random, people);
      for (const [id, kind] of armFaults(
        session.emulator,
        options.failureRate,
        uniquePages(personTargets).map((target) => ({
          pageId: target.pageId,
          targetEdit: { [target.propertyName]: target.personValue },
          otherEdit: other(target.pageId),
        })),
        random,
      ))
        kinds.set(id, kind);
      const countsBefore = { ...people.counts };
      people.start(personTargets, other);
      let result: PhaseResult;
      try {
        result = await body();
      } finally {
        people.stop();
        session.emulator.faults.clear();
      }
      const wallMs = performance.now() - phaseStart;
      const requests = session.emulator.log.all().length - (sinceSeq - 1);
      const checked = await checkPhase(session.emulator, project.config, () => project.pull());
      const summary = result.summary;
      return {
        attempts: result.attempts,
        errors: result.errors,
        changes: summary?.changes ?? 0,
        applied: summary?.applied ?? 0,
        protected: summary?.protected ?? 0,
        failed: summary?.failed ?? 0,
        pending: summary?.pending ?? targets.length,
        faults: countFaults(session.emulator, kinds, sinceSeq),
        people: diffCounts(people.counts, countsBefore),
        requests,
        api: diffStats(api.stats, statsBefore),
        wallMs,
        violations: checked.violations,
        staleWithinTheMinute: checked.staleWithinTheMinute,
      };
    };

    const push = await phase(rows, () =>
      pushUntilSettled(project.config, api, runId, options.maxAttempts),
    );
    log(
      `push: ${push.applied} applied, ${push.protected} protected in ${push.attempts} invocation(s); reverting`,
    );
    const pushed = project.openMirror();
    let applied: ChangeRow[];
    try {
      applied = runChanges(pushed.sqlite, runId).filter((row) => row.status === "applied");
    } finally {
      pushed.close();
    }
    const revert = await phase(applied, () =>
      revertUntilSettled(project.config, api, runId, options.maxAttempts),
    );
    log(
      `revert: ${revert.applied} restored, ${revert.protected} conflicts in ${revert.attempts} invocation(s)`,
    );

    const failures = [
      ...(plan.changes.length !== options.changes
        ? [`planned ${plan.changes.length} changes, not ${options.changes}`]
        : []),
      ...(push.pending > 0
        ? [`push left ${push.pending} changes pending after ${push.attempts} invocations`]
        : []),
      ...(revert.pending > 0
        ? [`revert left ${revert.pending} changes pending after ${revert.attempts} invocations`]
        : []),
      ...push.violations.map((violation) => `after the push: ${violation}`),
      ...revert.violations.map((violation) => `after the revert: ${violation}`),
    ];
    return {
      options,
      pages,
      planned: plan.changes.length,
      plannedByKind: written.byKind,
      push,
      revert,
      wallMs: performance.now() - started,
      failures,
    };
  } finally {
    project.remove();
    await session.stop();
  }
}

function sourceNumber(name: string | undefined): number {
  return Number(/(\d+)\s*$/.exec(name ?? "")?.[1] ?? 0);
}

function uniquePages(targets: readonly PersonTarget[]): PersonTarget[] {
  const seen = new Map<string, PersonTarget>();
  for (const target of targets) if (!seen.has(target.pageId)) seen.set(target.pageId, target);
  return [...seen.values()];
}

/** What a person types into a target field: of its type, never what the run writes. */
function personTarget(
  row: ChangeRow,
  all: readonly ChangeRow[],
  random: Random,
  people: People,
): PersonTarget {
  const n = people.nextSerial();
  const value = (): JsonObject => {
    switch (row.propertyType) {
      case "rich_text":
        return { rich_text: [{ text: { content: `Typed by a person #${n}` } }] };
      case "number":
        return { number: 70_000 + n };
      case "date":
        return { date: { start: `2026-0${1 + (n % 9)}-1${n % 10}` } };
      case "select":
        return { select: { name: "High" } };
      case "relation": {
        const others = all.filter(
          (other) =>
            other.propertyId === row.propertyId &&
            other.dataSourceId === row.dataSourceId &&
            other.payloadJson !== row.payloadJson,
        );
        return others.length > 0
          ? (JSON.parse(pick(random, others).payloadJson) as JsonObject)
          : { relation: [] };
      }
      default:
        throw new Error(`the soak has no person value for a ${row.propertyType}`);
    }
  };
  return { pageId: row.pageId, propertyName: row.propertyName, personValue: value() };
}

/** A field no soak rule targets, on any scale page. */
function otherEdit(pageId: string, random: Random, people: People): JsonObject {
  const n = people.nextSerial();
  const draw = random();
  if (draw < 0.4) return { Done: { checkbox: n % 2 === 0 } };
  if (draw < 0.7) return { Name: { title: [{ text: { content: `Renamed by a person #${n}` } }] } };
  return { Tags: { multi_select: [{ name: pick(random, ["alpha", "beta", "gamma", "delta"]) }] } };
}

function diffCounts(now: PeopleCounts, before: PeopleCounts): PeopleCounts {
  return {
    targetEdits: now.targetEdits - before.targetEdits,
    otherEdits: now.otherEdits - before.otherEdits,
    heldBack: now.heldBack - before.heldBack,
    refused: now.refused - before.refused,
  };
}

function diffStats(now: RequestStats, before: RequestStats): RequestStats {
  const byKind: Record<string, number> = {};
  for (const [kind, count] of Object.entries(now.byKind))
    byKind[kind] = count - (before.byKind[kind] ?? 0);
  return {
    requests: now.requests - before.requests,
    byKind,
    retries: now.retries - before.retries,
    rateLimited: now.rateLimited - before.rateLimited,
    transientFailures: now.transientFailures - before.transientFailures,
  };
}
