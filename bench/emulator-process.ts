import type { ChildProcess } from "node:child_process";
import { spawn } from "node:child_process";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import { z } from "zod";
import type { RequestLogEntry, SeedFile } from "../src/emulator/index.ts";
import { scaleWorkspace } from "../src/emulator/index.ts";
import type { BenchProject } from "./bench-project.ts";
import { createBenchProject } from "./bench-project.ts";
import { emulatorReady } from "./child-messages.ts";
import { windowBudget } from "./limited-workspace.ts";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const CONTROL = "/__emulator";

/**
 * A scale workspace served by an emulator in a Node process of its own, with a project pointed
 * at it. Notion's work is not done on the client's thread: with the emulator in the same
 * process, every answer's rendering and every request's parsing took turns with the client's
 * own work on one event loop, and a run under a budget measured the two together.
 */
export interface EmulatorProcessWorkspace {
  seed: SeedFile;
  project: BenchProject;
  /** Turns on the latency and the window budget of `rate` per second (the seed loads unpaced). */
  limit(): Promise<void>;
  /** The emulator's request log from its start. */
  requests(): Promise<RequestLogEntry[]>;
  close(): Promise<void>;
}

const logEntry = z.object({
  seq: z.number(),
  method: z.string(),
  path: z.string(),
  status: z.number(),
  at: z.number(),
  durationMs: z.number(),
  version: z.string().optional(),
  code: z.string().optional(),
  fault: z.string().optional(),
  applied: z.boolean().optional(),
  connection: z.number().optional(),
  rateLimitReason: z.string().optional(),
  rateLimitWindow: z.number().optional(),
  requestId: z.string(),
});

export async function openEmulatorProcess(
  scale: { pages: number; dataSources: number },
  options: { rate: number; latencyMs: number; windowMs: number },
): Promise<EmulatorProcessWorkspace> {
  const seed = scaleWorkspace(scale);
  const file = fileURLToPath(new URL("child-emulator.ts", import.meta.url));
  const child = spawn(process.execPath, ["--import", "tsx", file, JSON.stringify({ scale })], {
    cwd: ROOT,
    stdio: ["pipe", "pipe", "inherit"],
  });
  let ready: z.infer<typeof emulatorReady>;
  try {
    ready = emulatorReady.parse(JSON.parse(await firstLine(child)));
  } catch (error) {
    child.kill();
    throw error;
  }
  const control = async (method: string, path: string, body?: unknown): Promise<unknown> => {
    const response = await fetch(`${ready.url}${CONTROL}${path}`, {
      method,
      headers: { "content-type": "application/json" },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const answer: unknown = await response.json();
    if (!response.ok) throw new Error(`emulator control ${method} ${path}: ${response.status}`);
    return answer;
  };
  const project = createBenchProject(ready, seed);
  return {
    seed,
    project,
    async limit() {
      await control("PUT", "/settings", {
        latencyMs: options.latencyMs,
        rateLimit: windowBudget(options.rate, options.windowMs),
      });
    },
    async requests() {
      return z.array(logEntry).parse(await control("GET", "/requests"));
    },
    async close() {
      const exited =
        child.exitCode === null
          ? new Promise((resolve) => child.once("exit", resolve))
          : Promise.resolve();
      child.stdin?.end();
      await exited;
      project.remove();
    },
  };
}

/** The child's first line of stdout; rejects if it exits first. */
function firstLine(child: ChildProcess): Promise<string> {
  const stdout = child.stdout;
  if (!stdout) return Promise.reject(new Error("the emulator process has no stdout"));
  return new Promise((resolve, reject) => {
    const lines = createInterface({ input: stdout });
    lines.once("line", (line) => {
      lines.close();
      resolve(line);
    });
    child.once("exit", (code) => reject(new Error(`the emulator process exited with ${code}`)));
  });
}
