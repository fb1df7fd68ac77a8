import type { ChildProcess } from "node:child_process";
import { spawn } from "node:child_process";
import { readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { main } from "../../../src/cli/main.ts";
import type { Emulator } from "../../../src/emulator/index.ts";

export const BIN = fileURLToPath(new URL("../../../bin/notion-mirror.js", import.meta.url));

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

/** The variables a CLI run sees for Notion; `undefined` removes one. */
export type CliEnv = Record<string, string | undefined>;

/**
 * `notion-mirror <args>` run in this process through the real CLI entry (`main`), its stdout and
 * stderr captured and `env` set for the duration. As a child process but ~1.5 s cheaper; use
 * {@link spawnCli} where the test needs a separate process (locks, kill -9). `cwd`: the folder it
 * runs in for the duration (a config found there, relative paths), as a child's would be.
 */
export async function runCli(args: string[], env: CliEnv, cwd?: string): Promise<CliRun> {
  const savedCwd = process.cwd();
  const saved = new Map<string, string | undefined>();
  const settings: CliEnv = { NO_COLOR: "1", NOTION_API_KEY: undefined, CI: undefined, ...env };
  for (const [key, value] of Object.entries(settings)) {
    saved.set(key, process.env[key]);
    if (value === undefined) delete process.env[key];
    else process.env[key] = value;
  }
  const out: string[] = [];
  const err: string[] = [];
  const original = { out: process.stdout.write, err: process.stderr.write };
  process.stdout.write = ((chunk: string | Uint8Array) => {
    out.push(String(chunk));
    return true;
  }) as typeof process.stdout.write;
  process.stderr.write = ((chunk: string | Uint8Array) => {
    err.push(String(chunk));
    return true;
  }) as typeof process.stderr.write;
  let code: number;
  try {
    if (cwd) process.chdir(cwd);
    code = await main(["node", "notion-mirror", ...args]);
  } finally {
    process.chdir(savedCwd);
    process.stdout.write = original.out;
    process.stderr.write = original.err;
    for (const [key, value] of saved) {
      if (value === undefined) delete process.env[key];
      else process.env[key] = value;
    }
  }
  return { code, stdout: out.join(""), stderr: err.join("") };
}

export interface SpawnedCli {
  child: ChildProcess;
  /** Resolves when the process ends: its exit code (null when killed) and output. */
  done: Promise<{
    code: number | null;
    signal: NodeJS.Signals | null;
    stdout: string;
    stderr: string;
  }>;
}

/** `node bin/notion-mirror.js <args>` as a child process (pipes, no terminal). */
export function spawnCli(args: string[], env: CliEnv, cwd: string): SpawnedCli {
  const childEnv: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: "1" };
  delete childEnv.NOTION_API_KEY;
  delete childEnv.CI;
  for (const [key, value] of Object.entries(env)) {
    if (value === undefined) delete childEnv[key];
    else childEnv[key] = value;
  }
  const child = spawn(process.execPath, [BIN, ...args], {
    cwd,
    env: childEnv,
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stdout = "";
  let stderr = "";
  child.stdout?.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr?.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
  const done = new Promise<{
    code: number | null;
    signal: NodeJS.Signals | null;
    stdout: string;
    stderr: string;
  }>((resolve) => {
    child.on("close", (code, signal) => resolve({ code, signal, stdout, stderr }));
  });
  return { child, done };
}

/** The PATCH requests the emulator received for pages (writes), in order. */
export function pagePatches(emulator: Emulator): Array<{ path: string; at: number }> {
  return emulator.log
    .all()
    .filter((request) => request.method === "PATCH" && request.path.startsWith("/v1/pages/"));
}

/** Every regular file under `dir`, recursively (symlinks not followed). */
export function walkFiles(dir: string): string[] {
  const files: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) files.push(...walkFiles(path));
    else if (entry.isFile()) files.push(path);
  }
  return files;
}

/** Path → mtime and size of every file under `dir`: compare two to see what was touched. */
export function fileStamps(dir: string): Record<string, string> {
  const stamps: Record<string, string> = {};
  for (const file of walkFiles(dir)) {
    const stat = statSync(file);
    stamps[file] = `${stat.mtimeMs}:${stat.size}`;
  }
  return stamps;
}

/** Waits until `test` holds, polling; throws after `timeoutMs`. */
export async function waitFor(
  test: () => boolean,
  what: string,
  timeoutMs = 15_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!test()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
