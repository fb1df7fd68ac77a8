import type { ChildProcess } from "node:child_process";
import { fork } from "node:child_process";
import { createRequire } from "node:module";
import { fileURLToPath, pathToFileURL } from "node:url";
import { NotionMirrorError } from "../errors.ts";
import type { SqlStart } from "../mirror/read-only-sql.ts";
import type { RunMessage, WorkerMessage } from "./sandbox-protocol.ts";
import { isWorkerMessage } from "./sandbox-protocol.ts";

/** Limits for one SQL text, and where it was read from. */
export interface RuleSqlOptions {
  /** Wall-clock limit for running the query (the worker's start-up is not counted). */
  timeoutMs: number;
  /** Rows kept; `truncated` says when there were more. */
  maxRows: number;
  /** Where the SQL starts in its file, so a SQL error names the file's line and column. */
  start?: SqlStart;
}

/** What a rule's SQL returned, values as SQLite gives them (number, string, null). */
export interface RuleSqlResult {
  columns: string[];
  rows: unknown[][];
  truncated: boolean;
}

/** A sandbox process kept for several SQL texts (a plan with 10 rules starts one process). */
export interface SqlSandbox {
  /**
   * Runs one read on the mirror in the sandbox process. Rejects with a usage NotionMirrorError
   * for a refused statement, a SQL error, a BLOB value, or a query that ran past `timeoutMs`
   * (the process is then killed and the next run starts a fresh one); with an internal one when
   * the process dies. Runs are queued: one at a time.
   */
  run(sql: string, options: RuleSqlOptions): Promise<RuleSqlResult>;
  /**
   * Starts the sandbox process now if none is running, so that its start-up (about half a
   * second under tsx) overlaps the caller's own work. Never throws: a process that fails to start
   * is reported by the next run.
   */
  start(): void;
  /** The current sandbox process id, if one is running (for diagnostics). */
  readonly pid: number | undefined;
  /** Stops the sandbox process after the queued runs; safe to call twice. */
  close(): Promise<void>;
}

/** How long the worker may take to start (load the code, open the mirror). */
const STARTUP_LIMIT_MS = 30_000;

/**
 * Runs untrusted fill-rule SQL on the mirror in a child process, so a runaway query can be
 * stopped by killing it (better-sqlite3 cannot interrupt a statement). The child opens the
 * mirror read-only with `query_only` and accepts only one SELECT / WITH / VALUES statement: the
 * mirror file is never changed. The sandbox is reusable: the process starts on `start()` or the
 * first run and serves the next ones. Close it.
 *
 * @example
 * const sandbox = openSqlSandbox(config.mirrorPath);
 * sandbox.start();
 * try { for (const rule of rules) results.push(await sandbox.run(rule.sql, limits)); } finally { await sandbox.close(); }
 */
export function openSqlSandbox(mirrorPath: string): SqlSandbox {
  return new Sandbox(mirrorPath);
}

class Sandbox implements SqlSandbox {
  private worker: Worker | undefined;
  /** The process is from start() and no run has used it yet. */
  private startedUnused = false;
  private queue: Promise<unknown> = Promise.resolve();
  private closed = false;
  private nextId = 1;

  constructor(private readonly mirrorPath: string) {}

  get pid(): number | undefined {
    return this.worker?.child.pid;
  }

  run(sql: string, options: RuleSqlOptions): Promise<RuleSqlResult> {
    if (this.closed) {
      return Promise.reject(new NotionMirrorError("internal", "The SQL sandbox is closed."));
    }
    try {
      checkOptions(options);
    } catch (error) {
      return Promise.reject(error);
    }
    const result = this.queue.then(() => this.runNow(sql, options));
    this.queue = result.catch(() => undefined);
    return result;
  }

  start(): void {
    if (this.closed || this.worker?.usable) return;
    const worker = new Worker(this.mirrorPath);
    // A failed start is the next run's to report (runNow awaits `ready`).
    worker.ready.catch(() => undefined);
    this.worker = worker;
    this.startedUnused = true;
  }

  async close(): Promise<void> {
    this.closed = true;
    await this.queue;
    const worker = this.worker;
    this.worker = undefined;
    if (worker) await worker.stop();
  }

  private async runNow(sql: string, options: RuleSqlOptions): Promise<RuleSqlResult> {
    // A process from start() serves the first run even if it failed: its failure is reported.
    if (!this.worker || (!this.startedUnused && !this.worker.usable)) {
      this.worker = new Worker(this.mirrorPath);
    }
    this.startedUnused = false;
    const worker = this.worker;
    await worker.ready;
    return worker.run(this.nextId++, sql, options);
  }
}

/** One child process and the run in flight. */
class Worker {
  readonly child: ChildProcess;
  readonly ready: Promise<void>;
  exited = false;
  private stderrTail = "";
  private onMessage: ((message: WorkerMessage) => void) | undefined;
  private onExit: ((reason: string) => void) | undefined;

