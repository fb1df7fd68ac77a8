import type { Command } from "commander";
import { describe, expect, it } from "vitest";
import { globalFlags } from "../../src/cli/context.ts";
import { buildProgram } from "../../src/cli/main.ts";

/** Commands that never read a project config: they make or serve their own workspace. */
const WITHOUT_CONFIG = new Set(["emulator", "demo"]);

function commandsOf(
  command: Command,
  path: string[] = [],
): Array<{ path: string[]; command: Command }> {
  return command.commands.flatMap((child) => {
    const childPath = [...path, child.name()];
    return [{ path: childPath, command: child }, ...commandsOf(child, childPath)];
  });
}

/** The config file the command named by `argv` would read; nothing is executed. */
async function configSeen(argv: string[]): Promise<string> {
  const program = buildProgram();
  let seen: string | undefined;
  for (const { command } of commandsOf(program)) {
    command.action((...args: unknown[]) => {
      seen = globalFlags(args.at(-1) as Command).config;
    });
  }
  await program.parseAsync(["node", "notion-mirror", ...argv]);
  if (seen === undefined) throw new Error(`no action ran for ${argv.join(" ")}`);
  return seen;
}

describe("--config", () => {
  it("is listed in the --help of every command that reads the config", () => {
    const missing = commandsOf(buildProgram())
      .filter(({ path }) => !WITHOUT_CONFIG.has(path[0] ?? ""))
      .filter(({ command }) => !command.helpInformation().includes("--config <file>"))
      .map(({ path }) => path.join(" "));
    expect(missing).toEqual([]);
  });

  it("is not offered where it would be ignored", () => {
    const offered = commandsOf(buildProgram())
      .filter(({ path }) => WITHOUT_CONFIG.has(path[0] ?? ""))
      .filter(({ command }) => command.options.some((option) => option.long === "--config"))
      .map(({ path }) => path.join(" "));
    expect(offered).toEqual([]);
  });

  it("is taken before the command, after it, or after a subcommand's arguments", async () => {
    expect(await configSeen(["--config", "a.json", "status"])).toBe("a.json");
    expect(await configSeen(["status", "--config", "b.json"])).toBe("b.json");
    expect(await configSeen(["sync", "pull", "--config", "c.json"])).toBe("c.json");
    expect(await configSeen(["runs", "show", "RUN", "--config", "d.json"])).toBe("d.json");
  });

  it("defaults to notion-mirror.json, and the one nearest the command wins", async () => {
    expect(await configSeen(["status"])).toBe("notion-mirror.json");
    expect(await configSeen(["--config", "outer.json", "status", "--config", "inner.json"])).toBe(
      "inner.json",
    );
  });
});
