import { execFileSync } from "node:child_process";
import {
  closeSync,
  ftruncateSync,
  mkdirSync,
  openSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
  writeSync,
} from "node:fs";
import { join } from "node:path";
import Database from "better-sqlite3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { pushRun, selectPushRun } from "../../src/apply/push.ts";
import { renderError } from "../../src/cli/render-error.ts";
import type { ProjectConfig } from "../../src/config/project-config.ts";
import { loadConfig } from "../../src/config/project-config.ts";
import { installDemoRules } from "../../src/fill/demo-rules.ts";
import { planRun } from "../../src/fill/plan-run.ts";
import { snapshotPath } from "../../src/snapshot/snapshot-file.ts";
import type { EmulatorSession } from "../support/emulator.ts";
import { openEmulator } from "../support/emulator.ts";
import { projectViolations } from "../support/invariants.ts";
import type { TestProject } from "../support/project.ts";
import { createProject } from "../support/project.ts";
import type { CliEnv } from "./support-b/cli.ts";
import { pagePatches, runCli, spawnCli } from "./support-b/cli.ts";
import { changeStatuses, nextSeq, patchesPerPage, runPages } from "./support-b/run-pages.ts";

// Environment: a disk that refuses writes. The promise under test: no write is sent to Notion
// without its durable pre-image, and the run resumes once the disk is back.
//
// How the faults are made (as root, on Linux):
// - a folder that cannot be created: its path runs through a regular file (mkdir → ENOTDIR);
// - a full disk: a small tmpfs mounted over the snapshots folder, filled up (ENOSPC);
// - a read-only disk: the same tmpfs remounted read-only (EROFS);
// - a snapshot file whose writes fail: a symlink to /dev/full (ENOSPC on every write);
// - a mirror that cannot be written: another connection holding BEGIN EXCLUSIVE on it, as a
//   database browser or a second sync would.
// The tmpfs cases are skipped where mounting is not allowed.

interface Demo {
  session: EmulatorSession;
  project: TestProject;
  env: CliEnv;
  runId: string;
  /** The config file to pass to the CLI (the project's, maybe rewritten by `configure`). */
  configFile: string;
  config: ProjectConfig;
  close(): Promise<void>;
}

/** A demo project, pulled, with a planned run; `configure` rewrites its config first. */
async function demo(
  options: { medium?: boolean; configure?: (content: Record<string, unknown>) => void } = {},
): Promise<Demo> {
  const session = await openEmulator();
  const project = createProject(session);
  installDemoRules(project.config.fillsDir);
  await project.pull();
  const content = JSON.parse(readFileSync(project.config.file, "utf8")) as Record<string, unknown>;
  options.configure?.(content);
  writeFileSync(project.config.file, JSON.stringify(content));
  const config = loadConfig(project.config.file);
  const { runId } = await planRun(config, options.medium ? { minConfidence: "medium" } : {});
  if (!runId) throw new Error("nothing planned");
  return {
    session,
    project,
    env: { NOTION_TOKEN: session.emulator.token, NOTION_BASE_URL: session.emulator.url },
    runId,
    configFile: project.config.file,
    config,
    close: async () => {
      project.remove();
      await session.stop();
    },
  };
}

const invariants = (d: Demo) => projectViolations(d.session, d);

