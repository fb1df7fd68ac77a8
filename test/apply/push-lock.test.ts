import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { hostname } from "node:os";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCli, startCli } from "./support/cli-child.ts";
import type { PushWorld } from "./support/push-world.ts";
import {
  actedOn,
  appliedPatches,
  lockFile,
  pageRequests,
  plannedDemo,
  pushInProcess,
  waitFor,
} from "./support/push-world.ts";

let world: PushWorld;
beforeAll(async () => {
  world = await plannedDemo();
});
afterAll(() => world.close());

describe("one writer at a time", () => {
  it("refuses a second push while one is writing, naming the holder; nothing is written twice", async () => {
    // The first push's writes take long enough (a child process starts slowly on a busy machine)
    // for the second one to start while it holds the lock.
    const rule = world.session.emulator.faults.add({
      method: "PATCH",
      path: "/v1/pages/*",
      action: { type: "delay", ms: 10_000 },
    });
    const first = startCli(world, ["push", world.runId, "--yes"]);
    await waitFor(() => actedOn(world, rule) >= 1, "the first push's first write");
    const holder = JSON.parse(readFileSync(lockFile(world), "utf8")) as {
      pid: number;
      command: string;
    };
    expect(holder).toMatchObject({ pid: first.child.pid, command: `push ${world.runId}` });
    const before = world.session.emulator.log.all().length;

    const second = await runCli(world, ["push", world.runId, "--yes"]);
    expect(second.code).toBe(2);
    expect(second.stderr).toContain("Another push or revert is running");
    expect(second.stderr).toContain(`push ${world.runId}`);
    expect(second.stderr).toContain(`pid ${first.child.pid}`);

    const done = await first.done;
    expect(done.code, done.stderr).toBe(0);
    // The refused push sent nothing: every request after it came from the first one's pages.
    const after = world.session.emulator.log.all().slice(before);
    expect(after.filter((entry) => entry.path === "/v1/users/me")).toHaveLength(0);
    for (const target of world.targets) {
      expect(pageRequests(world, target.pageId, "PATCH")).toHaveLength(1);
      expect(appliedPatches(world, target.pageId)).toHaveLength(1);
    }
    expect(existsSync(lockFile(world))).toBe(false);
  });

  it("takes over a lock whose holder was killed -9", async () => {
    world.reset();
    const dead = spawnSync(process.execPath, ["-e", ""]).pid;
    mkdirSync(world.project.config.snapshotsDir, { recursive: true, mode: 0o700 });
    writeFileSync(
      lockFile(world),
      JSON.stringify({ pid: dead, host: hostname(), command: "push x", since: "2025-01-01" }),
    );
    const result = await pushInProcess(world);
    expect(result.status).toBe("applied");
    expect(existsSync(lockFile(world))).toBe(false);
  });
});
