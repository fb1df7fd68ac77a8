import { pushRun, selectPushRun } from "../src/apply/push.ts";
import type { RunSummary } from "../src/apply/run-summary.ts";
import { locateRevertTarget, revertRun } from "../src/apply/revert.ts";
import type { ProjectConfig } from "../src/config/project-config.ts";
import { openMirror } from "../src/mirror/open-mirror.ts";
import type { NotionApi } from "../src/notion/notion-api.ts";

/** How one phase (push, or revert) went, over all of its invocations. */
export interface PhaseResult {
  /** Invocations made (the first, then resumes). */
  attempts: number;
  /** Messages of invocations that stopped with an error (each then resumed). */
  errors: string[];
  /** The last invocation's summary: it counts every change of the run, resumed or not. */
  summary: RunSummary | undefined;
  /** The revert's run id (revert phase only). */
  runId?: string;
}

/**
 * Pushes the planned run `runId`, resuming (a new invocation on a freshly opened mirror, as a
 * person running `push` again would) until no change is pending or `maxAttempts` is reached.
 */
export async function pushUntilSettled(
  config: ProjectConfig,
  api: NotionApi,
  runId: string,
  maxAttempts: number,
): Promise<PhaseResult> {
  return untilSettled(maxAttempts, async () => {
    const mirror = openMirror(config.mirrorPath);
    try {
      return {
        summary: (await pushRun(config, mirror, api, selectPushRun(mirror, runId))).summary,
      };
    } finally {
      mirror.close();
    }
  });
}

/** Reverts `runId` the same way: each invocation after the first resumes the unfinished revert. */
export async function revertUntilSettled(
  config: ProjectConfig,
  api: NotionApi,
  runId: string,
  maxAttempts: number,
): Promise<PhaseResult> {
  return untilSettled(maxAttempts, async () => {
    const mirror = openMirror(config.mirrorPath);
    try {
      const target = locateRevertTarget(config.snapshotsDir, mirror, { runId });
      const result = await revertRun(target, mirror, api, config.snapshotsDir);
      return { summary: result.summary, runId: result.revertRunId };
    } finally {
      mirror.close();
    }
  });
}

async function untilSettled(
  maxAttempts: number,
  invoke: () => Promise<{ summary: RunSummary; runId?: string }>,
): Promise<PhaseResult> {
  const result: PhaseResult = { attempts: 0, errors: [], summary: undefined };
  while (result.attempts < maxAttempts) {
    result.attempts += 1;
    try {
      const { summary, runId } = await invoke();
      result.summary = summary;
      if (runId) result.runId = runId;
      if (summary.pending === 0) return result;
    } catch (error) {
      result.errors.push(error instanceof Error ? error.message : String(error));
    }
  }
  return result;
}
