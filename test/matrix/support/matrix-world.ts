import { copyFileSync, existsSync, rmSync } from "node:fs";
import type { PushOptions, PushResult } from "../../../src/apply/push.ts";
import { pushRun, selectPushRun } from "../../../src/apply/push.ts";
import type { RevertOptions, RevertResult } from "../../../src/apply/revert.ts";
import { locateRevertTarget, revertRun } from "../../../src/apply/revert.ts";
import { runChanges } from "../../../src/runs/change-store.ts";
import type { SeedFile } from "../../../src/emulator/seed-file.ts";
import { installDemoRules } from "../../../src/fill/demo-rules.ts";
import { planRun } from "../../../src/fill/plan-run.ts";
import type { NotionApiOptions } from "../../../src/notion/notion-api.ts";
import type { EmulatorSession } from "../../support/emulator.ts";
import { openEmulator } from "../../support/emulator.ts";
import { checkInvariants } from "../../support/invariants.ts";
import type { TestProject } from "../../support/project.ts";
import { createProject } from "../../support/project.ts";

type Obj = Record<string, unknown>;

/** One planned fill: which page and property. */
export interface Target {
  changeId: number;
  pageId: string;
  dataSourceId: string;
  propertyId: string;
  propertyName: string;
}

/**
 * The demo workspace pulled and its rules planned (high confidence), with a way back to that
 * moment before each scenario. Every scenario ends with `violations()`: the invariant checker over
 * the emulator's journal, its request log, the snapshots and the mirror.
 */
export interface MatrixWorld {
  session: EmulatorSession;
  project: TestProject;
  runId: string;
  targets: Target[];
  /** Notion as it was when the plan was made. */
  atPlan: SeedFile;
  /** Back to just after the plan: Notion, mirror, no snapshots, no faults, empty log. */
  reset(): void;
  push(options?: PushOptions & { api?: NotionApiOptions }): Promise<PushResult>;
  revert(options?: RevertOptions & { api?: NotionApiOptions }): Promise<RevertResult>;
  violations(): string[];
  close(): Promise<void>;
}

export async function plannedWorld(): Promise<MatrixWorld> {
  const session = await openEmulator();
  const project = createProject(session);
  await project.pull();
  installDemoRules(project.config.fillsDir);
  const planned = await planRun(project.config, { minConfidence: "high" });
  const runId = planned.runId;
  if (!runId) throw new Error("the demo plan is empty");
  const mirror = project.openMirror();
  let targets: Target[];
  try {
    targets = runChanges(mirror.sqlite, runId).map((row) => ({
      changeId: row.id,
      pageId: row.pageId,
      dataSourceId: row.dataSourceId,
      propertyId: row.propertyId,
      propertyName: row.propertyName,
    }));
  } finally {
    mirror.close();
  }
  const { mirrorPath, snapshotsDir } = project.config;
  copyFileSync(mirrorPath, `${mirrorPath}.planned`);
  const atPlan = session.emulator.dump();
  session.emulator.log.clear();

  const world: MatrixWorld = {
    session,
    project,
    runId,
    targets,
    atPlan,
    reset() {
      session.emulator.faults.clear();
      session.emulator.setLatency(0);
      session.emulator.reseed(structuredClone(atPlan));
      session.emulator.log.clear();
      for (const suffix of ["", "-wal", "-shm"])
        if (existsSync(`${mirrorPath}${suffix}`)) rmSync(`${mirrorPath}${suffix}`);
      copyFileSync(`${mirrorPath}.planned`, mirrorPath);
      rmSync(snapshotsDir, { recursive: true, force: true });
    },
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
    async close() {
      session.emulator.faults.clear();
      await session.stop();
      project.remove();
    },
  };
  return world;
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
