import { readFileSync } from "node:fs";
import type { Command } from "commander";
import { describe, expect, it } from "vitest";
import { buildProgram } from "../../src/cli/main.ts";
import { mentionsOption, readCommandReference } from "./command-reference.ts";

const readme = readFileSync(new URL("../../README.md", import.meta.url), "utf8");

function commandPaths(command: Command, prefix: string[] = []): string[][] {
  return command.commands.flatMap((child) => {
    const path = [...prefix, child.name()];
    return [path, ...commandPaths(child, path)];
  });
}

/** The command `path` names ("runs", "show"), as the CLI builds it. */
function findCommand(path: string[]): Command | undefined {
  let command: Command | undefined = buildProgram();
  for (const name of path) command = command?.commands.find((child) => child.name() === name);
  return command;
}

/** Commands with subcommands that also do something of their own (`runs` lists the runs). */
const GROUPS_THAT_RUN = new Set(["runs"]);

/** Options the command reference documents once, before its table, for every command. */
const SHARED_OPTIONS = ["--config", "--json", "--help"];

describe("the README", () => {
  it("starts with the two commands a newcomer runs: install + demo, and the tests", () => {
    const firstLines = readme.split("\n").slice(0, 6).join("\n");
    expect(firstLines).toContain("npm ci && npm run demo");
    expect(firstLines).toContain("npm test");
  });

  it("says how to install the CLI from a clone, and runs it by its own name", () => {
    expect(readme).toContain("## Installing");
    expect(readme).toContain("npm install -g .");
    expect(readme).toMatch(/^notion-mirror --version$/m);
    // Through npx, a fresh folder would fetch whatever the registry holds under that name.
    expect(readme.match(/npx\s+notion-mirror/g) ?? []).toEqual([]);
  });

  it("gives every command a row of its own in the command reference", () => {
    const paths = commandPaths(buildProgram()).filter((path) => path.at(-1) !== "help");
    const { rows } = readCommandReference(readme, paths);
    // A group such as `sync` runs nothing itself: its subcommands' rows document it.
    const missing = paths
      .filter(
        (path) =>
          (findCommand(path)?.commands.length ?? 0) === 0 || GROUPS_THAT_RUN.has(path.join(" ")),
      )
      .map((path) => path.join(" "))
      .filter((path) => !rows.has(path));
    expect(missing).toEqual([]);
  });

  it("gives every command a description", () => {
    const undocumented = commandPaths(buildProgram()).filter(
      (path) => !findCommand(path)?.description(),
    );
    expect(undocumented).toEqual([]);
  });

  it("documents every option of every command in that command's own row", () => {
    const paths = commandPaths(buildProgram()).filter((path) => path.at(-1) !== "help");
    const { shared: section, rows } = readCommandReference(readme, paths);
    for (const option of SHARED_OPTIONS) expect(mentionsOption(section, option), option).toBe(true);
    const missing: string[] = [];
    for (const path of paths) {
      const row = rows.get(path.join(" ")) ?? "";
      for (const option of findCommand(path)?.options ?? []) {
        if (!option.long || SHARED_OPTIONS.includes(option.long)) continue;
        if (!mentionsOption(row, option.long)) missing.push(`${path.join(" ")} ${option.long}`);
      }
    }
    expect(missing).toEqual([]);
  });
});
