import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pc from "picocolors";
import type { RateLimit } from "../../emulator/emulator.ts";
import { startEmulator } from "../../emulator/emulator.ts";
import { NOTION_BUDGETS } from "../../emulator/rate-limit.ts";
import type { SeedFile } from "../../emulator/seed-file.ts";
import { demoWorkspace } from "../../emulator/workspaces/demo-workspace.ts";
import type { NotionVersion } from "../../notion/api-version.ts";
import { DEFAULT_NOTION_VERSION } from "../../notion/api-version.ts";
import type { DemoProof } from "./demo-proofs.ts";
import { proveDemo } from "./demo-proofs.ts";
import {
  DEMO_DECIDED_RULE,
  DEMO_REJECTED,
  decideDemoFile,
  latestPlannedRun,
} from "./demo-decisions.ts";
import { describeRateLimit } from "../rate-limit-flags.ts";

/** One step of the demo: a command as a user types it, or what a person does between two. */
interface DemoStep {
  title: () => string;
  run: () => Promise<number>;
  before?: () => void;
  after?: () => void;
}

/** Runs one CLI command as a user would type it, output and all; returns its exit code. */
export type CliRunner = (argv: string[]) => Promise<number>;

export interface DemoOptions {
  /** The Notion API version every step speaks (written by `init --demo`; default 2026-03-11). */
  notionVersion?: NotionVersion;
  /** Keep the demo folder afterwards (its path is printed). */
  keep?: boolean;
  /**
   * The emulator's per-connection limit: by default Notion's on most plans, 180 requests per
   * 60-second window, which the demo's few dozen requests stay under; tests may turn it off.
   */
  rateLimit?: RateLimit | false;
  /** Latency per request, ms (default 250, a round trip to Notion); tests may turn it down. */
  latencyMs?: number;
  /**
   * Send what each step prints on stdout to stderr instead, so that stdout carries only the
   * caller's result (`demo --json`).
   */
  stepsToStderr?: boolean;
}

/** What the demo did and proved: the summary, as data. */
export interface DemoResult {
  /** Every step exited 0 and every proof holds. */
  ok: boolean;
  /** The first step that failed ("notion-mirror plan exited 2"), or null. */
  failedStep: string | null;
  /** The checks of the summary; empty when a step failed (there is nothing to check). */
  proofs: DemoProof[];
  durationMs: number;
  /** Requests the emulator answered, every step included. */
  requests: number;
  /** The demo folder when kept (`--keep`), else null (it is deleted). */
  folder: string | null;
}

/**
 * The whole job on the built-in demo workspace, in a temporary folder, against an in-process
 * emulator: init → sync pull → scan → plan → review (export, decide, import) → push → revert,
 * each shown as a user sees it (on
 * stderr the step headers), then the proofs that it reproduced the team's first backfill and
 * that the revert restored the workspace exactly. Never throws for a failed step: the result
 * says which one failed.
 */
