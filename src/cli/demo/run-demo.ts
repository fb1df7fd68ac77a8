import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pc from "picocolors";
import { loadConfig } from "../../config/project-config.ts";
import { startEmulator } from "../../emulator/emulator.ts";
import type { SeedFile } from "../../emulator/seed-file.ts";
import { DEMO_FACTS } from "../../emulator/workspaces/demo-facts.ts";
import { demoWorkspace } from "../../emulator/workspaces/demo-workspace.ts";
import { openMirror } from "../../mirror/open-mirror.ts";
import { mirrorStatus } from "../../mirror/status.ts";
import { runReport } from "../../report/run-report.ts";
import { listRuns } from "../../runs/run-store.ts";
import { overwrittenValues, stateDifferences } from "./state-compare.ts";

/** Runs one CLI command as a user would type it, output and all; returns its exit code. */
export type CliRunner = (argv: string[]) => Promise<number>;

export interface DemoOptions {
  /** Keep the demo folder afterwards (its path is printed). */
  keep?: boolean;
  /** Notion's realistic pacing (3 requests/s, 250 ms latency); tests may turn it down. */
  rateLimit?: number | false;
  latencyMs?: number;
}

interface Check {
  ok: boolean;
  text: string;
}

/**
 * The whole job on the built-in demo workspace, in a temporary folder, against an in-process
 * emulator: init → sync pull → scan → plan → push → revert, each shown as a user sees it, then a
 * summary that reproduces the team's first backfill and proves the revert restored the workspace
 * exactly. Returns 0 when every step and every check passed.
 */
export async function runDemo(cli: CliRunner, options: DemoOptions = {}): Promise<number> {
  const rateLimit = options.rateLimit ?? 3;
  const emulator = await startEmulator({
    seed: demoWorkspace(),
    rateLimit: rateLimit === false ? false : { perSecond: rateLimit },
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
  let failedStep: string | undefined;
  let beforePush: SeedFile | undefined;
  let afterPush: SeedFile | undefined;
  try {
    process.stderr.write(
      `${pc.bold("notion-mirror demo")}: the team's first backfill, on a local emulator of their workspace\n` +
        `(Notion's pace: ${rateLimit === false ? "no rate limit" : `${rateLimit} requests/s`}, ${options.latencyMs ?? 250} ms per request; folder ${dir})\n`,
    );
    const steps: Array<{
      argv: string[];
      before?: () => void;
      after?: () => void;
      ok?: (code: number) => boolean;
    }> = [
      { argv: ["init", "--demo"] },
      { argv: ["sync", "pull"] },
      { argv: ["scan"] },
      { argv: ["plan"] },
      {
        argv: ["push", "--yes"],
        before: () => (beforePush = emulator.dump()),
        after: () => (afterPush = emulator.dump()),
      },
      { argv: ["revert", "--last", "--yes"] },
    ];
    for (const [index, step] of steps.entries()) {
      process.stderr.write(
        `\n${pc.cyan(`── step ${index + 1}/${steps.length}: notion-mirror ${step.argv.join(" ")}`)}\n`,
      );
      step.before?.();
      const code = await cli(["--config", configFile, ...step.argv]);
      step.after?.();
      if (code !== 0) {
        failedStep = `notion-mirror ${step.argv.join(" ")} exited ${code}`;
        break;
      }
    }
    const checks = failedStep ? [] : proveDemo(configFile, beforePush, afterPush, emulator.dump());
    const seconds = (performance.now() - started) / 1000;
    process.stderr.write(
      `\n${pc.bold("Summary")} (${seconds.toFixed(1)} s, ${emulator.log.all().length} requests to the emulator)\n`,
    );
    if (failedStep) process.stderr.write(`  ${pc.red("✘")} ${failedStep}\n`);
    for (const check of checks)
      process.stderr.write(`  ${check.ok ? pc.green("✔") : pc.red("✘")} ${check.text}\n`);
    if (options.keep) process.stderr.write(`The demo folder is kept: ${dir}\n`);
    return failedStep || checks.some((check) => !check.ok) ? 1 : 0;
  } finally {
    restoreEnv(saved);
    await emulator.stop();
    if (!options.keep) rmSync(dir, { recursive: true, force: true });
  }
}

function proveDemo(
  configFile: string,
  beforePush: SeedFile | undefined,
  afterPush: SeedFile | undefined,
  afterRevert: SeedFile,
): Check[] {
  const config = loadConfig(configFile);
  const mirror = openMirror(config.mirrorPath);
  try {
    const status = mirrorStatus(config, mirror);
    const live = status.dataSources.reduce((sum, source) => sum + source.livePages, 0);
    const runs = listRuns(mirror.sqlite);
    const fill = runs.find((run) => run.kind === "fill");
    const revert = runs.find((run) => run.kind === "revert");
    const fillReport = fill ? runReport(mirror, fill.id) : undefined;
    const applied =
      fillReport?.changes.filter(
        (change) => change.status === "applied" || change.status === "reverted",
      ) ?? [];
    const allActive =
      applied.length > 0 &&
      applied.every(
        (change) =>
          (change.after as { status?: { name?: string } } | null)?.status?.name ===
          DEMO_FACTS.phaseStatusFill,
      );
    const review = new Map((fillReport?.review ?? []).map((item) => [item.rule, item.count]));
    const canonical = new Set(config.dataSources.map((source) => source.id));
    const overwrites =
      beforePush && afterPush ? overwrittenValues(beforePush, afterPush, canonical) : -1;
    const trackerEntries = (state: SeedFile | undefined) =>
      state?.pages.filter(
        (page) =>
          (page.parent as { data_source_id?: string }).data_source_id === config.tracker?.id,
      ).length ?? 0;
    const differences = beforePush
      ? stateDifferences(beforePush, afterRevert, canonical)
      : ["no state before the push"];
    return [
      {
        ok:
          status.dataSources.length === DEMO_FACTS.canonicalDataSources &&
          live === DEMO_FACTS.records,
        text: `${status.dataSources.length} canonical data sources mirrored, ${live} records`,
      },
      {
        ok: applied.length === DEMO_FACTS.emptyPhaseStatus && allActive,
        text: `${applied.length} status fields filled with "${DEMO_FACTS.phaseStatusFill}" (high confidence)`,
      },
      {
        ok: overwrites === 0,
        text: `${overwrites} overwrites: every value that was not empty before the push is unchanged after it`,
      },
      {
        ok:
          review.get("project-id-from-code") === DEMO_FACTS.emptyProjectID &&
          review.get("phase-project-by-code") === DEMO_FACTS.emptyPhaseProjectId,
        text: `${review.get("project-id-from-code") ?? 0} projectID and ${review.get("phase-project-by-code") ?? 0} projectId items left for review (medium confidence)`,
      },
      {
        ok: trackerEntries(afterPush) === trackerEntries(beforePush) + 1,
        text: `tracker entry written in ${config.tracker?.name ?? "the tracker"} (run ${fill?.id ?? "?"})`,
      },
      {
        ok: differences.length === 0 && revert?.status === "applied",
        text:
          differences.length === 0
            ? `revert ${revert?.id ?? "?"} restored the workspace exactly (every page and schema of the ${canonical.size} data sources compared, last-edited metadata aside)`
            : `revert left ${differences.length} differences: ${differences.slice(0, 3).join("; ")}`,
      },
    ];
  } finally {
    mirror.close();
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
