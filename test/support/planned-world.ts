import { runChanges } from "../../src/runs/change-store.ts";
import type { SeedFile } from "../../src/emulator/index.ts";
import { planRun } from "../../src/fill/plan-run.ts";
import type { PulledWorld } from "./pulled-world.ts";
import { openPulledWorld } from "./pulled-world.ts";
import { saveRewindPoint } from "./rewind-point.ts";

/** One planned fill of the demo: which page, which property (by id and name), what it sends. */
export interface PlannedTarget {
  changeId: number;
  pageId: string;
  dataSourceId: string;
  propertyId: string;
  propertyName: string;
  payload: unknown;
}

/**
 * The demo workspace pulled and its rules planned (high confidence), the request log cleared, with
 * a way back to that moment before each scenario.
 */
export interface PlannedWorld extends PulledWorld {
  runId: string;
  targets: PlannedTarget[];
  /** Notion's state when the plan was made. */
  atPlan: SeedFile;
  /** Back to just after the plan: Notion's state, the mirror, no snapshot, no faults, empty log. */
  reset(): void;
}

/**
 * Opens the pulled demo world (`token`: the one token the emulator accepts) and plans the demo
 * rules. Throws, with everything stopped, when the plan is empty.
 */
export async function openPlannedWorld(options: { token?: string } = {}): Promise<PlannedWorld> {
  const world = await openPulledWorld({ ...options, demoRules: true });
  const { session, project } = world;
  try {
    const planned = await planRun(project.config, { minConfidence: "high" });
    if (!planned.runId) throw new Error("the demo plan is empty");
    const mirror = project.openMirror();
    let targets: PlannedTarget[];
    try {
      targets = runChanges(mirror.sqlite, planned.runId).map((row) => ({
        changeId: row.id,
        pageId: row.pageId,
        dataSourceId: row.dataSourceId,
        propertyId: row.propertyId,
        propertyName: row.propertyName,
        payload: JSON.parse(row.payloadJson) as unknown,
      }));
    } finally {
      mirror.close();
    }
    session.emulator.log.clear();
    const reset = saveRewindPoint(session, project, "planned");
    const atPlan = session.emulator.dump();
    return { ...world, runId: planned.runId, targets, atPlan, reset };
  } catch (error) {
    await world.close();
    throw error;
  }
}