describe("the snapshots folder cannot be written", () => {
  it("its path runs through a regular file: push refuses (exit 2) and sends no write; it resumes once fixed", async () => {
    const d = await demo({ configure: (content) => (content.snapshots = "./blocker/snapshots") });
    try {
      writeFileSync(join(d.project.dir, "blocker"), "a file, not a folder");
      const ran = await runCli(["--config", d.configFile, "push", d.runId, "--yes"], d.env);
      expect(ran.code, ran.stderr).toBe(2);
      expect(ran.stderr).toMatch(/blocker\/snapshots/);
      expect(ran.stderr).toMatch(/ENOTDIR|not a directory/);
      expect(ran.stderr).toMatch(/^hint: /m);
      expect(ran.stderr).not.toMatch(/This is a bug/);
      expect(pagePatches(d.session.emulator)).toEqual([]);

      rmSync(join(d.project.dir, "blocker"));
      const resumed = await runCli(["--config", d.configFile, "push", d.runId, "--yes"], d.env);
      expect(resumed.code, resumed.stderr).toBe(0);
      expect(invariants(d)).toEqual([]);
    } finally {
      await d.close();
    }
  });

  it("the snapshot file is a symlink to /dev/full: push refuses and sends no write", async () => {
    const d = await demo();
    try {
      mkdirSync(d.config.snapshotsDir, { recursive: true, mode: 0o700 });
      const snapshot = snapshotPath(d.config.snapshotsDir, d.runId);
      symlinkSync("/dev/full", snapshot);
      const push = spawnCli(
        ["--config", d.configFile, "push", d.runId, "--yes"],
        d.env,
        d.project.dir,
      );
      // A hang, not a speed, is what this catches: a busy machine can take 20 s to start the CLI.
      const timer = setTimeout(() => push.child.kill("SIGKILL"), 60_000);
      const ran = await push.done;
      clearTimeout(timer);
      expect(pagePatches(d.session.emulator)).toEqual([]);
      expect(
        ran.signal,
        `push hung on the snapshot path and was killed after 60 s: ${ran.stderr}`,
      ).toBeNull();
      expect(ran.code, ran.stderr).toBe(2);
      expect(ran.stderr).toMatch(/snapshot/);
      expect(ran.stderr).not.toMatch(/This is a bug/);

      rmSync(snapshot);
      const resumed = await runCli(["--config", d.configFile, "push", d.runId, "--yes"], d.env);
      expect(resumed.code, resumed.stderr).toBe(0);
      expect(invariants(d)).toEqual([]);
    } finally {
      await d.close();
    }
  }, 120_000);
});

/** Mounts a tmpfs of `size` at `dir`; false where this machine does not allow it. */
function mountTmpfs(dir: string, size: string): boolean {
  mkdirSync(dir, { recursive: true });
  try {
    execFileSync("mount", ["-t", "tmpfs", "-o", `size=${size},mode=0700`, "tmpfs", dir], {
      stdio: "ignore",
    });
    return true;
  } catch {
    return false;
  }
}

const canMount = (() => {
  if (process.platform !== "linux" || process.getuid?.() !== 0) return false;
  const probe = join(process.env.TMPDIR ?? "/tmp", `notion-mirror-mount-probe-${process.pid}`);
  const ok = mountTmpfs(probe, "64k");
  if (ok) execFileSync("umount", [probe]);
  rmSync(probe, { recursive: true, force: true });
  return ok;
})();

describe.skipIf(!canMount)(
  "the snapshots folder on a disk that fills up or turns read-only",
  () => {
    let d: Demo;
    let disk: string;
    let pages: string[];
    let since: number;
    const filler = () => join(disk, "filler");
    const cli = (...args: string[]) => runCli(["--config", d.configFile, ...args], d.env);

    beforeAll(async () => {
      d = await demo({
        medium: true,
        configure: (content) => (content.snapshots = "./disk/snapshots"),
      });
      disk = join(d.project.dir, "disk");
      if (!mountTmpfs(disk, "1m")) throw new Error("cannot mount a tmpfs");
      pages = runPages(d.project, d.runId);
      since = nextSeq(d.session.emulator);
      // A first part of the run goes through while there is room.
      const first = await cli("push", d.runId, "--yes", "--max-writes", "3");
      expect(first.code, first.stderr).toBe(3);
    });
    afterAll(async () => {
      if (disk) execFileSync("umount", ["-l", disk]);
      await d?.close();
    });

    it("a full disk: push stops with a clear error (exit 2); every write sent has its pre-image", async () => {
      // Filled to the last block, then one block given back: room for the writer lock, and for
      // the snapshot only what is left in its file's last block.
      const fd = openSync(filler(), "w");
      let size = 0;
      try {
        const chunk = Buffer.alloc(4096, 1);
        for (;;) size += writeSync(fd, chunk);
      } catch (error) {
        expect((error as NodeJS.ErrnoException).code).toBe("ENOSPC");
        ftruncateSync(fd, size - 4096);
      } finally {
        closeSync(fd);
      }
      const patches = pagePatches(d.session.emulator).length;
      const ran = await cli("push", d.runId, "--yes");
      expect(ran.code, ran.stderr).toBe(2);
      expect(ran.stderr).toMatch(/Cannot write the snapshot .*ENOSPC/);
      expect(ran.stderr).toMatch(/No write is sent without its snapshot/);
      expect(ran.stderr).toMatch(/hint: Free disk space/);
      // Writes whose pre-image fitted in the file's last block may have gone; none without one.
      expect(pagePatches(d.session.emulator).length - patches).toBeLessThan(pages.length - 3);
      expect(invariants(d)).toEqual([]);
    });

    it("a read-only disk: push refuses (exit 2) and sends no write", async () => {
      rmSync(filler());
      execFileSync("mount", ["-o", "remount,ro", disk]);
      try {
        const patches = pagePatches(d.session.emulator).length;
        const ran = await cli("push", d.runId, "--yes");
        expect(ran.code, ran.stderr).toBe(2);
        expect(ran.stderr).toMatch(/EROFS|read-only/);
        expect(ran.stderr).not.toMatch(/This is a bug/);
        expect(pagePatches(d.session.emulator).length).toBe(patches);
      } finally {
        execFileSync("mount", ["-o", "remount,rw", disk]);
      }
    });

    it("once the disk is back the run resumes and completes: each field written once, the checker holds", async () => {
      rmSync(filler(), { force: true });
      const ran = await cli("push", d.runId, "--yes");
      expect(ran.code, ran.stderr).toBe(0);
      expect([...patchesPerPage(d.session.emulator, pages, since).values()]).toEqual(
        pages.map(() => 1),
      );
      expect(Object.keys(changeStatuses(d.project, d.runId))).toEqual(["applied"]);
      expect(invariants(d)).toEqual([]);
    });
  },
);