  constructor(mirrorPath: string) {
    const { path, execArgv } = workerEntry();
    this.child = fork(path, [mirrorPath], {
      execArgv,
      serialization: "advanced",
      stdio: ["ignore", "ignore", "pipe", "ipc"],
    });
    this.child.stderr?.setEncoding("utf8");
    this.child.stderr?.on("data", (chunk: string) => {
      this.stderrTail = (this.stderrTail + chunk).slice(-2000);
    });
    this.child.on("message", (message: unknown) => {
      if (isWorkerMessage(message)) this.onMessage?.(message);
    });
    this.child.on("error", (error) => this.onExit?.(`could not be started: ${error.message}`));
    this.child.on("exit", (code, signal) => {
      this.exited = true;
      this.onExit?.(signal ? `was killed by ${signal}` : `exited with code ${code}`);
    });
    this.ready = new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.child.kill("SIGKILL");
        reject(crashError(`did not start within ${STARTUP_LIMIT_MS / 1000} s`, this.stderrTail));
      }, STARTUP_LIMIT_MS);
      this.onMessage = (message) => {
        if (message.type !== "ready") return;
        clearTimeout(timer);
        this.idle();
        resolve();
      };
      this.onExit = (reason) => {
        clearTimeout(timer);
        reject(crashError(reason, this.stderrTail));
      };
    });
  }

  /** False once the process has exited or been killed. */
  get usable(): boolean {
    return !this.exited && !this.child.killed && this.child.connected;
  }

  run(id: number, sql: string, options: RuleSqlOptions): Promise<RuleSqlResult> {
    return new Promise<RuleSqlResult>((resolve, reject) => {
      const settle = () => {
        clearTimeout(timer);
        this.onMessage = undefined;
        this.onExit = undefined;
        this.idle();
      };
      const timer = setTimeout(() => {
        settle();
        this.child.kill("SIGKILL");
        reject(
          new NotionMirrorError(
            "usage",
            `The SQL ran longer than ${seconds(options.timeoutMs)} s and was stopped (its sandbox process was killed).`,
            "Try: narrow the query (a WHERE on the target's emptiness, a LIMIT), or check that a recursive CTE has a stopping condition.",
          ),
        );
      }, options.timeoutMs);
      this.onMessage = (message) => {
        if (message.type === "ready" || message.id !== id) return;
        settle();
        if (message.type === "result") {
          resolve({ columns: message.columns, rows: message.rows, truncated: message.truncated });
        } else {
          reject(
            new NotionMirrorError(message.error.code, message.error.message, message.error.hint),
          );
        }
      };
      this.onExit = (reason) => {
        settle();
        reject(crashError(reason, this.stderrTail));
      };
      this.busy();
      const message: RunMessage = { type: "run", id, sql, maxRows: options.maxRows };
      if (options.start) message.start = options.start;
      this.child.send(message, (error) => {
        if (!error) return;
        settle();
        reject(crashError(`could not be sent the SQL: ${error.message}`, this.stderrTail));
      });
    });
  }

  /** Disconnects (the worker then exits by itself); kills it if it has not gone within 2 s. */
  async stop(): Promise<void> {
    if (this.exited) return;
    const gone = new Promise<void>((resolve) => this.child.once("exit", () => resolve()));
    if (this.child.connected) this.child.disconnect();
    const timer = setTimeout(() => this.child.kill("SIGKILL"), 2_000);
    await gone;
    clearTimeout(timer);
  }

  /** While no run is in flight the process does not keep the parent alive. */
  private idle(): void {
    this.child.unref();
    this.child.channel?.unref();
  }

  private busy(): void {
    this.child.ref();
    this.child.channel?.ref();
  }
}

/** The worker's file, and the loader it needs when running from TypeScript sources. */
function workerEntry(): { path: string; execArgv: string[] } {
  const fromSources = import.meta.url.endsWith(".ts");
  const path = fileURLToPath(
    new URL(`./sql-sandbox-worker.${fromSources ? "ts" : "js"}`, import.meta.url),
  );
  return { path, execArgv: fromSources ? ["--import", tsxLoaderUrl()] : [] };
}

function tsxLoaderUrl(): string {
  try {
    return import.meta.resolve("tsx/esm");
  } catch {
    // Where import.meta.resolve is unavailable (some test runners), Node's resolver finds it too.
    return pathToFileURL(createRequire(import.meta.url).resolve("tsx/esm")).href;
  }
}

function crashError(reason: string, stderr: string): NotionMirrorError {
  const detail = stderr.trim() ? `\n${stderr.trim()}` : "";
  return new NotionMirrorError(
    "internal",
    `The SQL sandbox process ended unexpectedly: it ${reason}.${detail}`,
  );
}

function checkOptions(options: RuleSqlOptions): void {
  if (!(options.timeoutMs > 0) || !Number.isFinite(options.timeoutMs)) {
    throw new NotionMirrorError(
      "internal",
      `timeoutMs must be a positive number, not ${options.timeoutMs}.`,
    );
  }
  if (!Number.isSafeInteger(options.maxRows) || options.maxRows < 0) {
    throw new NotionMirrorError(
      "internal",
      `maxRows must be a whole number ≥ 0, not ${options.maxRows}.`,
    );
  }
}

function seconds(ms: number): string {
  return String(Math.round(ms) / 1000);
}
