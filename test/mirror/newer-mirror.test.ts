import { createHash } from "node:crypto";
import { chmodSync, existsSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import Database from "better-sqlite3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { NotionMirrorError } from "../../src/errors.ts";
import { installDemoRules } from "../../src/fill/demo-rules.ts";
import { planRun } from "../../src/fill/plan-run.ts";
import { MIGRATIONS_FOLDER, openMirror, openMirrorReadOnly } from "../../src/mirror/open-mirror.ts";
import type { CliEnv } from "../matrix/support-b/cli.ts";
import { runCli } from "../matrix/support-b/cli.ts";
import type { EmulatorSession } from "../support/emulator.ts";
import { openEmulator } from "../support/emulator.ts";
import type { TestProject } from "../support/project.ts";
import { createProject } from "../support/project.ts";

// A mirror migrated by a newer notion-mirror (a migration this build does not know, and the
// table change it made) must be refused with both schema versions named — never opened for
// writing, never migrated, never chmod'ed — so no command misreads tables it does not know.

const KNOWN = (
  JSON.parse(readFileSync(join(MIGRATIONS_FOLDER, "meta", "_journal.json"), "utf8")) as {
    entries: unknown[];
  }
).entries.length;
const NEWER = new RegExp(
  `written by a newer notion-mirror \\(schema ${KNOWN + 1}, this one knows ${KNOWN}\\); upgrade`,
);

let session: EmulatorSession;
let project: TestProject;
let env: CliEnv;

/**
 * The mirror's bytes and mode, and the size of its WAL: what "left as it is" means. (A read-only
 * connection to a WAL database may create an empty -wal and the -shm index beside it: SQLite's
 * own housekeeping, which holds no data.)
 */
function fingerprint(): { sha256: string; mode: number; walBytes: number } {
  const path = project.config.mirrorPath;
  const wal = `${path}-wal`;
  return {
    sha256: createHash("sha256").update(readFileSync(path)).digest("hex"),
    mode: statSync(path).mode,
    walBytes: existsSync(wal) ? statSync(wal).size : 0,
  };
}

beforeAll(async () => {
  session = await openEmulator();
  project = createProject(session);
  installDemoRules(project.config.fillsDir);
  await project.pull();
  await planRun(project.config, {});
  // What a later release would do: record its migration and change a table. Closing the last
  // connection checkpoints the WAL into the file.
  const journal = JSON.parse(
    readFileSync(join(MIGRATIONS_FOLDER, "meta", "_journal.json"), "utf8"),
  ) as { entries: Array<{ when: number }> };
  const newest = Math.max(...journal.entries.map((entry) => entry.when));
  const sqlite = new Database(project.config.mirrorPath);
  sqlite
    .prepare("INSERT INTO __drizzle_migrations (hash, created_at) VALUES (?, ?)")
    .run("a migration of a later release", newest + 86_400_000);
  sqlite.exec("ALTER TABLE pages ADD COLUMN archived_reason TEXT NOT NULL DEFAULT ''");
  sqlite.close();
  chmodSync(project.config.mirrorPath, 0o640);
  env = { NOTION_TOKEN: session.emulator.token, NOTION_BASE_URL: session.emulator.url };
});
afterAll(async () => {
  project.remove();
  await session.stop();
});

describe("a mirror written by a newer notion-mirror", () => {
  it("is refused by openMirror with both schema versions named, and left byte for byte (mode too)", () => {
    const before = fingerprint();
    let caught: unknown;
    try {
      openMirror(project.config.mirrorPath).close();
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(NotionMirrorError);
    expect((caught as NotionMirrorError).code).toBe("config");
    expect((caught as Error).message).toMatch(NEWER);
    expect((caught as NotionMirrorError).hint).toMatch(/Upgrade notion-mirror/);
    expect(fingerprint()).toEqual(before);
  });

  it("is refused read-only too (query, scan and the rule sandbox open it that way)", () => {
    const before = fingerprint();
    expect(() => openMirrorReadOnly(project.config.mirrorPath)).toThrow(NEWER);
    expect(fingerprint()).toEqual(before);
  });

  it("makes every command exit 2 with the versions named, sending nothing to Notion", async () => {
    const before = fingerprint();
    const requests = session.emulator.log.all().length;
    const commands = [
      ["plan"],
      ["push", "--yes"],
      ["sync", "pull"],
      ["status"],
      ["runs"],
      ["query", "SELECT 1"],
      ["scan"],
      ["revert", "--last", "--yes"],
    ];
    for (const args of commands) {
      const ran = await runCli(["--config", project.config.file, ...args], env);
      expect(ran.code, `${args.join(" ")}: ${ran.stderr}`).toBe(2);
      expect(ran.stderr).toMatch(NEWER);
      expect(ran.stderr).toMatch(/^hint: Upgrade/m);
      expect(ran.stderr).not.toMatch(/This is a bug/);
    }
    expect(session.emulator.log.all()).toHaveLength(requests);
    expect(fingerprint()).toEqual(before);
  });
});