describe("the mirror cannot be written", () => {
  it("its folder's path runs through a regular file: sync pull refuses (exit 2), sends nothing", async () => {
    const d = await demo();
    try {
      writeFileSync(join(d.project.dir, "blocker"), "a file, not a folder");
      const content = JSON.parse(readFileSync(d.configFile, "utf8")) as Record<string, unknown>;
      const file = join(d.project.dir, "blocked.json");
      writeFileSync(file, JSON.stringify({ ...content, mirror: "./blocker/mirror.db" }));
      const requests = d.session.emulator.log.all().length;
      const ran = await runCli(["--config", file, "sync", "pull"], d.env);
      expect(ran.code, ran.stderr).toBe(2);
      expect(ran.stderr).toMatch(/Cannot create the mirror file .*blocker\/mirror\.db/);
      expect(ran.stderr).toMatch(/^hint: /m);
      expect(d.session.emulator.log.all()).toHaveLength(requests);
    } finally {
      await d.close();
    }
  });

  it("another program holds it locked mid-push: the push stops, every write sent has its pre-image, and it resumes", async () => {
    const d = await demo({ medium: true });
    const blocker = new Database(d.config.mirrorPath);
    try {
      const pages = runPages(d.project, d.runId);
      const since = nextSeq(d.session.emulator);
      const mirror = d.project.openMirror();
      // Not the product's 10 s: the test does not wait that long to see SQLITE_BUSY.
      mirror.sqlite.pragma("busy_timeout = 200");
      let error: unknown;
      try {
        await pushRun(d.config, mirror, d.project.api(), selectPushRun(mirror, d.runId), {
          onProgress: (progress) => {
            if (progress.pagesDone === 2 && !blocker.inTransaction) blocker.exec("BEGIN EXCLUSIVE");
          },
        });
      } catch (caught) {
        error = caught;
      } finally {
        mirror.close();
      }
      expect(error, "the push went on though the mirror was locked").toBeDefined();
      expect(String((error as Error).message)).toMatch(/locked|busy/i);
      expect(pagePatches(d.session.emulator).length).toBeLessThan(pages.length);
      blocker.exec("COMMIT");
      expect(invariants(d).filter((violation) => !violation.startsWith("I5:"))).toEqual([]);

      const resumed = await runCli(["--config", d.configFile, "push", d.runId, "--yes"], d.env);
      expect(resumed.code, resumed.stderr).toBe(0);
      expect([...patchesPerPage(d.session.emulator, pages, since).values()]).toEqual(
        pages.map(() => 1),
      );
      expect(Object.keys(changeStatuses(d.project, d.runId))).toEqual(["applied"]);
      expect(invariants(d)).toEqual([]);
      // What the CLI printed for the stopped push: what is wrong and what to do, not "a bug".
      expect(renderError(error)).not.toMatch(/This is a bug/);
      expect(renderError(error)).toMatch(/^hint: /m);
    } finally {
      if (blocker.inTransaction) blocker.exec("ROLLBACK");
      blocker.close();
      await d.close();
    }
  });
});
