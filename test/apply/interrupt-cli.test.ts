import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runChanges } from "../../src/runs/change-store.ts";
import type { RequestLogEntry } from "../../src/emulator/index.ts";
import { scaleWorkspace } from "../../src/emulator/index.ts";
import { openEmulator } from "../support/emulator.ts";
import { createProject } from "../support/project.ts";
import { wholeMirror } from "../matrix/support/matrix-world.ts";
import type { CliOutcome } from "./support/cli-child.ts";
import { runCli, startCli } from "./support/cli-child.ts";
import type { PacedWorld } from "./support/paced-world.ts";
import { paceLikeNotion, pacedWorld } from "./support/paced-world.ts";
import { waitFor } from "./support/push-world.ts";

const PAGES = 12;
const LATENCY_MS = 100;

let world: PacedWorld;
beforeAll(async () => {
  world = await pacedWorld({ fills: PAGES, latencyMs: LATENCY_MS });
}, 60_000);
afterAll(() => world?.close());

const PAGE_PATH = /^\/v1\/pages\/([0-9a-f-]+)$/;
const pageOf = (entry: RequestLogEntry) => PAGE_PATH.exec(entry.path)?.[1];
const logged = () => world.session.emulator.log.all();
const patchesSince = (start: number) =>
  logged()
    .slice(start)
    .filter((entry) => entry.method === "PATCH" && pageOf(entry));

/**
 * Runs the CLI, sends it SIGINT once `writes` of its PATCHes have been answered, and waits for it
 * to end (and for the requests it left in flight to be logged). Returns when the signal was sent.
 */
async function interruptedAfter(
  args: readonly string[],
  writes: number,
): Promise<{ end: CliOutcome; signalAt: number; entries: RequestLogEntry[] }> {
  const start = logged().length;
  const cli = startCli(world, args);
  await waitFor(() => patchesSince(start).length >= writes, `${writes} writes`, 60_000);
  const signalAt = Date.now();
  cli.child.kill("SIGINT");
  const end = await cli.done;
  await new Promise((resolve) => setTimeout(resolve, 3 * LATENCY_MS));
  return { end, signalAt, entries: logged().slice(start) };
}

/**
 * What the request log says about the stop: no page first read after the signal, and every
 * page that was read got its write (the writes in flight were finished). Returns the pages written.
 */
function expectNoPageStartedAfter(entries: readonly RequestLogEntry[], signalAt: number): number {
  const reads = entries.filter((entry) => entry.method === "GET" && pageOf(entry));
  const readBefore = new Set(reads.filter((entry) => entry.at <= signalAt).map(pageOf));
  const freshAfter = reads.filter((entry) => entry.at > signalAt && !readBefore.has(pageOf(entry)));
  expect(freshAfter.map((entry) => `GET ${entry.path} ${entry.at - signalAt} ms after`)).toEqual(
    [],
  );
  const written = new Set(
    entries.filter((entry) => entry.method === "PATCH" && entry.status === 200).map(pageOf),
  );
  for (const page of readBefore)
    expect(written.has(page), `page ${page} read, not written`).toBe(true);
  expect(written.size).toBeLessThan(PAGES); // the stop did leave pages for later
  return written.size;
}

/** The run's changes by status, from the mirror. */
function statuses(runId: string): Record<string, number> {
  const mirror = world.project.openMirror();
  try {
    const counts: Record<string, number> = {};
    for (const row of runChanges(mirror.sqlite, runId))
      counts[row.status] = (counts[row.status] ?? 0) + 1;
    return counts;
  } finally {
    mirror.close();
  }
}

describe("Ctrl-C during a write run", () => {
  it("push starts no new page, finishes the writes in flight, says what is left; the next push resumes", async () => {
    const { end, signalAt, entries } = await interruptedAfter(["push", world.runId, "--yes"], 3);
    const written = expectNoPageStartedAfter(entries, signalAt);
    expect(end.code, end.stderr).toBe(130);
    expect(end.stderr).toContain("Ctrl-C: no new page is started");
    expect(end.stderr).toContain(
      `stopped by Ctrl-C: ${written} pages written, ${PAGES - written} left — \`notion-mirror push ${world.runId}\` resumes`,
    );
    expect(end.stderr).toContain(`${PAGES - written} pages left for later (stopped by Ctrl-C)`);
    expect(end.stdout).not.toContain("--max-writes");
    expect(statuses(world.runId)).toEqual({ applied: written, planned: PAGES - written });

    const start = logged().length;
    const rest = await runCli(world, ["push", world.runId, "--yes"]);
    expect(rest.code, rest.stderr).toBe(0);
    expect(statuses(world.runId)).toEqual({ applied: PAGES });
    // The resume wrote only the pages left: each page was written once in all.
    const again = new Set(patchesSince(start).map(pageOf));
    expect(again.size).toBe(PAGES - written);
    for (const entry of entries.filter((e) => e.method === "PATCH")) {
      expect(again.has(pageOf(entry))).toBe(false);
    }
  }, 180_000);

  it("revert does the same: no new page after the signal, the restores in flight finished", async () => {
    const { end, signalAt, entries } = await interruptedAfter(["revert", world.runId, "--yes"], 3);
    const restored = expectNoPageStartedAfter(entries, signalAt);
    expect(end.code, end.stderr).toBe(130);
    expect(end.stderr).toContain("Ctrl-C: no new page is started");
    expect(end.stderr).toContain(
      `stopped by Ctrl-C: ${restored} pages restored, ${PAGES - restored} left — \`notion-mirror revert ${world.runId}\` resumes`,
    );

    const start = logged().length;
    const rest = await runCli(world, ["revert", world.runId, "--yes"]);
    expect(rest.code, rest.stderr).toBe(0);
    expect(rest.stdout).toContain(`${PAGES} restored on ${PAGES} pages, 0 conflicts`);
    // The resume restored only the pages left.
    const again = new Set(patchesSince(start).map(pageOf));
    expect(again.size).toBe(PAGES - restored);
    for (const entry of entries.filter((e) => e.method === "PATCH")) {
      expect(again.has(pageOf(entry))).toBe(false);
    }
  }, 180_000);
});

describe("Ctrl-C during a pull", () => {
  it("exits 130 saying the mirror was left as it was, and leaves it so", async () => {
    const session = await openEmulator({
      seed: scaleWorkspace({ pages: 400, dataSources: 4, seed: 5 }),
    });
    const project = createProject(session);
    try {
      await project.pull();
      const before = wholeMirror(project);
      paceLikeNotion(session, project, 3, LATENCY_MS);
      const start = session.emulator.log.all().length;
      const pull = startCli({ project }, ["sync", "pull", "--full"]);
      await waitFor(() => session.emulator.log.all().length - start >= 2, "the pull's requests");
      pull.child.kill("SIGINT");
      const end = await pull.done;
      expect(end.code, end.stderr).toBe(130);
      expect(end.stderr).toContain(
        "stopped by Ctrl-C: the pull was abandoned and the mirror left as it was before it",
      );
      expect(end.stdout).toBe("");
      expect(wholeMirror(project)).toBe(before);
      const sqlite = project.openMirror().sqlite;
      try {
        expect(sqlite.pragma("integrity_check", { simple: true })).toBe("ok");
      } finally {
        sqlite.close();
      }
    } finally {
      project.remove();
      await session.stop();
    }
  }, 120_000);
});
