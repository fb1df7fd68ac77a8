import { createHash } from "node:crypto";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { EmulatorSession } from "../support/emulator.ts";
import type { TestProject } from "../support/project.ts";
import type { PulledWorld } from "../support/pulled-world.ts";
import { openPulledWorld } from "../support/pulled-world.ts";
import type { CliEnv } from "./support-b/cli.ts";
import { runCli } from "./support-b/cli.ts";

// Bad input, part 1: the config file, the token, sharing. Each case runs the real CLI (in this
// process) and checks the exit code, that the message says what is wrong and what to do, and that
// nothing was lost: no request left for Notion, the mirror as it was.

let world: PulledWorld;
let session: EmulatorSession;
let project: TestProject;
let env: CliEnv;
let goodConfig: Record<string, unknown>;

const ID = "1f2e3d4c-5b6a-4789-8abc-def012345678";
const UNSHARED = "0badc0de-0000-4000-8000-000000000001";

beforeAll(async () => {
  world = await openPulledWorld();
  ({ session, project, env } = world);
  goodConfig = JSON.parse(readFileSync(project.config.file, "utf8")) as Record<string, unknown>;
});
afterAll(() => world?.close());

const mirrorHash = () =>
  createHash("sha256").update(readFileSync(project.config.mirrorPath)).digest("hex");
const requests = () => session.emulator.log.all().length;

/** A config file beside the project's, holding `content` (JSON unless a string). */
function configFile(name: string, content: unknown): string {
  const file = join(project.dir, name);
  writeFileSync(file, typeof content === "string" ? content : JSON.stringify(content));
  return file;
}

const source = (patch: Record<string, unknown>) => ({
  version: 1,
  dataSources: [{ id: ID, alias: "projects", ...patch }],
  mirror: "./bad-mirror.db",
});

describe("a malformed config: exit 2, the file and the bad key named, nothing created or sent", () => {
  it.each<[string, unknown, RegExp]>([
    ["not JSON", '{ "version": 1, ', /is not valid JSON/],
    ["not an object", "[1, 2]", /\(top level\): /],
    ["version missing", { dataSources: source({}).dataSources }, /version: /],
    ["version 2", { ...source({}), version: 2 }, /version: /],
    ["dataSources missing", { version: 1, mirror: "./bad-mirror.db" }, /dataSources: /],
    ["dataSources not a list", { ...source({}), dataSources: { id: ID } }, /dataSources: /],
    ["dataSources empty", { ...source({}), dataSources: [] }, /dataSources: must list at least/],
    [
      "dataSources[0].id not an id",
      source({ id: "abc" }),
      /dataSources\[0\]\.id: must be a Notion id/,
    ],
    ["dataSources[0].id missing", source({ id: undefined }), /dataSources\[0\]\.id: /],
    ["dataSources[0].alias missing", source({ alias: undefined }), /dataSources\[0\]\.alias: /],
    [
      "dataSources[0].alias with SQL in it",
      source({ alias: 'x"; DROP TABLE pages; --' }),
      /dataSources\[0\]\.alias: must start with a lowercase letter/,
    ],
    [
      "dataSources[0].alias a table's name",
      source({ alias: "runs" }),
      /dataSources\[0\]\.alias: is the name of one of the mirror's own tables/,
    ],
    ["dataSources[0].name not text", source({ name: 7 }), /dataSources\[0\]\.name: /],
    ["dataSources[0] unknown key", source({ filter: "x" }), /dataSources\[0\]: .*filter/],
    [
      "a repeated alias",
      {
        ...source({}),
        dataSources: [
          { id: ID, alias: "a" },
          { id: UNSHARED, alias: "a" },
        ],
      },
      /dataSources\[1\]\.alias "a" is already used by dataSources\[0\]/,
    ],
    [
      "a repeated id",
      {
        ...source({}),
        dataSources: [
          { id: ID, alias: "a" },
          { id: ID.toUpperCase(), alias: "b" },
        ],
      },
      /dataSources\[1\]\.id repeats dataSources\[0\]\.id/,
    ],
    ["mirror empty", { ...source({}), mirror: "" }, /mirror: must not be empty/],
    ["mirror not text", { ...source({}), mirror: ["a.db"] }, /mirror: /],
    ["snapshots empty", { ...source({}), snapshots: "" }, /snapshots: must not be empty/],
    ["fills not text", { ...source({}), fills: 1 }, /fills: /],
    ["tracker not an object", { ...source({}), tracker: "x" }, /tracker: /],
    [
      "tracker.id not an id",
      { ...source({}), tracker: { id: "x" } },
      /tracker\.id: must be a Notion id/,
    ],
    [
      "tracker.name not text",
      { ...source({}), tracker: { id: ID, name: false } },
      /tracker\.name: /,
    ],
    ["tracker unknown key", { ...source({}), tracker: { id: ID, url: "x" } }, /tracker: .*url/],
    ["rateLimit zero", { ...source({}), rateLimit: 0 }, /rateLimit: /],
    ["rateLimit text", { ...source({}), rateLimit: "3" }, /rateLimit: /],
    ["rateLimit too high", { ...source({}), rateLimit: 10_000 }, /rateLimit: /],
    [
      "notionVersion not one notion-mirror speaks",
      { ...source({}), notionVersion: "2022-06-28" },
      /notionVersion: must be "2025-09-03", "2026-03-11" \(the default\) or "2026-12-01"/,
    ],
    ["notionVersion not text", { ...source({}), notionVersion: 20260311 }, /notionVersion: /],
    ["an unknown top-level key", { ...source({}), token: "secret" }, /\(top level\): .*token/],
  ])("%s", async (_case, content, message) => {
    const file = configFile("bad.json", content);
    const before = requests();
    const ran = await runCli(["--config", file, "sync", "pull"], env);
    expect(ran.code, ran.stderr).toBe(2);
    expect(ran.stderr).toMatch(message);
    expect(ran.stderr).toContain(file);
    expect(ran.stderr).toMatch(/^hint: /m);
    expect(ran.stderr).not.toMatch(/This is a bug/);
    expect(ran.stdout).toBe("");
    expect(requests()).toBe(before);
    expect(existsSync(join(project.dir, "bad-mirror.db"))).toBe(false);
  });

  it("a config file that does not exist: exit 2, says how to make one", async () => {
    const ran = await runCli(["--config", join(project.dir, "absent.json"), "status"], env);
    expect(ran.code).toBe(2);
    expect(ran.stderr).toMatch(/No config file at .*absent\.json/);
    expect(ran.stderr).toMatch(/hint: Try: notion-mirror init/);
  });
});