export async function runDemo(cli: CliRunner, options: DemoOptions = {}): Promise<DemoResult> {
  const rateLimit = options.rateLimit ?? { ...NOTION_BUDGETS.standard };
  const notionVersion = options.notionVersion ?? DEFAULT_NOTION_VERSION;
  const emulator = await startEmulator({
    seed: demoWorkspace(),
    rateLimit,
    latencyMs: options.latencyMs ?? 250,
  });
  const dir = mkdtempSync(join(tmpdir(), "notion-mirror-demo-"));
  const saved = {
    token: process.env.NOTION_TOKEN,
    base: process.env.NOTION_BASE_URL,
    key: process.env.NOTION_API_KEY,
  };
  process.env.NOTION_TOKEN = emulator.token;
  process.env.NOTION_BASE_URL = emulator.url;
  delete process.env.NOTION_API_KEY;
  const configFile = join(dir, "notion-mirror.json");
  const started = performance.now();
  let failedStep: string | null = null;
  let beforePush: SeedFile | undefined;
  let afterPush: SeedFile | undefined;
  try {
    process.stderr.write(
      `${pc.bold("notion-mirror demo")}: the team's first backfill, on a local emulator of their workspace\n` +
        `(Notion-Version ${notionVersion}; Notion's pace: ${rateLimit === false ? "no rate limit" : describeRateLimit(rateLimit)}, ${options.latencyMs ?? 250} ms per request; folder ${dir})\n`,
    );
    const proposalsFile = join(dir, "proposals.csv");
    let runId = "";
    const cliStep = (argv: () => string[], extra: Partial<DemoStep> = {}): DemoStep => ({
      title: () => `notion-mirror ${argv().join(" ")}`,
      run: () => runStep(cli, ["--config", configFile, ...argv()], options),
      ...extra,
    });
    const steps: DemoStep[] = [
      cliStep(() => ["init", "--demo", "--notion-version", notionVersion]),
      cliStep(() => ["sync", "pull"]),
      cliStep(() => ["scan"]),
      cliStep(() => ["plan"], { after: () => (runId = latestPlannedRun(configFile)) }),
      cliStep(() => ["review", runId, "--export", proposalsFile]),
      {
        title: () =>
          `the business owners fill the decision column of proposals.csv: the ${DEMO_DECIDED_RULE} links accepted but ${DEMO_REJECTED}, rejected; the project ids left undecided`,
        run: () => {
          const decided = decideDemoFile(proposalsFile);
          process.stderr.write(
            `${decided.accepted} accept, ${decided.rejected} reject, ${decided.undecided} left empty (undecided)\n`,
          );
          return Promise.resolve(0);
        },
      },
      cliStep(() => ["review", runId, "--import", proposalsFile]),
      cliStep(() => ["push", runId, "--yes"], {
        before: () => (beforePush = emulator.dump()),
        after: () => (afterPush = emulator.dump()),
      }),
      cliStep(() => ["revert", "--last", "--yes"]),
    ];
    for (const [index, step] of steps.entries()) {
      process.stderr.write(
        `\n${pc.cyan(`── step ${index + 1}/${steps.length}: ${step.title()}`)}\n`,
      );
      step.before?.();
      const code = await step.run();
      if (code === 0) step.after?.();
      if (code !== 0) {
        failedStep = `${step.title()} exited ${code}`;
        break;
      }
    }
    const heard = emulator.log.all().map((entry) => entry.version);
    const proofs = failedStep
      ? []
      : proveDemo(configFile, beforePush, afterPush, emulator.dump(), heard);
    return {
      ok: !failedStep && proofs.every((proof) => proof.ok),
      failedStep,
      proofs,
      durationMs: Math.round(performance.now() - started),
      requests: emulator.log.all().length,
      folder: options.keep ? dir : null,
    };
  } finally {
    restoreEnv(saved);
    await emulator.stop();
    if (!options.keep) rmSync(dir, { recursive: true, force: true });
  }
}

/** The summary a person reads at the end of the demo. */
export function renderDemoSummary(result: DemoResult): string {
  const lines = [
    `\n${pc.bold("Summary")} (${(result.durationMs / 1000).toFixed(1)} s, ${result.requests} requests to the emulator)`,
  ];
  if (result.failedStep) lines.push(`  ${pc.red("✘")} ${result.failedStep}`);
  for (const proof of result.proofs)
    lines.push(`  ${proof.ok ? pc.green("✔") : pc.red("✘")} ${proof.text}`);
  if (result.folder) lines.push(`The demo folder is kept: ${result.folder}`);
  return `${lines.join("\n")}\n`;
}

/** One step; with `stepsToStderr`, its stdout goes to stderr while it runs. */
async function runStep(cli: CliRunner, argv: string[], options: DemoOptions): Promise<number> {
  if (!options.stepsToStderr) return cli(argv);
  const stdoutWrite = process.stdout.write;
  process.stdout.write = process.stderr.write.bind(process.stderr) as typeof process.stdout.write;
  try {
    return await cli(argv);
  } finally {
    process.stdout.write = stdoutWrite;
  }
}

function restoreEnv(saved: { token?: string; base?: string; key?: string }): void {
  const put = (name: string, value: string | undefined) => {
    if (value === undefined) delete process.env[name];
    else process.env[name] = value;
  };
  put("NOTION_TOKEN", saved.token);
  put("NOTION_BASE_URL", saved.base);
  put("NOTION_API_KEY", saved.key);
}
