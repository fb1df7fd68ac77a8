import { spawn } from "node:child_process";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { NOTION_API_URL, targetText, writeTarget } from "../../src/cli/write-target.ts";
import { BIN } from "../matrix/support-b/cli.ts";
import type { MatrixWorld } from "../matrix/support/matrix-world.ts";
import { plannedWorld } from "../matrix/support/matrix-world.ts";

let world: MatrixWorld;

beforeAll(async () => {
  world = await plannedWorld();
});
beforeEach(() => world.reset());
afterAll(() => world?.close());

const shellQuote = (word: string) => `'${word.replace(/'/g, `'\\''`)}'`;

/**
 * `notion-mirror <args>` on a pseudo-terminal (util-linux `script`), so it asks for confirmation
 * as it does for a person; once the question is on screen it is answered `answer`.
 */
function onTerminal(
  args: string[],
  answer: string,
  env: Record<string, string> = {},
): Promise<{ code: number | null; screen: string }> {
  const command = [process.execPath, BIN, "--config", world.project.config.file, ...args]
    .map(shellQuote)
    .join(" ");
  const childEnv: NodeJS.ProcessEnv = {
    ...process.env,
    NO_COLOR: "1",
    NOTION_TOKEN: world.session.emulator.token,
    NOTION_BASE_URL: world.session.emulator.url,
    ...env,
  };
  delete childEnv.CI;
  delete childEnv.NOTION_API_KEY;
  const child = spawn("script", ["-q", "-e", "-c", command, "/dev/null"], {
    cwd: world.project.dir,
    env: childEnv,
    stdio: ["pipe", "pipe", "pipe"],
  });
  let screen = "";
  let answered = false;
  const timer = setTimeout(() => child.kill("SIGKILL"), 30_000);
  const read = (chunk: Buffer) => {
    screen += chunk.toString("utf8");
    if (!answered && screen.includes("[y/N]")) {
      answered = true;
      child.stdin.write(`${answer}\n`);
    }
  };
  child.stdout.on("data", read);
  child.stderr.on("data", read);
  return new Promise((resolve) => {
    child.on("close", (code) => {
      clearTimeout(timer);
      resolve({ code, screen: screen.replace(/\r/g, "") });
    });
  });
}

const sent = () => world.session.emulator.log.all().map((entry) => `${entry.method} ${entry.path}`);

describe("the confirmation names where it writes", () => {
  it("push asks about the workspace and the emulator's URL; answered no, it sends no write", async () => {
    const { code, screen } = await onTerminal(["push", world.runId], "n");
    expect(code, screen).toBe(0);
    expect(screen).toContain(
      `Push run ${world.runId}: ${world.targets.length} fields on ${world.targets.length} pages to the workspace "WT Workspace" at ${world.session.emulator.url} (NOTION_BASE_URL, not Notion itself)? [y/N]`,
    );
    expect(screen).toContain("Nothing was sent.");
    expect(sent()).toEqual(["GET /v1/users/me"]);
  });

  it("revert asks the same way", async () => {
    await world.push();
    world.session.emulator.log.clear();
    const { code, screen } = await onTerminal(["revert", world.runId], "n");
    expect(code, screen).toBe(0);
    expect(screen).toContain(
      `Revert run ${world.runId}: restore ${world.targets.length} fields in the workspace "WT Workspace" at ${world.session.emulator.url} (NOTION_BASE_URL, not Notion itself)? [y/N]`,
    );
    expect(sent()).toEqual(["GET /v1/users/me"]);
  });

  it("a token the API refuses ends the command before anyone is asked", async () => {
    const { code, screen } = await onTerminal(["push", world.runId], "y", {
      NOTION_TOKEN: "not-the-emulator-token",
    });
    expect(code).toBe(1);
    expect(screen).not.toContain("[y/N]");
    expect(screen).toMatch(/refused the token/);
    expect(sent().filter((line) => line.startsWith("PATCH"))).toEqual([]);
  });
});

describe("the write target", () => {
  it("is Notion's own API unless NOTION_BASE_URL says otherwise, and needs no request without a token", async () => {
    const target = await writeTarget({ strict: false }, {});
    expect(target).toEqual({
      url: NOTION_API_URL,
      fromBaseUrl: false,
      workspace: null,
      workspaceUnknown: expect.stringContaining("No Notion token") as unknown,
    });
    expect(targetText(target)).toBe(
      "the integration's workspace on Notion (https://api.notion.com)",
    );
    expect(targetText({ ...target, workspace: "Acme" })).toBe(
      'the workspace "Acme" on Notion (https://api.notion.com)',
    );
  });

  it("names the bot's workspace from users/me, and says why when it cannot", async () => {
    const env = {
      NOTION_TOKEN: world.session.emulator.token,
      NOTION_BASE_URL: `${world.session.emulator.url}/`,
    };
    expect(await writeTarget({ strict: false }, env)).toEqual({
      url: world.session.emulator.url,
      fromBaseUrl: true,
      workspace: "WT Workspace",
    });
    const refused = await writeTarget({ strict: false }, { ...env, NOTION_TOKEN: "wrong" });
    expect(refused.workspace).toBeNull();
    expect(refused.workspaceUnknown).toMatch(/refused the token/);
    await expect(writeTarget({ strict: true }, { ...env, NOTION_TOKEN: "wrong" })).rejects.toThrow(
      /refused the token/,
    );
  });
});
