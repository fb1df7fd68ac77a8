import { createHash } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { installDemoRules } from "../../src/fill/demo-rules.ts";
import type { EmulatorSession } from "../support/emulator.ts";
import { openEmulator } from "../support/emulator.ts";
import { checkInvariants } from "../support/invariants.ts";
import type { CliEnv, CliRun } from "../matrix/support-b/cli.ts";
import { runCli, walkFiles } from "../matrix/support-b/cli.ts";

// Security: a canary token, distinctive enough to find anywhere, is the emulator's token and
// NOTION_TOKEN for a whole flow — and the WRONG token for the error paths. It must appear in no
// file the tool wrote, no output and no error. Files holding workspace data are private.

const CANARY = "ntn_CANARY_5f0c3e9a7b1d4c2e8f6a0b9d3c7e1f5a2b4d6c8e";
const FORMS = [
  CANARY,
  CANARY.slice(4, 30), // a fragment
  Buffer.from(CANARY).toString("base64"),
  Buffer.from(`Bearer ${CANARY}`).toString("base64"),
  encodeURIComponent(CANARY),
];

let session: EmulatorSession;
/** An emulator that accepts another token: the canary is wrong there. */
let other: EmulatorSession;
let dir: string;
let configFile: string;
let env: CliEnv;
const outputs: Array<{ args: string[]; ran: CliRun }> = [];

beforeAll(async () => {
  session = await openEmulator({ token: CANARY });
  other = await openEmulator({ token: "someone-elses-token" });
  dir = mkdtempSync(join(tmpdir(), "notion-mirror-canary-"));
  configFile = join(dir, "notion-mirror.json");
  env = { NOTION_TOKEN: CANARY, NOTION_BASE_URL: session.emulator.url };
});
afterAll(async () => {
  rmSync(dir, { recursive: true, force: true });
  await session?.stop();
  await other?.stop();
});

async function cli(args: string[], extra: CliEnv = {}, expected: number[] = [0]): Promise<CliRun> {
  const ran = await runCli(["--config", configFile, ...args], { ...env, ...extra });
  outputs.push({ args, ran });
  expect(expected, `${args.join(" ")} exited ${ran.code}: ${ran.stderr}`).toContain(ran.code);
  return ran;
}

const mirrorPath = () => join(dir, "notion-mirror.db");
const mirrorHash = () => createHash("sha256").update(readFileSync(mirrorPath())).digest("hex");

