import type { ChangeRow } from "../src/runs/change-store.ts";
import type { JsonObject } from "../src/emulator/index.ts";
import type { NotionApi, RequestStats } from "../src/notion/notion-api.ts";
import { checkPhase } from "./soak-checks.ts";
import type { FaultKinds } from "./soak-faults.ts";
import { armFaults, countFaults } from "./soak-faults.ts";
import type { PeopleCounts, PersonTarget } from "./soak-people.ts";
import { People } from "./soak-people.ts";
import type { PhaseResult } from "./soak-phases.ts";
import type { Random } from "./soak-random.ts";
import { pick } from "./soak-random.ts";
import type { SoakWorld } from "./soak-world.ts";

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
  /** The in-process client's own counts (zero for a phase run in CLI child processes). */
  api: RequestStats;
  wallMs: number;
  violations: string[];
  /** I5 reports explained by a person's edit within the minute (see soak-checks.ts). */
  staleWithinTheMinute: number;
}

/** What the phases of one world share: its client, its people, the seeded choices. */
export interface PhaseRig {
  world: SoakWorld;
  api: NotionApi;
  random: Random;
  people: People;
  kinds: FaultKinds;
  failureRate: number;
  /** Fault kinds left out of the mix (e.g. hangs, for CLI children with a 60 s timeout). */
  omitFaults?: ReadonlySet<string>;
}

export function phaseRig(
  world: SoakWorld,
  api: NotionApi,
  random: Random,
  options: { failureRate: number; editsPerSecond: number; omitFaults?: ReadonlySet<string> },
): PhaseRig {
  return {
    world,
    api,
    random,
    people: new People(world.session.emulator, random, options.editsPerSecond),
    kinds: new Map(),
    failureRate: options.failureRate,
    omitFaults: options.omitFaults,
  };
}

/**
 * Runs one phase (a push or a revert, `body`) on `targets` while the fault mix is armed and
 * people edit those pages; then the invariant checker, a pull, and the checker again on the
 * mirror (soak-checks.ts). Returns the phase's figures.
 */
export async function runPhase(
  rig: PhaseRig,
  targets: readonly ChangeRow[],
  body: () => Promise<PhaseResult>,
): Promise<PhaseFigures> {
  const { world, api, random, people } = rig;
  const { emulator } = world.session;
  const phaseStart = performance.now();
  const sinceSeq = emulator.log.all().length + 1;
  const statsBefore = structuredClone(api.stats);
  const personTargets = targets.map((row) => personTarget(row, world.rows, random, people));
  const other = (pageId: string) => otherEdit(pageId, random, people);
  const armed = armFaults(
    emulator,
    rig.failureRate,
    uniquePages(personTargets).map((target) => ({
      pageId: target.pageId,
      targetEdit: { [target.propertyName]: target.personValue },
      otherEdit: other(target.pageId),
    })),
    random,
    { omit: rig.omitFaults },
  );
  for (const [id, kind] of armed) rig.kinds.set(id, kind);
  const countsBefore = { ...people.counts };
  people.start(personTargets, other);
  let result: PhaseResult;
  try {
    result = await body();
  } finally {
    people.stop();
    emulator.faults.clear();
  }
  const wallMs = performance.now() - phaseStart;
  const requests = emulator.log.all().length - (sinceSeq - 1);
  const checked = await checkPhase(emulator, world.project.config, () => world.project.pull());
  const summary = result.summary;
  return {
    attempts: result.attempts,
    errors: result.errors,
    changes: summary?.changes ?? 0,
    applied: summary?.applied ?? 0,
    protected: summary?.protected ?? 0,
    failed: summary?.failed ?? 0,
    pending: summary?.pending ?? targets.length,
    faults: countFaults(emulator, rig.kinds, sinceSeq),
    people: diffCounts(people.counts, countsBefore),
    requests,
    api: diffStats(api.stats, statsBefore),
    wallMs,
    violations: checked.violations,
    staleWithinTheMinute: checked.staleWithinTheMinute,
  };
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
