import type { Command } from "commander";
import { Option } from "commander";
import type { RateLimit } from "../../emulator/index.ts";
import { NOTION_BUDGETS } from "../../emulator/index.ts";
import { runDemo } from "../../demo/run-demo.ts";
import type { NotionVersion } from "../../notion/api-version.ts";
import { DEFAULT_NOTION_VERSION } from "../../notion/api-version.ts";
import { notionVersionOption, wholeNumber } from "../options.ts";
import { rateLimitFlag } from "../rate-limit-flags.ts";
import { renderDemoStart, renderDemoStep, renderDemoSummary } from "../render-demo.ts";

export function registerDemoCommand(
  program: Command,
  cli: (argv: string[]) => Promise<number>,
): void {
  program
    .command("demo")
    .description(
      "Run the whole job on the built-in demo workspace (no token needed): init, sync pull, scan, plan, review, push, revert against a local emulator, then prove the revert restored it exactly.",
    )
    .option("--keep", "keep the demo folder (mirror, snapshots, config) afterwards")
    .addOption(
      new Option(
        "--rate-limit <budget|n|off>",
        "the emulator's limit: requests per window (180/60s), requests per second (3) or off",
      )
        .argParser(rateLimitFlag)
        .default({ ...NOTION_BUDGETS.standard }, "180/60s, Notion's on most plans"),
    )
    .option(
      "--latency <ms>",
      "the emulator's latency per request",
      wholeNumber("--latency", 0, 10_000),
      250,
    )
    .option(
      "--notion-version <version>",
      "the Notion API version every step speaks (init writes it to the demo's config)",
      notionVersionOption,
      DEFAULT_NOTION_VERSION,
    )
    .option("--json", "print the result and its proofs as JSON (the steps' output goes to stderr)")
    .action(
      async (flags: {
        keep?: boolean;
        rateLimit: RateLimit | false;
        latency: number;
        notionVersion: NotionVersion;
        json?: boolean;
      }) => {
        const runStep = flags.json ? stdoutToStderr(cli) : cli;
        const result = await runDemo(runStep, {
          notionVersion: flags.notionVersion,
          keep: flags.keep,
          rateLimit: flags.rateLimit,
          latencyMs: flags.latency,
          progress: {
            started: (start) => process.stderr.write(renderDemoStart(start)),
            step: (step) => process.stderr.write(renderDemoStep(step)),
            note: (text) => process.stderr.write(`${text}\n`),
          },
        });
        process.stderr.write(renderDemoSummary(result));
        if (flags.json) process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
        process.exitCode = result.ok ? 0 : 1;
      },
    );
}

/**
 * The CLI, with what each step prints on stdout sent to stderr while it runs, so that stdout
 * carries only the demo's own result (`demo --json`).
 */
function stdoutToStderr(cli: (argv: string[]) => Promise<number>) {
  return async (argv: string[]): Promise<number> => {
    const stdoutWrite = process.stdout.write;
    process.stdout.write = process.stderr.write.bind(process.stderr) as typeof process.stdout.write;
    try {
      return await cli(argv);
    } finally {
      process.stdout.write = stdoutWrite;
    }
  };
}