describe("a canary token used through a whole flow", () => {
  it("runs init, pull, scan, query, plan, push, runs show, revert and status with it", async () => {
    await cli(["init"]);
    const content = JSON.parse(readFileSync(configFile, "utf8")) as Record<string, unknown>;
    writeFileSync(configFile, JSON.stringify({ ...content, rateLimit: 1000 }));
    installDemoRules(join(dir, "fills"));
    await cli(["sync", "pull"]);
    await cli(["sync", "pull", "--json"]);
    await cli(["status"]);
    await cli(["scan", "--out", join(dir, "canonical-db-model.json")]);
    await cli(["query", "SELECT * FROM runs", "--json"]);
    const planned = JSON.parse((await cli(["plan", "--json"])).stdout) as { runId: string };
    await cli(["push", planned.runId, "--dry-run"]);
    await cli(["push", planned.runId, "--yes", "--json"]);
    await cli(["runs"]);
    await cli(["runs", "show", planned.runId, "--md"]);
    await cli(["runs", "show", planned.runId, "--json"]);
    await cli(["revert", planned.runId, "--dry-run"]);
    await cli(["revert", planned.runId, "--yes", "--json"]);
    await cli(["status", "--json"]);
    expect(
      checkInvariants({
        emulator: session.emulator,
        snapshotsDir: join(dir, "snapshots"),
        mirrorPath: mirrorPath(),
      }),
    ).toEqual([]);
  });

  it("and through the error paths, where the canary is the wrong token", async () => {
    const wrong = { NOTION_BASE_URL: other.emulator.url };
    const pull = await cli(["sync", "pull"], wrong, [1]);
    expect(pull.stderr).toMatch(/Notion refused the token/);
    await cli(["init", "--force"], wrong, [1]);
    const planned = JSON.parse((await cli(["plan", "--json"])).stdout) as { runId: string };
    const push = await cli(["push", planned.runId, "--yes"], wrong, [1]);
    expect(push.stderr).toMatch(/Notion refused the token/);
    await cli(
      ["push", planned.runId, "--yes"],
      { NOTION_API_KEY: CANARY, NOTION_TOKEN: undefined, ...wrong },
      [1],
    );
    // The run is still whole and can be pushed with the right token.
    await cli(["push", planned.runId, "--yes"]);
  });

  it("never appears in stdout, stderr or an error message", () => {
    expect(outputs.length).toBeGreaterThan(20);
    for (const { args, ran } of outputs) {
      for (const form of FORMS) {
        expect(ran.stdout.includes(form), `stdout of ${args.join(" ")}`).toBe(false);
        expect(ran.stderr.includes(form), `stderr of ${args.join(" ")}`).toBe(false);
      }
    }
  });

  it("never appears in any file the tool wrote: mirror, snapshots, configs, reports", () => {
    const files = walkFiles(dir);
    expect(files.some((file) => file.endsWith(".snapshot.ndjson"))).toBe(true);
    expect(files).toContain(mirrorPath());
    for (const file of files) {
      const bytes = readFileSync(file);
      for (const form of FORMS) {
        expect(bytes.includes(Buffer.from(form)), file).toBe(false);
        expect(bytes.includes(Buffer.from(form, "utf16le")), file).toBe(false);
      }
    }
  });
});

describe("file modes", () => {
  it("the mirror, snapshot and report files are 0600, the snapshots folder 0700", () => {
    const mode = (path: string) => (statSync(path).mode & 0o777).toString(8);
    expect(mode(mirrorPath())).toBe("600");
    expect(mode(join(dir, "snapshots"))).toBe("700");
    const snapshots = walkFiles(join(dir, "snapshots"));
    expect(snapshots.length).toBeGreaterThan(1);
    for (const file of snapshots) expect(mode(file), file).toBe("600");
    expect(mode(join(dir, "canonical-db-model.json"))).toBe("600");
  });
});

describe("SQL from the user cannot change the mirror", () => {
  const ATTEMPTS = (): Array<[string, string]> => [
    ["a write", "UPDATE runs SET status = 'applied'"],
    ["ATTACH", `ATTACH '${join(dir, "evil.db")}' AS evil`],
    ["a PRAGMA", "PRAGMA journal_mode = DELETE"],
    ["two statements", "SELECT page_id, 'x' AS value FROM runs; DELETE FROM runs"],
  ];

  it("a fill rule that writes is refused and the mirror's sha256 is unchanged", async () => {
    const before = mirrorHash();
    const rules = mkdtempSync(join(dir, "rules-"));
    writeFileSync(
      join(rules, "evil.sql"),
      "-- target: wt_phase_database.status\n-- confidence: high\nUPDATE runs SET status = 'applied'\n",
    );
    const content = JSON.parse(readFileSync(configFile, "utf8")) as Record<string, unknown>;
    const file = join(dir, "evil-config.json");
    writeFileSync(file, JSON.stringify({ ...content, fills: rules }));
    const ran = await runCli(["--config", file, "plan"], env);
    expect(ran.code, ran.stderr).toBe(2);
    expect(mirrorHash()).toBe(before);
  });

  it("query refuses a write, ATTACH, a PRAGMA and two statements; the mirror's sha256 is unchanged", async () => {
    const before = mirrorHash();
    for (const [what, sql] of ATTEMPTS()) {
      const ran = await runCli(["--config", configFile, "query", sql], env);
      expect(ran.code, `${what}: ${ran.stderr}`).toBe(2);
      expect(mirrorHash(), what).toBe(before);
    }
  });
});
