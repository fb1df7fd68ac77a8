import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import type { Emulator } from "../src/emulator/index.ts";
import type { Random } from "./soak-random.ts";

const BIN = fileURLToPath(new URL("../bin/notion-mirror.js", import.meta.url));

/**
 * When to SIGKILL a CLI child: `extraMs` after the emulator has logged `pageRequests` requests to
 * pages (live reads, writes, read-backs) since the child started; or `afterMs` after its start.
 */
export type KillMoment = { pageRequests: number; extraMs: number } | { afterMs: number };

/** How a CLI child ended. */
export type CliEnd =
  | { killed: true; at: KillMoment }
  | { killed: false; code: number | null; stdout: string; stderr: string };

/**
 * A random moment to kill a run that has `pages` pages left: mostly after a random number of
 * page requests (each page takes at least one, its live read) and a few ms more, so the kill
 * lands anywhere in a page's read → snapshot → write → record; sometimes during start-up.
 */
export function randomKillMoment(random: Random, pages: number): KillMoment {
  if (random() < 0.1) return { afterMs: Math.floor(random() * 1500) };
  return {
    pageRequests: 1 + Math.floor(random() * Math.max(1, Math.floor(pages * 0.9))),
    extraMs: Math.floor(random() * 15),
  };
}

/**
 * Runs `notion-mirror --config CONFIG <args>` as a child process (the way a person runs it), and
 * SIGKILLs it at `kill` when given. Resolves when the child is gone. Never throws for the child's
 * own failure: its exit code and output are the result.
 */
export function runCliChild(input: {
  configFile: string;
  cwd: string;
  args: readonly string[];
  env: NodeJS.ProcessEnv;
  emulator: Emulator;
  kill?: KillMoment;
}): Promise<CliEnd> {
  const { emulator, kill } = input;
  const startSeq = emulator.log.all().length;
  const started = Date.now();
  const child = spawn(process.execPath, [BIN, "--config", input.configFile, ...input.args], {
    cwd: input.cwd,
    env: { ...input.env, NO_COLOR: "1" },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString("utf8")));
  child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString("utf8")));
  let killed = false;
  let killAt: number | undefined;
  let seen = startSeq;
  let pageRequests = 0;
  const countPageRequests = () => {
    const log = emulator.log.all();
    for (; seen < log.length; seen += 1)
      if (log[seen]?.path.startsWith("/v1/pages/")) pageRequests += 1;
    return pageRequests;
  };
  const watch = kill
    ? setInterval(() => {
        if (killed || child.exitCode !== null) return;
        const now = Date.now();
        if (killAt === undefined) {
          if ("afterMs" in kill) killAt = started + kill.afterMs;
          else if (countPageRequests() >= kill.pageRequests) killAt = now + kill.extraMs;
        }
        if (killAt !== undefined && now >= killAt) {
          killed = true;
          child.kill("SIGKILL");
        }
      }, 2)
    : undefined;
  return new Promise((resolve, reject) => {
    child.on("error", reject);
    child.on("close", (code, signal) => {
      if (watch) clearInterval(watch);
      if (killed && signal === "SIGKILL" && kill) resolve({ killed: true, at: kill });
      else resolve({ killed: false, code, stdout, stderr });
    });
  });
}
