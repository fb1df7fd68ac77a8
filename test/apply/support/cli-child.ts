import type { ChildProcess } from "node:child_process";
import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import type { PushWorld } from "./push-world.ts";

const BIN = fileURLToPath(new URL("../../../bin/notion-mirror.js", import.meta.url));

export interface CliOutcome {
  /** Exit code, or null when a signal ended the process. */
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** A `notion-mirror` child process on the world's project; its stdin is a pipe, not a TTY. */
export interface CliChild {
  child: ChildProcess;
  done: Promise<CliOutcome>;
  /** What it printed so far. */
  output(): { stdout: string; stderr: string };
}

/** `env` is added to the project's (a NOTION_BASE_URL of a relay, say). */
export function startCli(
  world: Pick<PushWorld, "project">,
  args: readonly string[],
  env: NodeJS.ProcessEnv = {},
): CliChild {
  const child = spawn(process.execPath, [BIN, "--config", world.project.config.file, ...args], {
    cwd: world.project.dir,
    env: { ...world.project.env, ...env, NO_COLOR: "1", CI: "1" },
    stdio: ["pipe", "pipe", "pipe"],
  });
  let stdout = "";
  let stderr = "";
  child.stdout?.on("data", (chunk: Buffer) => (stdout += chunk.toString("utf8")));
  child.stderr?.on("data", (chunk: Buffer) => (stderr += chunk.toString("utf8")));
  const timer = setTimeout(() => child.kill("SIGKILL"), 60_000);
  const done = new Promise<CliOutcome>((resolve) => {
    child.on("close", (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr });
    });
  });
  return { child, done, output: () => ({ stdout, stderr }) };
}

/** Runs `notion-mirror --config … <args>` to the end. */
export function runCli(
  world: Pick<PushWorld, "project">,
  args: readonly string[],
): Promise<CliOutcome> {
  return startCli(world, args).done;
}
