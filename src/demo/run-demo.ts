import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { RateLimit, SeedFile } from "../emulator/index.ts";
import { NOTION_BUDGETS, demoWorkspace, startEmulator } from "../emulator/index.ts";
import type { NotionVersion } from "../notion/api-version.ts";
import { DEFAULT_NOTION_VERSION } from "../notion/api-version.ts";
import {
  DEMO_DECIDED_RULE,
  DEMO_REJECTED,
  decideDemoFile,
  latestPlannedRun,
} from "./demo-decisions.ts";
import type { DemoProof } from "./demo-proofs.ts";
import { proveDemo } from "./demo-proofs.ts";

/**
 * Runs one notion-mirror command as a user would type it (`["sync", "pull"]`), output and all;
 * returns its exit code. The CLI passes itself.
 */
export type StepRunner = (argv: string[]) => Promise<number>;

/** What the demo is about to do, for the caller to show. */
export interface DemoStart {
  notionVersion: NotionVersion;
  /** The emulator's per-connection limit, or false when off. */
  rateLimit: RateLimit | false;
  latencyMs: number;
  /** The temporary folder the demo's project lives in. */
  folder: string;
}

/**
 * One step about to run: `index` counts from 0 of `total`; `title` is the command as a user
 * types it ("notion-mirror sync pull") or what a person does between two commands.
 */
export interface DemoStep {
  index: number;
  total: number;
  title: string;
}

/** Hooks the caller shows progress with; the demo itself prints nothing. */
export interface DemoProgress {
  started?(start: DemoStart): void;
  step?(step: DemoStep): void;
  /** What a person's step did ("30 accept, 3 reject, 16 left empty"), after it. */
  note?(text: string): void;
}

/** One step of the demo: a command as a user types it, or what a person does between two. */
interface Step {
  title: () => string;
  run: () => Promise<number>;
  before?: () => void;
  after?: () => void;
}

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
  /** Told when the demo starts and before each step (the CLI prints the headers). */
  progress?: DemoProgress;
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
 * emulator: init → sync pull → scan → plan → review (export, the business owners decide, import)
 * → push → revert, each command run through `runStep` as a user would type it, then the proofs that it reproduced the team's first backfill and that the revert
 * restored the workspace exactly. A step that exits other than 0 ends the demo there. Never
 * throws for a failed step: the result says which one failed, and `ok` whether all went well.
 * NOTION_TOKEN and NOTION_BASE_URL point at the emulator while it runs, and are put back after.
 */
export async function runDemo(runStep: StepRunner, options: DemoOptions = {}): Promise<DemoResult> {
  const rateLimit = options.rateLimit ?? { ...NOTION_BUDGETS.standard };
  const notionVersion = options.notionVersion ?? DEFAULT_NOTION_VERSION;
  const latencyMs = options.latencyMs ?? 250;
  const emulator = await startEmulator({ seed: demoWorkspace(), rateLimit, latencyMs });
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
    options.progress?.started?.({ notionVersion, rateLimit, latencyMs, folder: dir });
    const proposalsFile = join(dir, "proposals.csv");
    let runId = "";
    const command = (argv: () => string[], extra: Partial<Step> = {}): Step => ({
      title: () => `notion-mirror ${argv().join(" ")}`,
      run: () => runStep(["--config", configFile, ...argv()]),
      ...extra,
    });
    const steps: Step[] = [
      command(() => ["init", "--demo", "--notion-version", notionVersion]),
      command(() => ["sync", "pull"]),
      command(() => ["scan"]),
      command(() => ["plan"], { after: () => (runId = latestPlannedRun(configFile)) }),
      command(() => ["review", runId, "--export", proposalsFile]),
      {
        title: () =>
          `the business owners fill the decision column of proposals.csv: the ${DEMO_DECIDED_RULE} links accepted but ${DEMO_REJECTED}, rejected; the project ids left undecided`,
        run: () => {
          const decided = decideDemoFile(proposalsFile);
          options.progress?.note?.(
            `${decided.accepted} accept, ${decided.rejected} reject, ${decided.undecided} left empty (undecided)`,
          );
          return Promise.resolve(0);
        },
      },
      command(() => ["review", runId, "--import", proposalsFile]),
      command(() => ["push", runId, "--yes"], {
        before: () => (beforePush = emulator.dump()),
        after: () => (afterPush = emulator.dump()),
      }),
      command(() => ["revert", "--last", "--yes"]),
    ];
    for (const [index, step] of steps.entries()) {
      options.progress?.step?.({ index, total: steps.length, title: step.title() });
      step.before?.();
      const code = await step.run();
      if (code !== 0) {
        failedStep = `${step.title()} exited ${code}`;
        break;
      }
      step.after?.();
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

function restoreEnv(saved: { token?: string; base?: string; key?: string }): void {
  const put = (name: string, value: string | undefined) => {
    if (value === undefined) delete process.env[name];
    else process.env[name] = value;
  };
  put("NOTION_TOKEN", saved.token);
  put("NOTION_BASE_URL", saved.base);
  put("NOTION_API_KEY", saved.key);
}
