import type { ChangeRow } from "../src/runs/change-store.ts";
import { runChanges } from "../src/runs/change-store.ts";
import { scaleWorkspace } from "../src/emulator/index.ts";
import { planRun } from "../src/fill/plan-run.ts";
import type { EmulatorSession } from "../test/support/emulator.ts";
import { openEmulator } from "../test/support/emulator.ts";
import type { TestProject } from "../test/support/project.ts";
import { createProject } from "../test/support/project.ts";
import { writeSoakRules } from "./soak-rules.ts";

/** A generated workspace on its own emulator, mirrored, with one planned run of soak fills. */
export interface SoakWorld {
  session: EmulatorSession;
  project: TestProject;
  pages: number;
  runId: string;
  /** The run's changes as planned. */
  rows: ChangeRow[];
  /** Changes the rules proposed, by kind of value (text, number, …). */
  plannedByKind: Record<string, number>;
  /** Reads the run's changes as the mirror holds them now. */
  changesNow(): ChangeRow[];
  close(): Promise<void>;
}

/**
 * Serves a generated workspace sized for `changes` fills over `dataSources` data sources, pulls
 * it into a fresh project, writes the soak's rules and plans them. Every choice derives from
 * `seed`. Throws when the plan is empty.
 */
export async function soakWorld(
  options: { changes: number; dataSources: number; seed: number },
  log: (line: string) => void,
): Promise<SoakWorld> {
  const pages = Math.ceil(options.changes * 1.3) + 40;
  const session = await openEmulator({
    seed: scaleWorkspace({ pages, dataSources: options.dataSources, seed: options.seed }),
    randomSeed: options.seed,
  });
  const project = createProject(session);
  const changesNow = () => {
    const mirror = project.openMirror();
    try {
      return runChanges(mirror.sqlite, runId);
    } finally {
      mirror.close();
    }
  };
  let runId = "";
  try {
    log(`workspace: ${pages} pages over ${options.dataSources} data sources; pulling`);
    await project.pull();
    const aliases = [...project.config.dataSources]
      .sort((a, b) => sourceNumber(a.name) - sourceNumber(b.name))
      .map((source) => source.alias);
    const mirror = project.openMirror();
    let written;
    try {
      written = writeSoakRules(mirror.sqlite, aliases, project.config.fillsDir, options.changes);
    } finally {
      mirror.close();
    }
    const planned = await planRun(project.config);
    if (!planned.runId) throw new Error("the soak's rules planned nothing");
    runId = planned.runId;
    return {
      session,
      project,
      pages,
      runId,
      rows: changesNow(),
      plannedByKind: written.byKind,
      changesNow,
      async close() {
        project.remove();
        await session.stop();
      },
    };
  } catch (error) {
    project.remove();
    await session.stop();
    throw error;
  }
}

function sourceNumber(name: string | undefined): number {
  return Number(/(\d+)\s*$/.exec(name ?? "")?.[1] ?? 0);
}