describe("the token and sharing", () => {
  it("an invalid token: exit 1, says Notion refused the token and where to get one; the mirror untouched", async () => {
    const before = mirrorHash();
    const ran = await runCli(["--config", project.config.file, "sync", "pull"], {
      ...env,
      NOTION_TOKEN: "secret_not-the-right-one",
    });
    expect(ran.code, ran.stderr).toBe(1);
    expect(ran.stderr).toMatch(/Notion refused the token .*401/);
    expect(ran.stderr).toMatch(/hint: Check NOTION_TOKEN/);
    expect(ran.stderr).not.toContain("secret_not-the-right-one");
    expect(mirrorHash()).toBe(before);
  });

  it("no token at all: exit 2, names NOTION_TOKEN, nothing sent", async () => {
    const before = requests();
    const ran = await runCli(["--config", project.config.file, "sync", "pull"], {
      ...env,
      NOTION_TOKEN: undefined,
    });
    expect(ran.code).toBe(2);
    expect(ran.stderr).toMatch(/No Notion token: set NOTION_TOKEN/);
    expect(requests()).toBe(before);
  });

  it("a data source that is not shared with the integration: exit 1, says to share it; the mirror keeps what it had", async () => {
    const before = mirrorHash();
    const file = configFile("unshared.json", {
      ...goodConfig,
      dataSources: [
        ...(goodConfig.dataSources as unknown[]),
        { id: UNSHARED, alias: "not_shared" },
      ],
    });
    const ran = await runCli(["--config", file, "sync", "pull"], env);
    expect(ran.code, ran.stderr).toBe(1);
    expect(ran.stderr).toMatch(new RegExp(UNSHARED));
    expect(ran.stderr).toMatch(/hint: Share the database with your integration/);
    const after = project.openMirror();
    try {
      expect(after.sqlite.pragma("integrity_check", { simple: true })).toBe("ok");
      const pages = after.sqlite.prepare("SELECT count(*) AS n FROM pages").get() as { n: number };
      expect(pages.n).toBeGreaterThan(0);
    } finally {
      after.close();
    }
    // A pull with the good config still works and changes nothing that was there.
    const again = await runCli(["--config", project.config.file, "sync", "pull"], env);
    expect(again.code, again.stderr).toBe(0);
    expect(before).toMatch(/^[0-9a-f]{64}$/);
  });
});
