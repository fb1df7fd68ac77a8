import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { loadConfig } from "../../src/config/project-config.ts";
import { DEMO_FACTS, demoWorkspace, startEmulator } from "../../src/emulator/index.ts";
import { runCli } from "../matrix/support-b/cli.ts";

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "notion-mirror-init-cli-"));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

/**
 * `notion-mirror <args>` in the temp folder through the real CLI entry in this process, with no
 * token unless `extra` gives one: `init --demo` needs none.
 */
function cli(
  args: string[],
  extra: Record<string, string> = {},
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return runCli(
    args,
    { NOTION_TOKEN: undefined, NOTION_API_KEY: undefined, NOTION_BASE_URL: undefined, ...extra },
    dir,
  );
}

describe("notion-mirror init --demo", () => {
  it("writes a valid config for the demo's data sources, the tracker set apart", async () => {
    const ran = await cli(["init", "--demo"]);
    expect(ran.code, ran.stderr).toBe(0);
    expect(ran.stderr).toMatch(
      /Wrote .*notion-mirror\.json: 12 data sources, tracker "wt-backfill-task-tracker"/,
    );
    expect(ran.stdout).toMatch(/wt_projects/);
    const config = loadConfig(join(dir, "notion-mirror.json"));
    expect(config.dataSources).toHaveLength(DEMO_FACTS.canonicalDataSources);
    expect(config.tracker?.name).toBe("wt-backfill-task-tracker");
    expect(config.mirrorPath).toBe(join(dir, "notion-mirror.db"));
    // No ceiling: the pace is the budget Notion's answers reveal, whatever the plan.
    expect(config.rateLimit).toBeUndefined();
    expect(readFileSync(join(dir, "notion-mirror.json"), "utf8")).not.toMatch(/rateLimit/);
    expect(config.notionVersion).toBe("2026-03-11");
    expect(JSON.parse(readFileSync(join(dir, "notion-mirror.json"), "utf8"))).toMatchObject({
      notionVersion: "2026-03-11",
    });
  });

  it.each(["2025-09-03", "2026-12-01"])(
    "writes the version --notion-version names: %s",
    async (version) => {
      const ran = await cli(["init", "--demo", "--notion-version", version]);
      expect(ran.code, ran.stderr).toBe(0);
      expect(loadConfig(join(dir, "notion-mirror.json")).notionVersion).toBe(version);
    },
  );

  it("refuses a --notion-version it does not speak: exit 2, the versions listed, no file", async () => {
    const ran = await cli(["init", "--demo", "--notion-version", "2022-06-28"]);
    expect(ran.code).toBe(2);
    expect(ran.stderr).toMatch(
      /--notion-version takes 2025-09-03, 2026-03-11, 2026-12-01, not "2022-06-28"/,
    );
    expect(() => readFileSync(join(dir, "notion-mirror.json"))).toThrow();
  });

  it("refuses to overwrite an existing config without --force, and replaces it with --force", async () => {
    expect((await cli(["init", "--demo"])).code).toBe(0);
    const path = join(dir, "notion-mirror.json");
    const first = readFileSync(path, "utf8");
    const again = await cli(["init", "--demo"]);
    expect(again.code).toBe(2);
    expect(again.stdout).toBe("");
    expect(again.stderr).toMatch(/already exists/);
    expect(again.stderr).toMatch(/--force/);
    expect(readFileSync(path, "utf8")).toBe(first);
    const forced = await cli(["init", "--demo", "--force"]);
    expect(forced.code, forced.stderr).toBe(0);
  });

  it("writes where --config says and prints the config as JSON with --json", async () => {
    const ran = await cli(["--config", "sub/project.json", "init", "--demo", "--json"]);
    expect(ran.code, ran.stderr).toBe(0);
    const printed = JSON.parse(ran.stdout) as { version: number; dataSources: unknown[] };
    expect(printed.version).toBe(1);
    expect(printed.dataSources).toHaveLength(DEMO_FACTS.canonicalDataSources);
    expect(JSON.parse(readFileSync(join(dir, "sub", "project.json"), "utf8"))).toEqual(printed);
  });
});

describe("notion-mirror init on a workspace", () => {
  it.each(["2025-09-03", "2026-03-11", "2026-12-01"])(
    "finds the data sources speaking the version asked (%s), and writes it",
    async (version) => {
      const emulator = await startEmulator({ seed: demoWorkspace() });
      try {
        const ran = await cli(["init", "--notion-version", version], {
          NOTION_TOKEN: emulator.token,
          NOTION_BASE_URL: emulator.url,
        });
        expect(ran.code, ran.stderr).toBe(0);
        const config = loadConfig(join(dir, "notion-mirror.json"));
        expect(config.dataSources).toHaveLength(DEMO_FACTS.canonicalDataSources);
        expect(config.notionVersion).toBe(version);
        const versions = new Set(emulator.log.all().map((entry) => entry.version));
        expect([...versions]).toEqual([version]);
      } finally {
        await emulator.stop();
      }
    },
  );
});
