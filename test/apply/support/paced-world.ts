import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { ProjectConfigFile } from "../../../src/config/config-schema.ts";
import { writeConfig } from "../../../src/config/write-config.ts";
import { scaleWorkspace } from "../../../src/emulator/workspaces/scale-workspace.ts";
import { planRun } from "../../../src/fill/plan-run.ts";
import { loadConfig } from "../../../src/config/project-config.ts";
import type { EmulatorSession } from "../../support/emulator.ts";
import { openEmulator } from "../../support/emulator.ts";
import type { TestProject } from "../../support/project.ts";
import { createProject } from "../../support/project.ts";

/** The text every planned fill writes into an empty Notes. */
export const FILL_TEXT = "Filled at the pace of Notion";

/**
 * A generated workspace with `fills` empty Notes planned (one per page), pulled and planned with
 * no limit; then the emulator answers every request after `latencyMs` under a rate limit of
 * `rate` per second, and the project's config paces at the same rate (the default, 3, unless
 * asked), as a push against Notion would be.
 */
export interface PacedWorld {
  session: EmulatorSession;
  project: TestProject;
  runId: string;
  pageIds: string[];
  close(): Promise<void>;
}

/**
 * From now on the emulator answers after `latencyMs` under a limit of `rate` per second (with
 * `burst` requests above it; the emulator's default is the rate rounded up), and the project's
 * config paces at that rate (test projects default to 1000/s); the log is cleared.
 */
export function paceLikeNotion(
  session: EmulatorSession,
  project: TestProject,
  rate: number,
  latencyMs: number,
  burst?: number,
): void {
  const file = JSON.parse(readFileSync(project.config.file, "utf8")) as ProjectConfigFile;
  writeConfig(project.config.file, { ...file, rateLimit: rate }, true);
  project.config = loadConfig(project.config.file);
  session.emulator.setRateLimit({ perSecond: rate, ...(burst ? { burst } : {}) });
  session.emulator.setLatency(latencyMs);
  session.emulator.log.clear();
}

export async function pacedWorld(options: {
  fills: number;
  latencyMs: number;
  rate?: number;
  burst?: number;
}): Promise<PacedWorld> {
  const rate = options.rate ?? 3;
  const session = await openEmulator({
    seed: scaleWorkspace({ pages: options.fills * 4 + 20, dataSources: 1, seed: 11 }),
  });
  const project = createProject(session);
  try {
    await project.pull();
    const alias = project.config.dataSources[0]?.alias ?? "";
    mkdirSync(project.config.fillsDir, { recursive: true });
    writeFileSync(
      join(project.config.fillsDir, "paced-notes.sql"),
      `-- rule: paced-notes
-- target: ${alias}.notes
-- confidence: high
-- description: One fixed text in the first empty Notes.
SELECT page_id, '${FILL_TEXT}' AS value FROM ${alias}
WHERE notes IS NULL AND in_trash = 0 ORDER BY page_id LIMIT ${options.fills};
`,
    );
    const planned = await planRun(project.config);
    if (!planned.runId || planned.plan.changes.length !== options.fills)
      throw new Error(
        `meant to plan ${options.fills} fills, planned ${planned.plan.changes.length}`,
      );
    paceLikeNotion(session, project, rate, options.latencyMs, options.burst);
    return {
      session,
      project,
      runId: planned.runId,
      pageIds: planned.plan.changes.map((change) => change.pageId),
      async close() {
        await session.stop();
        project.remove();
      },
    };
  } catch (error) {
    await session.stop();
    project.remove();
    throw error;
  }
}
