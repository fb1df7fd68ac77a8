import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import type { TestProject } from "../../support/project.ts";

const BIN = fileURLToPath(new URL("../../../bin/notion-mirror.js", import.meta.url));

/** How a child ended: killed by us, or its exit code (it finished before the moment came). */
export type ChildEnd = { killed: true } | { killed: false; code: number | null; stderr: string };

/**
 * Runs `notion-mirror --config … <args>` in a child process and SIGKILLs it the moment `ready()`
 * holds (polled every few ms), e.g. once the emulator has seen a given request. Resolves once the
 * child is gone. Gives up (kills, and says it finished with code null) after `timeoutMs`.
 */
export function killCliWhen(
  project: TestProject,
  args: readonly string[],
  ready: () => boolean,
  timeoutMs = 30_000,
): Promise<ChildEnd> {
  const child = spawn(process.execPath, [BIN, "--config", project.config.file, ...args], {
    cwd: project.dir,
    env: { ...project.env, NO_COLOR: "1" },
    stdio: ["ignore", "ignore", "pipe"],
  });
  let stderr = "";
  child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString("utf8")));
  let killed = false;
  const deadline = Date.now() + timeoutMs;
  const watch = setInterval(() => {
    if (killed || child.exitCode !== null) return;
    if (ready()) {
      killed = true;
      child.kill("SIGKILL");
    } else if (Date.now() > deadline) child.kill("SIGKILL");
  }, 2);
  return new Promise((resolve, reject) => {
    child.on("error", reject);
    child.on("exit", (code, signal) => {
      clearInterval(watch);
      resolve(killed && signal === "SIGKILL" ? { killed: true } : { killed: false, code, stderr });
    });
  });
}

/** How many times the fault rule `id` has acted. */
export function actedOf(
  faults: { list(): Array<{ id: string; acted: number }> },
  id: string,
): number {
  return faults.list().find((rule) => rule.id === id)?.acted ?? 0;
}
