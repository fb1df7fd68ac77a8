import { readFileSync } from "node:fs";
import { Command, CommanderError } from "commander";
import { CONFIG_FILE_NAME } from "../config/project-config.ts";
import { exitCodeOf } from "../errors.ts";
import { registerDemoCommand } from "./commands/demo.ts";
import { registerEmulatorCommand } from "./commands/emulator.ts";
import { registerInitCommand } from "./commands/init.ts";
import { registerQueryCommand } from "./commands/query.ts";
import { registerScanCommand } from "./commands/scan.ts";
import { registerPlanCommand } from "./commands/plan.ts";
import { registerPushCommand } from "./commands/push.ts";
import { registerReviewCommand } from "./commands/review.ts";
import { registerRevertCommand } from "./commands/revert.ts";
import { registerRunsCommand } from "./commands/runs.ts";
import { registerStatusCommand } from "./commands/status.ts";
import { registerSyncCommand } from "./commands/sync.ts";
import { registerVerifyCommand } from "./commands/verify.ts";
import { loadEnvFiles } from "./context.ts";
import { renderError } from "./render-error.ts";

/** Builds the command tree. Each command parses flags, calls one library function and renders. */
export function buildProgram(): Command {
  const program = new Command("notion-mirror")
    .description(
      "Mirror canonical Notion databases into SQLite, plan backfills of empty fields in SQL, push them safely and revert any run exactly.",
    )
    .version(packageVersion())
    .showHelpAfterError("(run with --help for usage)")
    .exitOverride();
  program.configureOutput({
    writeOut: (text) => process.stdout.write(text),
    writeErr: (text) => process.stderr.write(text),
  });
  // Each command parses the options written after it, so `runs show RUN --json` reaches `show`
  // (not `runs`) and `sync pull --config F` reaches `pull`.
  program.enablePositionalOptions();
  addConfigOption(program);
  // Once the command line is parsed, the config file is known: its .env can be read.
  program.hook("preAction", (_program, command) => loadEnvFiles(command));
  registerInitCommand(program);
  registerSyncCommand(program);
  registerStatusCommand(program);
  registerQueryCommand(program);
  registerScanCommand(program);
  registerPlanCommand(program);
  registerReviewCommand(program);
  registerPushCommand(program);
  registerRevertCommand(program);
  registerRunsCommand(program);
  registerVerifyCommand(program);
  registerEmulatorCommand(program);
  registerDemoCommand(program, (argv) => runCommand(["node", "notion-mirror", ...argv]));
  for (const command of configCommands(program)) addConfigOption(command);
  return program;
}

/** The version in package.json, two folders up from both src/cli/ and dist/cli/. */
function packageVersion(): string {
  const file = new URL("../../package.json", import.meta.url);
  return (JSON.parse(readFileSync(file, "utf8")) as { version: string }).version;
}

/** Commands that make or serve their own workspace and never read a project config. */
const WITHOUT_CONFIG = new Set(["emulator", "demo"]);

function configCommands(parent: Command): Command[] {
  return parent.commands
    .filter((command) => !WITHOUT_CONFIG.has(command.name()))
    .flatMap((command) => [command, ...configCommands(command)]);
}

/** No commander default: {@link globalFlags} takes the value nearest the command, else the default. */
function addConfigOption(command: Command): void {
  command.option("--config <file>", `the project config file (default: ./${CONFIG_FILE_NAME})`);
}

/** Runs the CLI; the only place that prints errors and sets the exit code. */
export async function main(argv: string[]): Promise<number> {
  return runCommand(argv);
}

/** One command line, parsed and run; returns its exit code. */
async function runCommand(argv: string[]): Promise<number> {
  const program = buildProgram();
  process.exitCode = undefined;
  try {
    await program.parseAsync(argv);
    const code = typeof process.exitCode === "number" ? process.exitCode : 0;
    process.exitCode = undefined;
    return code;
  } catch (error) {
    process.exitCode = undefined;
    if (error instanceof CommanderError) {
      return error.exitCode === 0 ? 0 : 2;
    }
    process.stderr.write(renderError(error));
    return exitCodeOf(error);
  }
}
