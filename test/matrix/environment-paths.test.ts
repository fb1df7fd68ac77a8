import { execFileSync } from "node:child_process";
import {
  existsSync,
  lstatSync,
  mkdirSync,
  readFileSync,
  readdirSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { planRun } from "../../src/fill/plan-run.ts";
import { loadConfig } from "../../src/config/project-config.ts";
import type { EmulatorSession } from "../support/emulator.ts";
import { checkInvariants } from "../support/invariants.ts";
import type { TestProject } from "../support/project.ts";
import type { PulledWorld } from "../support/pulled-world.ts";
import { openPulledWorld } from "../support/pulled-world.ts";
import type { CliEnv, CliRun } from "./support-b/cli.ts";
import { pagePatches, runCli, spawnCli } from "./support-b/cli.ts";

// Environment: the paths notion-mirror writes to (the mirror, the snapshots folder, `scan --out`)
// pointed at the wrong thing — a device, a FIFO, someone's text file, a folder, a link to
// nowhere. The promise under test: each is refused with exit 2, what is wrong and what to do,
// BEFORE anything is created, chmod'ed or written there; nothing is sent to Notion.

const isRoot = process.getuid?.() === 0;

let world: PulledWorld;
let session: EmulatorSession;
let project: TestProject;
let env: CliEnv;
let runId: string;

beforeAll(async () => {
  world = await openPulledWorld({ demoRules: true });
  ({ session, project, env } = world);
  const planned = await planRun(project.config, {});
  if (!planned.runId) throw new Error("nothing planned");
  runId = planned.runId;
});
afterAll(() => world.close());

/** A copy of the project's config with `mirror` / `snapshots` set; returns its path. */
function configWith(name: string, keys: { mirror?: string; snapshots?: string }): string {
  const content = JSON.parse(readFileSync(project.config.file, "utf8")) as Record<string, unknown>;
  const file = join(project.dir, `${name}.json`);
  writeFileSync(file, JSON.stringify({ ...content, ...keys }));
  return file;
}

const cli = (config: string, ...args: string[]) => runCli(["--config", config, ...args], env);

/** A refusal as the README promises it: exit 2, the message, a hint, no "bug". */
function expectRefused(ran: CliRun, message: RegExp): void {
  expect(ran.code, ran.stderr).toBe(2);
  expect(ran.stderr).toMatch(message);
  expect(ran.stderr).toMatch(/^hint: /m);
  expect(ran.stderr).not.toMatch(/This is a bug/);
}

const modeOf = (path: string) => lstatSync(path).mode;

describe("the mirror path is checked before anything touches it", () => {
  it("a text file given as the mirror: every command exits 2 (not a SQLite file); its mode and bytes unchanged", async () => {
    const notes = join(project.dir, "notes.txt");
    writeFileSync(notes, "meeting notes, not a database\n", { mode: 0o644 });
    const config = configWith("text-mirror", { mirror: "./notes.txt" });
    for (const args of [["status"], ["sync", "pull"], ["plan"], ["query", "SELECT 1"], ["runs"]]) {
      const ran = await cli(config, ...args);
      expectRefused(ran, /notes\.txt is not a SQLite file/);
      expect(ran.stderr).toMatch(/`mirror` in notion-mirror\.json/);
    }
    expect(modeOf(notes) & 0o777).toBe(0o644);
    expect(readFileSync(notes, "utf8")).toBe("meeting notes, not a database\n");
    expect(readdirSync(project.dir).filter((name) => name.startsWith("notes.txt"))).toEqual([
      "notes.txt",
    ]);
  });

  it.skipIf(!isRoot)(
    "a copy of /dev/null given as the mirror: exit 2 (a character device); it stays crw-r--r--",
    async () => {
      const device = join(project.dir, "null-copy");
      execFileSync("mknod", ["-m", "644", device, "c", "1", "3"]);
      const before = modeOf(device);
      const config = configWith("device-mirror", { mirror: "./null-copy" });
      for (const args of [
        ["sync", "pull"],
        ["query", "SELECT 1"],
      ]) {
        expectRefused(await cli(config, ...args), /null-copy is a character device, not a SQLite/);
      }
      expect(statSync(device).isCharacterDevice()).toBe(true);
      expect(modeOf(device)).toBe(before);
    },
  );

  it("a FIFO given as the mirror: exit 2 at once, never blocking on it; its mode unchanged", async () => {
    const fifo = join(project.dir, "mirror.fifo");
    execFileSync("mkfifo", ["-m", "644", fifo]);
    const config = configWith("fifo-mirror", { mirror: "./mirror.fifo" });
    const run = spawnCli(["--config", config, "sync", "pull"], env, project.dir);
    const timer = setTimeout(() => run.child.kill("SIGKILL"), 15_000);
    const ran = await run.done;
    clearTimeout(timer);
    expect(ran.signal, "sync pull blocked on the FIFO and was killed after 15 s").toBeNull();
    expectRefused({ ...ran, code: ran.code ?? -1 }, /mirror\.fifo is a FIFO \(named pipe\)/);
    expect(statSync(fifo).isFIFO()).toBe(true);
    expect(modeOf(fifo) & 0o777).toBe(0o644);
  });

  it("a folder given as the mirror: exit 2, the folder left as it is", async () => {
    mkdirSync(join(project.dir, "a-folder"));
    const config = configWith("folder-mirror", { mirror: "./a-folder" });
    expectRefused(await cli(config, "status"), /a-folder is a folder, not a SQLite file/);
    expect(readdirSync(join(project.dir, "a-folder"))).toEqual([]);
  });

  it("a dangling symlink given as the mirror: exit 2 naming its target; nothing created there", async () => {
    const target = join(project.dir, "unmounted", "mirror.db");
    symlinkSync(target, join(project.dir, "mirror-link.db"));
    const config = configWith("dangling-mirror", { mirror: "./mirror-link.db" });
    const ran = await cli(config, "sync", "pull");
    expectRefused(
      ran,
      /mirror-link\.db is a symbolic link to .*unmounted\/mirror\.db, which does not exist/,
    );
    expect(existsSync(join(project.dir, "unmounted"))).toBe(false);
  });

  it("a symlink to the real mirror is followed: the commands work on the file it leads to", async () => {
    symlinkSync(project.config.mirrorPath, join(project.dir, "linked.db"));
    const config = configWith("linked-mirror", { mirror: "./linked.db" });
    const ran = await cli(config, "query", "--format", "json", "SELECT count(*) AS n FROM runs");
    expect(ran.code, ran.stderr).toBe(0);
    expect(JSON.parse(ran.stdout)).toEqual([{ n: 1 }]);
    const status = await cli(config, "status");
    expect(status.code, status.stderr).toBe(0);
    expect(lstatSync(join(project.dir, "linked.db")).isSymbolicLink()).toBe(true);
    expect(statSync(project.config.mirrorPath).mode & 0o777).toBe(0o600);
  });

  it("an empty file given as the mirror is taken as a new mirror (and made 0600)", async () => {
    const empty = join(project.dir, "empty.db");
    writeFileSync(empty, "", { mode: 0o644 });
    const config = configWith("empty-mirror", { mirror: "./empty.db" });
    const ran = await cli(config, "sync", "pull");
    expect(ran.code, ran.stderr).toBe(0);
    expect(statSync(empty).mode & 0o777).toBe(0o600);
    expect(readFileSync(empty).subarray(0, 15).toString()).toBe("SQLite format 3");
  });
});

describe("the snapshots path is checked before the first write", () => {
  it("/dev/null as the snapshots folder: push and revert exit 2 (a character device, not a folder); nothing sent", async () => {
    const before = statSync("/dev/null").mode;
    const config = configWith("null-snapshots", { snapshots: "/dev/null" });
    const pushed = await cli(config, "push", runId, "--yes");
    expectRefused(pushed, /snapshots path \/dev\/null is a character device, not a folder/);
    expect(pushed.stderr).toMatch(/`snapshots` in notion-mirror\.json/);
    const reverted = await cli(config, "revert", "--last", "--yes");
    expect(reverted.code, reverted.stderr).toBe(2);
    expect(reverted.stderr).not.toMatch(/This is a bug/);
    expect(pagePatches(session.emulator)).toEqual([]);
    expect(statSync("/dev/null").mode).toBe(before);
    expect(statSync("/dev/null").isCharacterDevice()).toBe(true);
  });

  it("a regular file as the snapshots folder: push exits 2 and sends nothing", async () => {
    writeFileSync(join(project.dir, "snapshots.txt"), "not a folder");
    const config = configWith("file-snapshots", { snapshots: "./snapshots.txt" });
    expectRefused(
      await cli(config, "push", runId, "--yes"),
      /snapshots\.txt is a regular file, not a folder/,
    );
    expect(readFileSync(join(project.dir, "snapshots.txt"), "utf8")).toBe("not a folder");
    expect(pagePatches(session.emulator)).toEqual([]);
  });

  it("a dangling symlink as the snapshots folder: push exits 2 naming its target and creates nothing; once the folder exists it pushes into it", async () => {
    const backup = join(project.dir, "backup-disk", "snapshots");
    symlinkSync(backup, join(project.dir, "snapshots-link"));
    const config = configWith("dangling-snapshots", { snapshots: "./snapshots-link" });
    const ran = await cli(config, "push", runId, "--yes");
    expectRefused(
      ran,
      /snapshots-link is a symbolic link to .*backup-disk\/snapshots, which does not exist/,
    );
    expect(existsSync(join(project.dir, "backup-disk"))).toBe(false);
    expect(pagePatches(session.emulator)).toEqual([]);

    mkdirSync(backup, { recursive: true, mode: 0o700 });
    const pushed = await cli(config, "push", runId, "--yes");
    expect(pushed.code, pushed.stderr).toBe(0);
    expect(readdirSync(backup)).toContain(`${runId}.snapshot.ndjson`);
    expect(
      checkInvariants({
        emulator: session.emulator,
        snapshotsDir: backup,
        mirrorPath: loadConfig(config).mirrorPath,
      }),
    ).toEqual([]);
  });
});

describe("scan --out is checked before the model is written", () => {
  const scanConfig = () => configWith("scan", {});

  it("a FIFO as --out: exit 2 at once, nothing written beside it", async () => {
    const fifo = join(project.dir, "model.fifo");
    execFileSync("mkfifo", [fifo]);
    const config = scanConfig();
    const before = readdirSync(project.dir).sort();
    const ran = await cli(config, "scan", "--out", fifo);
    expectRefused(ran, /model\.fifo: it is a FIFO \(named pipe\), not a regular file/);
    expect(readdirSync(project.dir).sort()).toEqual(before);
    expect(statSync(fifo).isFIFO()).toBe(true);
  });

  it("a folder as --out: exit 2", async () => {
    mkdirSync(join(project.dir, "models"));
    expectRefused(
      await cli(scanConfig(), "scan", "--out", join(project.dir, "models")),
      /models: it is a folder, not a regular file/,
    );
    expect(readdirSync(join(project.dir, "models"))).toEqual([]);
  });

  it("a symlink as --out: the file it leads to is written (0600), the link kept, and the message names both", async () => {
    mkdirSync(join(project.dir, "shared-models"));
    const real = join(project.dir, "shared-models", "canonical.json");
    writeFileSync(real, "{}\n", { mode: 0o644 });
    const link = join(project.dir, "canonical-link.json");
    symlinkSync(real, link);
    const ran = await cli(scanConfig(), "scan", "--out", link);
    expect(ran.code, ran.stderr).toBe(0);
    expect(ran.stderr).toContain(`Wrote the canonical model to ${link} (a link to ${real})`);
    expect(lstatSync(link).isSymbolicLink()).toBe(true);
    expect(JSON.parse(readFileSync(real, "utf8"))).toHaveProperty("dataSources");
    expect(statSync(real).mode & 0o777).toBe(0o600);
  });
});
