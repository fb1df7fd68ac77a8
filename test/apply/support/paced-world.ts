import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { ProjectConfigFile } from "../../../src/config/config-schema.ts";
import { writeConfig } from "../../../src/config/write-config.ts";
import { scaleWorkspace } from "../../../src/emulator/index.ts";
import { planRun } from "../../../src/fill/plan-run.ts";
import { loadConfig } from "../../../src/config/project-config.ts";
import type { EmulatorSession } from "../../support/emulator.ts";
import type { TestProject } from "../../support/project.ts";
import type { PulledWorld } from "../../support/pulled-world.ts";
import { openPulledWorld } from "../../support/pulled-world.ts";

/** The text every planned fill writes into an empty Notes. */
export const FILL_TEXT = "Filled at the pace of Notion";

/**
 * A generated workspace with `fills` empty Notes planned (one per page), pulled and planned with
 * no limit; then the emulator answers every request after `latencyMs` under a rate limit of
 * `rate` per second, and the project's config paces at the same rate (the default, 3, unless
 * asked), as a push against Notion would be.
 */
export interface PacedWorld extends PulledWorld {
  runId: string;
  pageIds: string[];
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
  const pulled = await openPulledWorld({
    seed: scaleWorkspace({ pages: options.fills * 4 + 20, dataSources: 1, seed: 11 }),
  });
  const { session, project } = pulled;
  try {
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
      ...pulled,
      runId: planned.runId,
      pageIds: planned.plan.changes.map((change) => change.pageId),
    };
  } catch (error) {
    await pulled.close();
    throw error;
  }
}
