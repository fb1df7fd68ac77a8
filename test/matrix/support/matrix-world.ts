import type { PushOptions, PushResult } from "../../../src/apply/push.ts";
import { pushRun, selectPushRun } from "../../../src/apply/push.ts";
import type { RevertOptions, RevertResult } from "../../../src/apply/revert.ts";
import { locateRevertTarget, revertRun } from "../../../src/apply/revert.ts";
import type { NotionApiOptions } from "../../../src/notion/notion-api.ts";
import type { EmulatorSession } from "../../support/emulator.ts";
import { runChanges } from "../../../src/runs/change-store.ts";
import { checkInvariants } from "../../support/invariants.ts";
import type { PlannedWorld } from "../../support/planned-world.ts";
import type { TestProject } from "../../support/project.ts";
import { openPlannedWorld } from "../../support/planned-world.ts";

type Obj = Record<string, unknown>;

/**
 * The demo workspace pulled and its rules planned (high confidence), with a way back to that
 * moment before each scenario. Every scenario ends with `violations()`: the invariant checker over
 * the emulator's journal, its request log, the snapshots and the mirror.
 */
export interface MatrixWorld extends PlannedWorld {
  push(options?: PushOptions & { api?: NotionApiOptions }): Promise<PushResult>;
  revert(options?: RevertOptions & { api?: NotionApiOptions }): Promise<RevertResult>;
  violations(): string[];
}

export async function plannedWorld(): Promise<MatrixWorld> {
  const planned = await openPlannedWorld();
  const { session, project, runId } = planned;
  const { mirrorPath, snapshotsDir } = project.config;
  return {
    ...planned,
    async push(options = {}) {
      const mirror = project.openMirror();
      try {
        return await pushRun(
          project.config,
          mirror,
          project.api(options.api),
          selectPushRun(mirror, runId),
          options,
        );
      } finally {
        mirror.close();
      }
    },
    async revert(options = {}) {
      const mirror = project.openMirror();
      try {
        const target = locateRevertTarget(snapshotsDir, mirror, { runId });
        return await revertRun(target, mirror, project.api(options.api), snapshotsDir, options);
      } finally {
        mirror.close();
      }
    },
    violations: () => checkInvariants({ emulator: session.emulator, snapshotsDir, mirrorPath }),
  };
}

/**
 * Pushes the world's run with no faults and returns what each target page holds then (by page
 * id): the value every faulty push must reach. Call `reset()` before the next push.
 */
export async function intendedValues(world: MatrixWorld): Promise<Map<string, string | null>> {
  await world.push();
  return new Map(
    world.targets.map((target) => [
      target.pageId,
      optionName(liveProperty(world.session, target.pageId, target.propertyId)),
    ]),
  );
}

/** A page as the emulator holds it now. */
export function livePage(session: EmulatorSession, pageId: string): Obj {
  const page = session.emulator.workspace().pages.get(pageId);
  if (!page) throw new Error(`no page ${pageId}`);
  return page as Obj;
}

/** A property value of a live page, by property id. */
export function liveProperty(session: EmulatorSession, pageId: string, propertyId: string): Obj {
  const found = Object.values(livePage(session, pageId).properties as Record<string, Obj>).find(
    (value) => value.id === propertyId,
  );
  if (!found) throw new Error(`page ${pageId} has no property ${propertyId}`);
  return found;
}

/** The option name of a select/status value, or null when empty. */
export function optionName(value: Obj): string | null {
  const option = value[String(value.type)] as { name?: string } | null;
  return option?.name ?? null;
}

/** The change rows of a run, as the mirror records them. */
export function changeStatuses(
  project: TestProject,
  runId: string,
): Array<{ pageId: string; status: string; error: string | null }> {
  const mirror = project.openMirror();
  try {
    return runChanges(mirror.sqlite, runId).map((row) => ({
      pageId: row.pageId,
      status: row.status,
      error: row.error,
    }));
  } finally {
    mirror.close();
  }
}

/** The emulator's applied bot writes to a page (journal), i.e. what the tool really changed. */
export function botWrites(session: EmulatorSession, pageId: string): number {
  return session.emulator
    .workspace()
    .journal.all()
    .filter((entry) => entry.actor === "bot" && entry.pageId === pageId).length;
}

/** What a pull leaves in the mirror that does not depend on when it ran: pages, relations, columns. */
export function mirrorContent(project: TestProject): string {
  const mirror = project.openMirror();
  try {
    const all = (sql: string) => mirror.sqlite.prepare(sql).all();
    return JSON.stringify({
      pages: all(
        "SELECT id, data_source_id, last_edited_time, in_trash, gone, url, values_json, raw_json FROM pages ORDER BY id",
      ),
      relations: all("SELECT * FROM relations ORDER BY page_id, property_id, position"),
      columns: all("SELECT * FROM column_map ORDER BY data_source_id, column_name"),
    });
  } finally {
    mirror.close();
  }
}

/** Everything in the mirror, pull bookkeeping included: for "the mirror is unchanged". */
export function wholeMirror(project: TestProject): string {
  const mirror = project.openMirror();
  try {
    const tables = ["data_sources", "properties", "pages", "relations", "column_map", "pulls"];
    return JSON.stringify(
      tables.map((table) => mirror.sqlite.prepare(`SELECT * FROM ${table} ORDER BY 1, 2`).all()),
    );
  } finally {
    mirror.close();
  }
}
