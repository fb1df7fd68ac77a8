import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { hostname } from "node:os";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startHoldingProxy } from "../support/holding-proxy.ts";
import { runCli, startCli } from "./support/cli-child.ts";
import type { PushWorld } from "./support/push-world.ts";
import {
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
    // The first push's writes wait at a relay until the second push has answered, so the
    // second starts while the first holds the lock however slowly a child process starts.
    const relay = await startHoldingProxy(
      world.session.emulator.url,
      (method, path) => method === "PATCH" && path.startsWith("/v1/pages/"),
    );
    const first = startCli(world, ["push", world.runId, "--yes"], { NOTION_BASE_URL: relay.url });
    try {
      await waitFor(() => relay.held().length >= 1, "the first push's first write", 60_000);
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
      // The refused push sent nothing: every request after it came from the first one's pages.
      const after = world.session.emulator.log.all().slice(before);
      expect(after.filter((entry) => entry.path === "/v1/users/me")).toHaveLength(0);

      await relay.release();
      const done = await first.done;
      expect(done.code, done.stderr).toBe(0);
    } finally {
      await relay.release();
      first.child.kill("SIGKILL");
      await relay.stop();
    }
    for (const target of world.targets) {
      expect(pageRequests(world, target.pageId, "PATCH")).toHaveLength(1);
      expect(appliedPatches(world, target.pageId)).toHaveLength(1);
    }
    expect(existsSync(lockFile(world))).toBe(false);
  }, 120_000);

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
