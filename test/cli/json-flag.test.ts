import type { Command } from "commander";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildProgram } from "../../src/cli/main.ts";
import { installDemoRules } from "../../src/fill/demo-rules.ts";
import type { EmulatorSession } from "../support/emulator.ts";
import { openEmulator } from "../support/emulator.ts";
import type { TestProject } from "../support/project.ts";
import { createProject } from "../support/project.ts";
import { runCli } from "../matrix/support-b/cli.ts";

/** Every command of the program with the words that name it (`["runs", "show"]`). */
function commandsOf(
  command: Command,
  path: string[] = [],
): Array<{ path: string[]; command: Command }> {
  return command.commands.flatMap((child) => {
    const childPath = [...path, child.name()];
    return [{ path: childPath, command: child }, ...commandsOf(child, childPath)];
  });
}

/** A placeholder for each required argument, so the command line parses. */
const requiredArgs = (command: Command) =>
  command.registeredArguments.filter((argument) => argument.required).map(() => "ARG");

/**
 * Parses one command line with every action replaced by one that records which command ran and
 * the options it saw; nothing is executed.
 */
async function parsedOptions(argv: string[]): Promise<{ path: string; json: unknown }> {
  const program = buildProgram();
  let seen: { path: string; json: unknown } | undefined;
  for (const { path, command } of commandsOf(program)) {
    command.action((...args: unknown[]) => {
      const self = args.at(-1) as Command;
      seen = { path: path.join(" "), json: self.opts<{ json?: unknown }>().json };
    });
  }
  await program.parseAsync(["node", "notion-mirror", ...argv]);
  if (!seen) throw new Error(`no action ran for ${argv.join(" ")}`);
  return seen;
}

describe("--json on every command that offers it", () => {
  const offering = commandsOf(buildProgram()).filter(({ command }) =>
    command.options.some((option) => option.long === "--json"),
  );

  it("is offered by the commands that print results", () => {
    const names = offering.map(({ path }) => path.join(" "));
    for (const name of ["runs", "runs show", "status", "sync pull", "plan", "push", "revert"])
      expect(names).toContain(name);
  });

  for (const { path, command } of offering) {
    const name = path.join(" ");
    it(`${name}: --json after the arguments reaches ${name} itself`, async () => {
      const seen = await parsedOptions([...path, ...requiredArgs(command), "--json"]);
      expect(seen).toEqual({ path: name, json: true });
    });
    it(`${name}: --json before the arguments reaches ${name} itself`, async () => {
      const seen = await parsedOptions([...path, "--json", ...requiredArgs(command)]);
      expect(seen).toEqual({ path: name, json: true });
    });
  }
});

describe("--json prints JSON on stdout", () => {
  let session: EmulatorSession;
  let project: TestProject;
  let env: Record<string, string>;
  const cli = (args: string[]) =>
    runCli(["--config", project.config.file, ...args], env).then((ran) => {
      expect(ran.code, ran.stderr).toBe(0);
      return { ...ran, json: JSON.parse(ran.stdout) as Record<string, unknown> };
    });
  let runId: string;

  beforeAll(async () => {
    session = await openEmulator();
    project = createProject(session);
    installDemoRules(project.config.fillsDir);
    env = { NOTION_TOKEN: session.emulator.token, NOTION_BASE_URL: session.emulator.url };
  });
  afterAll(async () => {
    project?.remove();
    await session?.stop();
  });

  it("sync pull, status, plan, push --dry-run, runs, runs show, push, revert --dry-run", async () => {
    const pull = await cli(["sync", "pull", "--json"]);
    expect(Array.isArray(pull.json.dataSources)).toBe(true);
    const status = await cli(["status", "--json"]);
    expect(status.json.mirrorPath).toBe(project.config.mirrorPath);
    const plan = await cli(["plan", "--json"]);
    runId = String(plan.json.runId);
    expect(runId).toMatch(/^\d{8}-\d{6}-[0-9a-f]{4}$/);
    const dry = await cli(["push", runId, "--dry-run", "--json"]);
    expect(dry.json).toMatchObject({ runId, dryRun: true });
    const runs = (await runCli(["--config", project.config.file, "runs", "--json"], env)).stdout;
    expect((JSON.parse(runs) as Array<{ id: string }>).map((run) => run.id)).toContain(runId);
    const show = await cli(["runs", "show", runId, "--json"]);
    expect(show.json).toMatchObject({ id: runId, kind: "fill" });
    const shownBeforeTheId = await cli(["runs", "show", "--json", runId]);
    expect(shownBeforeTheId.json).toEqual(show.json);
    const askedOfRuns = await cli(["runs", "--json", "show", runId]);
    expect(askedOfRuns.json).toEqual(show.json);
    await cli(["push", runId, "--yes", "--json"]);
    const revert = await cli(["revert", runId, "--dry-run", "--json"]);
    expect(revert.json).toMatchObject({ runId, dryRun: true });
  });

  it("runs show without --json is still the Markdown report", async () => {
    const ran = await runCli(["--config", project.config.file, "runs", "show", runId], env);
    expect(ran.code, ran.stderr).toBe(0);
    expect(() => JSON.parse(ran.stdout) as unknown).toThrow();
    expect(ran.stdout).toMatch(/^#/m);
  });
});
