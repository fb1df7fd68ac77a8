import type { Command } from "commander";
import { InvalidArgumentError, Option } from "commander";
import { NotionMirrorError } from "../../errors.ts";
import type { RateLimit, SeedFile, WorkspaceRateLimit } from "../../emulator/index.ts";
import {
  NOTION_BUDGETS,
  demoWorkspace,
  parseSeed,
  readSeedFile,
  scaleWorkspace,
  startEmulator,
} from "../../emulator/index.ts";
import { seedFromMirror } from "../../mirror/seed-export.ts";
import { wholeNumber } from "../options.ts";
import { describeRateLimit, rateLimitFlag, workspaceRateLimitFlag } from "../rate-limit-flags.ts";
import { counted } from "../../util/plural.ts";

interface EmulatorFlags {
  demo?: boolean;
  seed?: string;
  fromMirror?: string;
  pages?: number;
  port: number;
  host: string;
  rateLimit: RateLimit | false;
  workspaceRateLimit: WorkspaceRateLimit | false;
  latency: number;
  queryResultLimit: number;
  cursorTtl: number | false;
  json?: boolean;
}

export function registerEmulatorCommand(program: Command): void {
  program
    .command("emulator")
    .description(
      "Serve a local Notion-compatible API (versions 2025-09-03, 2026-03-11 and 2026-12-01) for rehearsals and tests: the demo workspace, a copy of a mirrored workspace, a seed file or a generated workspace.",
    )
    .addOption(
      new Option("--demo", "serve the built-in demo workspace (the default)").conflicts([
        "seed",
        "pages",
        "fromMirror",
      ]),
    )
    .addOption(
      new Option(
        "--from-mirror <file>",
        "serve a copy of the workspace held in a mirror file (rehearse on your own data)",
      ).conflicts(["seed", "pages"]),
    )
    .addOption(
      new Option("--seed <file>", "serve the workspace in a seed file (a state dump)").conflicts([
        "pages",
      ]),
    )
    .addOption(
      new Option("--pages <n>", "serve a generated workspace of N pages").argParser(
        wholeNumber("--pages", 1, 5_000_000),
      ),
    )
    .option("--port <port>", "TCP port (0 picks a free one)", wholeNumber("--port", 0, 65535), 0)
    .option("--host <address>", "address to listen on", "127.0.0.1")
    .addOption(
      new Option(
        "--rate-limit <budget|n|off>",
        "each token's limit: requests per fixed window as Notion counts them (600/60s on Business and Enterprise plans), requests per second as a token bucket (3), or off",
      )
        .argParser(rateLimitFlag)
        .default({ ...NOTION_BUDGETS.standard }, "180/60s, Notion's on most plans"),
    )
    .addOption(
      new Option(
        "--workspace-rate-limit <budget|off>",
        "a limit shared by every token of the workspace, requests per fixed window (e.g. 2000/120s: its Retry-After may pass a minute), or off",
      )
        .argParser(workspaceRateLimitFlag)
        .default(false, "off"),
    )
    .option(
      "--latency <ms>",
      "latency added to every request, ms",
      wholeNumber("--latency", 0, 600_000),
      0,
    )
    .option(
      "--query-result-limit <n>",
      "results one query or search returns through its cursors before it is cut, as Notion's 10,000",
      wholeNumber("--query-result-limit", 1),
      10_000,
    )
    .option(
      "--cursor-ttl <seconds|off>",
      "seconds a query or search cursor stays valid (or off: never expires)",
      cursorTtlOption,
      60,
    )
    .option("--json", "print the base URL and token as JSON")
    .action(async (flags: EmulatorFlags) => {
      const seed = await chooseSeed(flags);
      const emulator = await startEmulator({
        seed,
        port: flags.port,
        host: flags.host,
        rateLimit: flags.rateLimit,
        workspaceRateLimit: flags.workspaceRateLimit,
        latencyMs: flags.latency,
        queryResultLimit: flags.queryResultLimit,
        cursorTtlMs: flags.cursorTtl === false ? false : flags.cursorTtl * 1_000,
      });
      if (flags.json) {
        process.stdout.write(
          `${JSON.stringify({ baseUrl: emulator.url, token: emulator.token })}\n`,
        );
      } else {
        process.stdout.write(`NOTION_BASE_URL=${emulator.url}\nNOTION_TOKEN=${emulator.token}\n`);
        process.stderr.write(
          `Notion emulator serving ${counted(seed.data_sources.length, "data source")} and ${counted(seed.pages.length, "page")} ` +
            `(rate limit ${describeRateLimit(flags.rateLimit)}${flags.workspaceRateLimit ? `, workspace limit ${describeRateLimit(flags.workspaceRateLimit)}` : ""}, latency ${flags.latency} ms, ` +
            `${counted(flags.queryResultLimit, "result")} per query, cursors valid ${flags.cursorTtl === false ? "until stopped" : `${flags.cursorTtl} s`}).\n` +
            `Point notion-mirror at it with the two variables above (export them in another shell). Ctrl-C stops it.\n`,
        );
      }
      await waitForStopSignal();
      await emulator.stop();
      process.stderr.write("emulator stopped\n");
    });
}

/** `--cursor-ttl SECONDS|off`: whole seconds ≥ 1, or false for cursors that never expire. */
function cursorTtlOption(raw: string): number | false {
  if (raw.trim().toLowerCase() === "off") return false;
  if (!/^\d+$/.test(raw.trim()) || Number(raw) < 1 || !Number.isSafeInteger(Number(raw))) {
    throw new InvalidArgumentError(
      `--cursor-ttl takes whole seconds (e.g. 60) or "off", not ${JSON.stringify(raw)}.`,
    );
  }
  return Number(raw);
}

async function chooseSeed(flags: EmulatorFlags): Promise<SeedFile> {
  if (flags.seed) {
    try {
      return await readSeedFile(flags.seed);
    } catch (error) {
      throw new NotionMirrorError(
        "usage",
        (error as Error).message,
        "Try: a file written by GET /__emulator/state, or --demo.",
      );
    }
  }
  if (flags.fromMirror) {
    try {
      return parseSeed(seedFromMirror(flags.fromMirror));
    } catch (error) {
      if (error instanceof NotionMirrorError) throw error;
      throw new NotionMirrorError(
        "usage",
        `${flags.fromMirror} cannot be served: ${(error as Error).message}`,
      );
    }
  }
  if (flags.pages !== undefined) return scaleWorkspace({ pages: flags.pages });
  return demoWorkspace();
}

function waitForStopSignal(): Promise<void> {
  return new Promise((resolve) => {
    const stop = () => {
      process.off("SIGINT", stop);
      process.off("SIGTERM", stop);
      resolve();
    };
    process.on("SIGINT", stop);
    process.on("SIGTERM", stop);
  });
}
