import { snapshotPath } from "../src/snapshot/snapshot-file.ts";
import type { RunSummary } from "../src/apply/run-summary.ts";
import type { Emulator } from "../src/emulator/index.ts";
import type { CliEnd, KillMoment } from "./soak-cli.ts";
import { randomKillMoment, runCliChild } from "./soak-cli.ts";
import type { PhaseResult } from "./soak-phases.ts";
import type { Random } from "./soak-random.ts";
import { tearSnapshotTail } from "./soak-torn-tail.ts";

/** Every documented way to resume an interrupted push or revert (README, command reference). */
export const RESUME_ROUTES = [
  "push",
  "push-id",
  "revert-id",
  "revert-last",
  "revert-snapshot",
] as const;
export type ResumeRoute = (typeof RESUME_ROUTES)[number];

/** The command a person types for each route (RUN-ID: the pushed run). */
export const ROUTE_COMMANDS: Record<ResumeRoute, string> = {
  push: "push (latest unfinished)",
  "push-id": "push RUN-ID",
  "revert-id": "revert RUN-ID",
  "revert-last": "revert --last",
  "revert-snapshot": "revert --snapshot FILE",
};

export const routeKind = (route: ResumeRoute): "push" | "revert" =>
  route.startsWith("push") ? "push" : "revert";

/** The arguments of one invocation by `route` for the fill run `runId`. */
export function routeArgs(route: ResumeRoute, runId: string, snapshotsDir: string): string[] {
  switch (route) {
    case "push":
      return ["push", "--yes", "--json"];
    case "push-id":
      return ["push", runId, "--yes", "--json"];
    case "revert-id":
      return ["revert", runId, "--yes", "--json"];
    case "revert-last":
      return ["revert", "--last", "--yes", "--json"];
    case "revert-snapshot":
      return ["revert", "--snapshot", snapshotPath(snapshotsDir, runId), "--yes", "--json"];
  }
}

/** A route phase's result: a PhaseResult, and what the kills and the invocations' answers say. */
export interface RouteResult extends PhaseResult {
  /** SIGKILLs that landed, with the moment each was aimed at. */
  kills: KillMoment[];
  /** Exit codes of the invocations that were not killed ("1": 3 means one exited 1 three times). */
  exits: Record<string, number>;
  /** Invocations whose answer names another run than the one the route should act on. */
  wrongRun: string[];
  /** Resumes that started on a snapshot with a torn last line (see tearSnapshotTail). */
  tornTails: number;
}

/** Share of resumes after a kill that first find a torn last line in the run's snapshot. */
const TORN_SHARE = 0.25;

/**
 * Runs `route` as CLI child processes until the run settles: the first `kills` invocations are
 * SIGKILLed at random moments (randomKillMoment, aimed by `pagesLeft()`), then the same command
 * is run again until an answer says nothing is pending, at most `maxAttempts` times more. An
 * invocation that exits with an error is simply run again, as a person would. Before some
 * resumes after a kill, the snapshot being appended gets a torn last line, as a power cut leaves.
 */
export async function invokeRoute(input: {
  route: ResumeRoute;
  runId: string;
  emulator: Emulator;
  project: { dir: string; env: NodeJS.ProcessEnv; config: { file: string; snapshotsDir: string } };
  random: Random;
  kills: number;
  maxAttempts: number;
  pagesLeft: () => number;
}): Promise<RouteResult> {
  const { route, runId, project } = input;
  const result: RouteResult = {
    attempts: 0,
    errors: [],
    summary: undefined,
    kills: [],
    exits: {},
    wrongRun: [],
    tornTails: 0,
  };
  const appendsTo = (run: { runId: string; kind: string; revertsRunId: string | null }) =>
    routeKind(route) === "push" ? run.runId === runId : run.revertsRunId === runId;
  let killed = false;
  while (result.attempts < input.kills + input.maxAttempts) {
    if (
      killed &&
      input.random() < TORN_SHARE &&
      tearSnapshotTail(project.config.snapshotsDir, appendsTo)
    )
      result.tornTails += 1;
    const kill =
      result.kills.length < input.kills
        ? randomKillMoment(input.random, input.pagesLeft())
        : undefined;
    result.attempts += 1;
    const end: CliEnd = await runCliChild({
      configFile: project.config.file,
      cwd: project.dir,
      args: routeArgs(route, runId, project.config.snapshotsDir),
      env: project.env,
      emulator: input.emulator,
      kill,
    });
    killed = end.killed;
    if (end.killed) {
      result.kills.push(end.at);
      continue;
    }
    const code = String(end.code);
    result.exits[code] = (result.exits[code] ?? 0) + 1;
    const answer = end.code === 0 || end.code === 3 ? parseAnswer(end.stdout) : undefined;
    if (!answer) {
      result.errors.push(firstError(end.stderr) ?? `exit ${code} without an answer`);
      continue;
    }
    const actedOn = routeKind(route) === "push" ? answer.runId : answer.revertedRunId;
    if (actedOn !== runId)
      result.wrongRun.push(
        routeKind(route) === "push"
          ? `pushed ${actedOn}`
          : `revert ${answer.revertRunId} reverted ${actedOn}`,
      );
    result.summary = answer.summary;
    if (answer.revertRunId) result.runId = answer.revertRunId;
    if (answer.summary.pending === 0) return result;
  }
  return result;
}

interface Answer {
  runId?: string;
  revertRunId?: string;
  revertedRunId?: string;
  summary: RunSummary;
}

/** The --json answer of push or revert; undefined when the output is not one. */
function parseAnswer(stdout: string): Answer | undefined {
  try {
    const parsed = JSON.parse(stdout) as Partial<Answer>;
    return parsed.summary && typeof parsed.summary.pending === "number"
      ? (parsed as Answer)
      : undefined;
  } catch {
    return undefined;
  }
}

function firstError(stderr: string): string | undefined {
  return stderr
    .split("\n")
    .find((line) => line.startsWith("error:"))
    ?.slice("error: ".length);
}
