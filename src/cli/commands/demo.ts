import type { Command } from "commander";
import { Option } from "commander";
import type { RateLimit } from "../../emulator/index.ts";
import { NOTION_BUDGETS } from "../../emulator/index.ts";
import { renderDemoSummary, runDemo } from "../../demo/run-demo.ts";
import type { NotionVersion } from "../../notion/api-version.ts";
import { DEFAULT_NOTION_VERSION } from "../../notion/api-version.ts";
import { notionVersionOption, wholeNumber } from "../options.ts";
import { rateLimitFlag } from "../rate-limit-flags.ts";

export function registerDemoCommand(
  program: Command,
  cli: (argv: string[]) => Promise<number>,
): void {
  program
    .command("demo")
    .description(
      "Run the whole job on the built-in demo workspace (no token needed): init, sync pull, scan, plan, push, revert against a local emulator, then prove the revert restored it exactly.",
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
        const result = await runDemo(cli, {
          notionVersion: flags.notionVersion,
          keep: flags.keep,
          rateLimit: flags.rateLimit,
          latencyMs: flags.latency,
          stepsToStderr: flags.json,
        });
        process.stderr.write(renderDemoSummary(result));
        if (flags.json) process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
        process.exitCode = result.ok ? 0 : 1;
      },
    );
}
