import type { Command } from "commander";
import { runDemo } from "../demo/run-demo.ts";
import { rateLimitOption, wholeNumber } from "../options.ts";

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
    .option("--rate-limit <n|off>", "the emulator's requests per second", rateLimitOption, 3)
    .option(
      "--latency <ms>",
      "the emulator's latency per request",
      wholeNumber("--latency", 0, 10_000),
      250,
    )
    .action(async (flags: { keep?: boolean; rateLimit: number | false; latency: number }) => {
      process.exitCode = await runDemo(cli, {
        keep: flags.keep,
        rateLimit: flags.rateLimit,
        latencyMs: flags.latency,
      });
    });
}
