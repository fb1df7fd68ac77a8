import { readFileSync } from "node:fs";
import type { Command } from "commander";
import { describe, expect, it } from "vitest";
import { buildProgram } from "../../src/cli/main.ts";

const readme = readFileSync(new URL("../../README.md", import.meta.url), "utf8");

function commandPaths(command: Command, prefix: string[] = []): string[][] {
  return command.commands.flatMap((child) => {
    const path = [...prefix, child.name()];
    return [path, ...commandPaths(child, path)];
  });
}

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

  it("documents every command and subcommand the CLI has", () => {
    const missing = commandPaths(buildProgram())
      .map((path) => `notion-mirror ${path.join(" ")}`)
      .filter((line) => !line.endsWith(" help"))
      .filter(
        (line) =>
          !readme.includes(line) &&
          !readme.includes(line.replace("notion-mirror runs show", "runs show")),
      );
    expect(missing).toEqual([]);
  });

  it("gives every command a description", () => {
    const undocumented = commandPaths(buildProgram()).filter((path) => {
      let command: Command | undefined = buildProgram();
      for (const name of path) command = command?.commands.find((child) => child.name() === name);
      return !command?.description();
    });
    expect(undocumented).toEqual([]);
  });

  it("documents every option of every command", () => {
    const missing: string[] = [];
    for (const path of commandPaths(buildProgram())) {
      let command: Command | undefined = buildProgram();
      for (const name of path) command = command?.commands.find((child) => child.name() === name);
      for (const option of command?.options ?? []) {
        if (option.long === "--json" || option.long === "--help") continue;
        if (option.long && !readme.includes(option.long))
          missing.push(`${path.join(" ")} ${option.long}`);
      }
    }
    expect(missing).toEqual([]);
  });
});
