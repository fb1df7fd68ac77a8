import { execFile } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { planRun } from "../../src/fill/plan-run.ts";
import { snapshotPath } from "../../src/snapshot/snapshot-file.ts";
import type { EmulatorSession } from "../support/emulator.ts";
import { projectViolations } from "../support/invariants.ts";
import type { TestProject } from "../support/project.ts";
import type { PulledWorld } from "../support/pulled-world.ts";
import { openPulledWorld } from "../support/pulled-world.ts";
import type { CliEnv } from "./support-b/cli.ts";
import { pagePatches, runCli, spawnCli, waitFor } from "./support-b/cli.ts";
import { changeStatuses, nextSeq, patchesPerPage, runPages } from "./support-b/run-pages.ts";

// Environment: one writer at a time. Two pushes started together, and a push killed -9 while it
// held the lock, both as real child processes against the emulator.

let world: PulledWorld;
let session: EmulatorSession;
let project: TestProject;
let env: CliEnv;

beforeAll(async () => {
  world = await openPulledWorld({ demoRules: true });
  ({ session, project, env } = world);
});
afterAll(async () => {
  session?.emulator.setLatency(0);
  await world?.close();
});

const lockFile = () => join(project.config.snapshotsDir, ".writer.lock");
const check = () => projectViolations(session, project);

/** A planned run with changes to push (one with review proposals only has nothing to push). */
async function freshRun(): Promise<string> {
  const { runId, plan } = await planRun(project.config);
  if (!runId || plan.changes.length === 0) throw new Error("nothing planned");
  return runId;
}

describe("two pushes at once", () => {
  it("the second refuses, naming the holder; every field is written once", async () => {
    // Both start together; Notion is slow until the loser has answered, so they overlap.
    const runId = await freshRun();
    const pages = runPages(project, runId);
    const since = nextSeq(session.emulator);
    session.emulator.setLatency(1000);
    const args = ["--config", project.config.file, "push", runId, "--yes"];
    const pushes = [spawnCli(args, env, project.dir), spawnCli(args, env, project.dir)];
    let loser: { code: number | null; stderr: string };
    let winner: (typeof pushes)[number] | undefined;
    try {
      const first = await Promise.race(
        pushes.map((push, index) => push.done.then((ran) => ({ ran, index }))),
      );
      loser = first.ran;
      winner = pushes[1 - first.index];
    } finally {
      session.emulator.setLatency(0);
    }
    expect(loser.code, loser.stderr).toBe(2);
    expect(loser.stderr).toContain(
      `Another push or revert is running: "push ${runId}" (pid ${winner?.child.pid} on `,
    );
    expect(loser.stderr).toMatch(/hint: Wait for it to finish/);
    const done = await (winner as (typeof pushes)[number]).done;
    expect(done.code, done.stderr).toBe(0);
    expect(existsSync(lockFile())).toBe(false);
    expect([...patchesPerPage(session.emulator, pages, since).values()]).toEqual(
      pages.map(() => 1),
    );
    expect(changeStatuses(project, runId)).toEqual({ applied: 5 });
    expect(check()).toEqual([]);
  });
});

describe("a lock holder killed -9", () => {
  it("leaves a stale lock that the next push takes over; it resumes, writing each field once", async () => {
    // Revert what the previous case pushed so there is something to write again, then plan anew.
    const runId = await freshRun().catch(async () => {
      const last = await runCli(
        ["--config", project.config.file, "revert", "--last", "--yes"],
        env,
      );
      expect(last.code, last.stderr).toBe(0);
      return freshRun();
    });
    const pages = runPages(project, runId);
    const since = nextSeq(session.emulator);
    session.emulator.setLatency(300);
    const holder = spawnCli(
      ["--config", project.config.file, "push", runId, "--yes"],
      env,
      project.dir,
    );
    const snapshot = snapshotPath(project.config.snapshotsDir, runId);
    await waitFor(
      () => existsSync(snapshot) && readFileSync(snapshot, "utf8").includes('\\"type\\":\\"pre\\"'),
      "the push to snapshot a pre-image",
      20_000,
    );
    holder.child.kill("SIGKILL");
    const killed = await holder.done;
    session.emulator.setLatency(0);
    expect(killed.signal).toBe("SIGKILL");
    const stale = JSON.parse(readFileSync(lockFile(), "utf8")) as { pid: number };
    expect(stale.pid).toBe(holder.child.pid);

    const resumed = await runCli(["--config", project.config.file, "push", runId, "--yes"], env);
    expect(resumed.code, resumed.stderr).toBe(0);
    expect(existsSync(lockFile())).toBe(false);
    // A write in flight when the holder died is settled by reading back, not sent again.
    expect([...patchesPerPage(session.emulator, pages, since).values()]).toEqual(
      pages.map(() => 1),
    );
    expect(changeStatuses(project, runId)).toEqual({ applied: 5 });
    expect(check()).toEqual([]);
    expect(pagePatches(session.emulator).length).toBeGreaterThan(0);
  });

  it("writers started at the same instant: exactly one gets the lock", async () => {
    // Four processes wait for the same instant, then each tries to take the lock and holds it
    // for a second: whatever the interleaving of create, read and take-over, one wins.
    const start = Date.now() + 2500;
    const script = `
      const { acquireWriterLock } = await import(${JSON.stringify(new URL("../../src/apply/writer-lock.ts", import.meta.url).href)});
      while (Date.now() < ${start}) {}
      try {
        const release = acquireWriterLock(${JSON.stringify(project.config.snapshotsDir)}, "race");
        process.stdout.write("got");
        await new Promise((resolve) => setTimeout(resolve, 1000));
        release();
      } catch (error) {
        process.stdout.write(error.code === "usage" ? "refused" : "error " + error.message);
      }`;
    const racers = Array.from(
      { length: 4 },
      () =>
        new Promise<string>((resolve) => {
          execFile(
            process.execPath,
            ["--import", "tsx", "--input-type=module", "-e", script],
            // From the repository, where tsx resolves.
            { cwd: fileURLToPath(new URL("../..", import.meta.url)), timeout: 30_000 },
            (error, stdout, stderr) => resolve(stdout || stderr || String(error)),
          );
        }),
    );
    const answers = await Promise.all(racers);
    expect(
      answers.filter((answer) => answer === "got"),
      answers.join(", "),
    ).toHaveLength(1);
    expect(answers.filter((answer) => answer === "refused")).toHaveLength(3);
    expect(existsSync(lockFile())).toBe(false);
  });
});
