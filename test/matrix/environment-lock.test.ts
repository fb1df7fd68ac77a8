import { spawn } from "node:child_process";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
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
import { startHoldingProxy } from "../support/holding-proxy.ts";
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

const isPageWrite = (method: string, path: string) =>
  method === "PATCH" && path.startsWith("/v1/pages/");
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
    // Both start together. The writes wait at a relay until the loser has answered: whichever
    // took the lock is held in the middle of its push however slowly either process starts, so
    // the two always overlap.
    const runId = await freshRun();
    const pages = runPages(project, runId);
    const since = nextSeq(session.emulator);
    const relay = await startHoldingProxy(session.emulator.url, isPageWrite);
    const viaRelay = { ...env, NOTION_BASE_URL: relay.url };
    const args = ["--config", project.config.file, "push", runId, "--yes"];
    const pushes = [spawnCli(args, viaRelay, project.dir), spawnCli(args, viaRelay, project.dir)];
    try {
      const first = await Promise.race(
        pushes.map((push, index) => push.done.then((ran) => ({ ran, index }))),
      );
      const loser = first.ran;
      const winner = pushes[1 - first.index] as (typeof pushes)[number];
      expect(loser.code, loser.stderr).toBe(2);
      expect(loser.stderr).toContain(
        `Another push or revert is running: "push ${runId}" (pid ${winner.child.pid} on `,
      );
      expect(loser.stderr).toMatch(/hint: Wait for it to finish/);
      // The winner cannot finish before its writes are let through: they wait at the relay.
      await waitFor(() => relay.held().length > 0, "the winner's first write", 60_000);
      await relay.release();
      const done = await winner.done;
      expect(done.code, done.stderr).toBe(0);
    } finally {
      await relay.release();
      for (const push of pushes) push.child.kill("SIGKILL");
      await relay.stop();
    }
    expect(existsSync(lockFile())).toBe(false);
    expect([...patchesPerPage(session.emulator, pages, since).values()]).toEqual(
      pages.map(() => 1),
    );
    expect(changeStatuses(project, runId)).toEqual({ applied: 5 });
    expect(check()).toEqual([]);
  }, 120_000);
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
    // The holder's writes wait at a relay, so it is killed in the middle of its push, after a
    // pre-image is on disk and with a write sent, however fast or slow the machine is.
    const relay = await startHoldingProxy(session.emulator.url, isPageWrite);
    const holder = spawnCli(
      ["--config", project.config.file, "push", runId, "--yes"],
      { ...env, NOTION_BASE_URL: relay.url },
      project.dir,
    );
    const snapshot = snapshotPath(project.config.snapshotsDir, runId);
    try {
      await waitFor(() => relay.held().length > 0, "the push's first write", 60_000);
      expect(readFileSync(snapshot, "utf8")).toContain('\\"type\\":\\"pre\\"');
      holder.child.kill("SIGKILL");
      const killed = await holder.done;
      expect(killed.signal).toBe("SIGKILL");
      // The writes it sent reach Notion after it died: their answers are lost, as when a process
      // dies with a write on the wire.
      await relay.release();
    } finally {
      holder.child.kill("SIGKILL");
      await relay.stop();
    }
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
  }, 120_000);

  it("writers started at the same instant: exactly one gets the lock", async () => {
    // Four processes start (as slowly as the machine makes them), wait at a barrier until all are
    // ready, then each tries to take the lock at once and the winner holds it until every racer
    // has answered: whatever the interleaving of create, read and take-over, one wins and the
    // others are refused, with no clock in the way.
    const go = join(project.dir, "race.go");
    const script = `
      const { existsSync } = await import("node:fs");
      const { acquireWriterLock } = await import(${JSON.stringify(new URL("../../src/apply/writer-lock.ts", import.meta.url).href)});
      process.stdout.write("ready\\n");
      while (!existsSync(${JSON.stringify(go)})) {}
      let release;
      try {
        release = acquireWriterLock(${JSON.stringify(project.config.snapshotsDir)}, "race");
        process.stdout.write("got\\n");
      } catch (error) {
        process.stdout.write((error.code === "usage" ? "refused" : "error " + error.message) + "\\n");
      }
      process.stdin.resume();
      await new Promise((resolve) => process.stdin.on("end", resolve));
      release?.();`;
    const racers = Array.from({ length: 4 }, () => startRacer(script));
    try {
      // A process takes up to 20 s to start on a busy machine: the waits are for that, not a bound.
      const all = (test: (lines: string[]) => boolean) => () =>
        racers.every((racer) => test(racer.lines()));
      await waitFor(
        all((lines) => lines.includes("ready")),
        "4 racers ready",
        90_000,
      );
      writeFileSync(go, "");
      await waitFor(
        all((lines) => lines.length === 2),
        "4 answers",
        30_000,
      );
      const answers = racers.map((racer) => racer.lines()[1]);
      expect(
        answers.filter((answer) => answer === "got"),
        answers.join(", "),
      ).toHaveLength(1);
      expect(answers.filter((answer) => answer === "refused")).toHaveLength(3);
      expect(existsSync(lockFile())).toBe(true);
    } finally {
      writeFileSync(go, "");
      for (const racer of racers) racer.child.stdin.end();
      await Promise.all(racers.map((racer) => racer.done));
    }
    expect(existsSync(lockFile())).toBe(false);
  }, 180_000);
});

/** A node process running `script` (TypeScript imports through tsx), its stdout read as lines. */
function startRacer(script: string) {
  const child = spawn(process.execPath, ["--import", "tsx", "--input-type=module", "-e", script], {
    // From the repository, where tsx resolves.
    cwd: fileURLToPath(new URL("../..", import.meta.url)),
    stdio: ["pipe", "pipe", "inherit"],
  });
  let stdout = "";
  child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
  child.stdin.on("error", () => undefined); // a racer that already ended reads no more
  const done = new Promise<void>((resolve) => child.on("close", () => resolve()));
  return { child, done, lines: () => stdout.split("\n").filter((line) => line.length > 0) };
}
