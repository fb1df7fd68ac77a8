import { execFile } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import Database from "better-sqlite3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEMO_FACTS } from "../../src/emulator/index.ts";
import type { EmulatorSession } from "../support/emulator.ts";
import { openEmulator } from "../support/emulator.ts";
import { runCli } from "../matrix/support-b/cli.ts";

const BIN = fileURLToPath(new URL("../../bin/notion-mirror.js", import.meta.url));

let session: EmulatorSession;
let dir: string;

beforeAll(async () => {
  session = await openEmulator();
  dir = mkdtempSync(join(tmpdir(), "notion-mirror-sync-cli-"));
  const init = await cli(["init", "--demo"]);
  expect(init.code, init.stderr).toBe(0);
  // The demo config paces requests like Notion (3/s); the emulator here has no limit.
  const file = join(dir, "notion-mirror.json");
  writeFileSync(
    file,
    JSON.stringify({ ...JSON.parse(readFileSync(file, "utf8")), rateLimit: 1000 }),
  );
});
afterAll(async () => {
  rmSync(dir, { recursive: true, force: true });
  await session?.stop();
});

interface Ran {
  code: number | null;
  stdout: string;
  stderr: string;
}

/**
 * `notion-mirror <args>` as a child process in the project folder, pointed at the emulator.
 * stdout and stderr are pipes, so neither is a terminal (as in scripts and CI).
 */
function child(args: string[]): Promise<Ran> {
  const base: NodeJS.ProcessEnv = {
    ...process.env,
    NO_COLOR: "1",
    NOTION_TOKEN: session.emulator.token,
    NOTION_BASE_URL: session.emulator.url,
  };
  delete base.NOTION_API_KEY;
  delete base.CI;
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [BIN, ...args],
      { cwd: dir, env: base, timeout: 60_000 },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === "number" ? error.code : null) : 0;
        resolve({ code, stdout, stderr });
      },
    );
  });
}

/**
 * The same through the CLI entry in this process, run in the project folder (what it writes to
 * stdout and stderr captured): a process start saved per command, for what is not about the
 * process itself.
 */
function cli(args: string[], env: NodeJS.ProcessEnv = {}): Promise<Ran> {
  return runCli(
    args,
    {
      NOTION_TOKEN: session.emulator.token,
      NOTION_BASE_URL: session.emulator.url,
      ...env,
    },
    dir,
  );
}

const mirrorPath = () => join(dir, "notion-mirror.db");

/** The pull record and every page row: what a failed pull must leave as it was. */
function mirrorContent(): unknown {
  const sqlite = new Database(mirrorPath(), { readonly: true });
  try {
    return {
      pulls: sqlite.prepare("SELECT * FROM pulls ORDER BY id").all(),
      sources: sqlite.prepare("SELECT * FROM data_sources ORDER BY id").all(),
      pages: sqlite.prepare("SELECT * FROM pages ORDER BY id").all(),
    };
  } finally {
    sqlite.close();
  }
}

