import { execFile } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildConfig, writeConfig } from "../../src/config/write-config.ts";
import { envFilePaths, variablesFromEnvFiles } from "../../src/config/env-files.ts";
import { BIN } from "../matrix/support-b/cli.ts";
import type { EmulatorSession } from "../support/emulator.ts";
import { openEmulator } from "../support/emulator.ts";
import { titleOf } from "../support/project.ts";

let session: EmulatorSession;
let parent: string;
let team: string;

beforeAll(async () => {
  session = await openEmulator();
  parent = mkdtempSync(join(tmpdir(), "notion-mirror-env-"));
  team = join(parent, "team");
  mkdirSync(team);
  const [first] = session.emulator.dump().data_sources;
  if (!first) throw new Error("no data source");
  writeConfig(
    join(team, "notion-mirror.json"),
    buildConfig([{ id: String(first.id), title: titleOf(first) }], { rateLimit: 1000 }),
  );
});
afterAll(async () => {
  rmSync(parent, { recursive: true, force: true });
  await session?.stop();
});

const envFile = (dir: string, token: string | undefined) =>
  token === undefined
    ? rmSync(join(dir, ".env"), { force: true })
    : writeFileSync(
        join(dir, ".env"),
        `# written by the test\nNOTION_TOKEN=${token}\nNOTION_BASE_URL=${session.emulator.url}\n`,
      );

/** `notion-mirror --config team/notion-mirror.json sync pull` from the parent folder. */
function pullFromParent(env: NodeJS.ProcessEnv = {}): Promise<{ code: number; stderr: string }> {
  const base: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: "1" };
  for (const key of ["NOTION_TOKEN", "NOTION_API_KEY", "NOTION_BASE_URL", "CI"]) delete base[key];
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [BIN, "--config", join("team", "notion-mirror.json"), "sync", "pull"],
      { cwd: parent, env: { ...base, ...env }, timeout: 60_000 },
      (error, _stdout, stderr) =>
        resolve({ code: error ? Number(error.code ?? 1) : 0, stderr: String(stderr) }),
    );
  });
}

describe(".env files", () => {
  it("the one beside the config is read when the command runs from another folder", async () => {
    envFile(team, session.emulator.token);
    envFile(parent, undefined);
    const ran = await pullFromParent();
    expect(ran.stderr).not.toContain("No Notion token");
    expect(ran.code, ran.stderr).toBe(0);
  });

  it("the one in the working folder is read too", async () => {
    envFile(team, undefined);
    envFile(parent, session.emulator.token);
    const ran = await pullFromParent();
    expect(ran.code, ran.stderr).toBe(0);
  });

  it("the one beside the config beats the working folder's", async () => {
    envFile(team, session.emulator.token);
    envFile(parent, "the-working-folders-token");
    const ran = await pullFromParent();
    expect(ran.code, ran.stderr).toBe(0);
  });

  it("the environment beats both", async () => {
    envFile(team, session.emulator.token);
    envFile(parent, session.emulator.token);
    const ran = await pullFromParent({ NOTION_TOKEN: "the-environments-token" });
    expect(ran.code).toBe(1);
    expect(ran.stderr).toContain("refused the token");
    expect(ran.stderr).not.toContain("the-environments-token");
  });
});

describe("variablesFromEnvFiles", () => {
  it("adds only what the environment lacks, the file beside the config first", () => {
    const dir = mkdtempSync(join(tmpdir(), "notion-mirror-env-unit-"));
    try {
      mkdirSync(join(dir, "project"));
      writeFileSync(join(dir, "project", ".env"), "A=beside\nB=beside\n");
      writeFileSync(join(dir, ".env"), "A=cwd\nB=cwd\nC=cwd\nD=cwd\n");
      const { variables, files } = variablesFromEnvFiles(
        "project/notion-mirror.json",
        { D: "env" },
        dir,
      );
      expect(variables).toEqual({ A: "beside", B: "beside", C: "cwd" });
      expect(files).toEqual([join(dir, "project", ".env"), join(dir, ".env")]);
      expect(envFilePaths("notion-mirror.json", dir)).toEqual([join(dir, ".env")]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("ignores a folder named .env, and reads nothing when there is no file", () => {
    const dir = mkdtempSync(join(tmpdir(), "notion-mirror-env-unit-"));
    try {
      mkdirSync(join(dir, ".env"));
      expect(variablesFromEnvFiles("notion-mirror.json", {}, dir)).toEqual({
        variables: {},
        files: [],
      });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