describe("notion-mirror sync pull", () => {
  it("mirrors the demo, prints the summary on stdout and nothing on stderr when it is not a terminal", async () => {
    const ran = await child(["sync", "pull"]);
    expect(ran.code, ran.stderr).toBe(0);
    expect(ran.stderr).toBe("");
    expect(ran.stdout).toMatch(
      new RegExp(
        `${DEMO_FACTS.canonicalDataSources} data sources, ${DEMO_FACTS.records} live pages; \\d+ requests in`,
      ),
    );
    expect(ran.stdout).toMatch(/wt_projects\s.*full \(first pull\)/);
  });

  it("creates the mirror file readable by its owner only", () => {
    expect(statSync(mirrorPath()).mode & 0o777).toBe(0o600);
  });

  it("prints a summary that parses as JSON with --json, incremental the second time", async () => {
    const ran = await cli(["sync", "pull", "--json"]);
    expect(ran.code, ran.stderr).toBe(0);
    expect(ran.stderr).toBe("");
    const summary = JSON.parse(ran.stdout) as {
      dataSources: Array<{ alias: string; mode: string; livePages: number }>;
      requests: number;
    };
    expect(summary.dataSources).toHaveLength(DEMO_FACTS.canonicalDataSources);
    expect(summary.dataSources.every((source) => source.mode === "incremental")).toBe(true);
    expect(summary.dataSources.reduce((sum, source) => sum + source.livePages, 0)).toBe(
      DEMO_FACTS.records,
    );
    expect(summary.requests).toBe(3 * DEMO_FACTS.canonicalDataSources);
  });

  it("pulls only the aliases named with --only", async () => {
    const ran = await cli(["sync", "pull", "--only", "wt_projects", "wt_tasks", "--json"]);
    expect(ran.code, ran.stderr).toBe(0);
    const summary = JSON.parse(ran.stdout) as { dataSources: Array<{ alias: string }> };
    expect(summary.dataSources.map((source) => source.alias).sort()).toEqual([
      "wt_projects",
      "wt_tasks",
    ]);
  });

  it("exits 2 on an unknown alias, listing the known ones", async () => {
    const ran = await cli(["sync", "pull", "--only", "nope"]);
    expect(ran.code).toBe(2);
    expect(ran.stdout).toBe("");
    expect(ran.stderr).toMatch(/Unknown alias: nope/);
    expect(ran.stderr).toMatch(/wt_projects/);
  });

  it("names the nearest alias for a misspelt one, with its database's name", async () => {
    const ran = await cli(["sync", "pull", "--only", "wt_projcts", "wt_phase"]);
    expect(ran.code).toBe(2);
    expect(ran.stderr).toContain(
      "Unknown aliases: wt_projcts (did you mean wt_projects (WT Projects)?), wt_phase (did you mean wt_phase_database (WT Phase Database)?).",
    );
  });

  it("exits 1 on a wrong token, says what to do and never shows the token", async () => {
    const ran = await cli(["sync", "pull"], { NOTION_TOKEN: "secret_wrong_token_xyz" });
    expect(ran.code).toBe(1);
    expect(ran.stdout).toBe("");
    expect(ran.stderr).toMatch(/401/);
    expect(ran.stderr).toMatch(/NOTION_TOKEN/);
    expect(ran.stderr).not.toContain("secret_wrong_token_xyz");
  });

  it("exits 2 without a token, naming the variable", async () => {
    const ran = await cli(["sync", "pull"], { NOTION_TOKEN: "" });
    expect(ran.code).toBe(2);
    expect(ran.stderr).toMatch(/NOTION_TOKEN/);
  });

  it("exits 2 on a missing or invalid config, naming the file or the key", async () => {
    const missing = await cli(["--config", "absent.json", "sync", "pull"]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/No config file at .*absent\.json/);
    expect(missing.stderr).toMatch(/notion-mirror init/);

    const bad = join(dir, "bad.json");
    const content = JSON.parse(readFileSync(join(dir, "notion-mirror.json"), "utf8")) as {
      dataSources: Array<{ alias: string }>;
    };
    content.dataSources[0]!.alias = "pages";
    writeFileSync(bad, JSON.stringify(content));
    const invalid = await cli(["--config", bad, "sync", "pull"]);
    expect(invalid.code).toBe(2);
    expect(invalid.stderr).toMatch(/dataSources\[0\]\.alias/);
  });

  it("exits 2 on an unknown flag", async () => {
    const ran = await cli(["sync", "pull", "--fulll"]);
    expect(ran.code).toBe(2);
    expect(ran.stderr).toMatch(/unknown option/);
  });

  it("exits 1 on a data source not shared with the integration, saying to share it", async () => {
    const file = join(dir, "unshared.json");
    const content = JSON.parse(readFileSync(join(dir, "notion-mirror.json"), "utf8")) as {
      dataSources: Array<{ id: string; alias: string }>;
    };
    content.dataSources.push({ id: "0badc0de-0000-4000-8000-000000000404", alias: "secret_plans" });
    writeFileSync(file, JSON.stringify(content));
    const before = mirrorContent();
    const ran = await cli(["--config", file, "sync", "pull"]);
    expect(ran.code).toBe(1);
    expect(ran.stdout).toBe("");
    expect(ran.stderr).toMatch(/secret_plans/);
    expect(ran.stderr).toMatch(/share the database with your integration/i);
    expect(mirrorContent()).toEqual(before);
  });
});

describe("notion-mirror status", () => {
  it("prints a table per data source with the last pull", async () => {
    const ran = await cli(["status"]);
    expect(ran.code, ran.stderr).toBe(0);
    expect(ran.stderr).toBe("");
    expect(ran.stdout).toMatch(/wt_projects/);
    expect(ran.stdout).toMatch(/Last pull .* \(incremental, \d+ requests/);
    expect(ran.stdout).toMatch(/\bmirror\b/);
    expect(ran.stdout.match(/\bcomplete\b/g)).toHaveLength(DEMO_FACTS.canonicalDataSources);
  });

  it("names the data sources that Notion's per-query cap made walk in windows", async () => {
    session.emulator.setQueryResultLimit(4);
    try {
      const ran = await cli(["sync", "pull", "--full"]);
      expect(ran.code, ran.stderr).toBe(0);
      expect(ran.stdout).toMatch(
        /wt_projects: Notion's per-query cap was reached \d+ times?; read whole in \d+ query windows\./,
      );
      const status = await cli(["status"]);
      expect(status.stdout).toMatch(/complete \(\d+ query windows past Notion's per-query cap\)/);
    } finally {
      session.emulator.setQueryResultLimit(10_000);
    }
  });

  it("prints the same as JSON with --json", async () => {
    const ran = await cli(["status", "--json"]);
    expect(ran.code, ran.stderr).toBe(0);
    const status = JSON.parse(ran.stdout) as {
      mirrorPath: string;
      dataSources: Array<{
        alias: string;
        livePages: number;
        pulledAt: string | null;
        watermark: string | null;
        completeness: { state: string };
      }>;
      lastPull: { mode: string } | null;
    };
    expect(status.mirrorPath).toBe(mirrorPath());
    expect(status.dataSources).toHaveLength(DEMO_FACTS.canonicalDataSources);
    expect(status.dataSources.every((source) => source.pulledAt && source.watermark)).toBe(true);
    expect(status.dataSources.reduce((sum, source) => sum + source.livePages, 0)).toBe(
      DEMO_FACTS.records,
    );
    expect(status.lastPull?.mode).toBe("full");
    expect(status.dataSources.every((source) => source.completeness.state === "complete")).toBe(
      true,
    );
  });
});
