import { spawn } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import Database from "better-sqlite3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { JsonObject } from "../../src/emulator/index.ts";
import { scaleWorkspace } from "../../src/emulator/index.ts";
import type { EmulatorSession } from "../support/emulator.ts";
import { openEmulator } from "../support/emulator.ts";
import type { TestProject } from "../support/project.ts";
import { createProject } from "../support/project.ts";

const CLI = fileURLToPath(new URL("../../bin/notion-mirror.js", import.meta.url));
const PAGES = 2_000;
const seed = scaleWorkspace({ pages: PAGES, dataSources: 12 });

let session: EmulatorSession;
let project: TestProject;

beforeAll(async () => {
  // Every answer takes 40 ms, so a pull spends long enough on the wire to be killed mid-way.
  session = await openEmulator({ seed, latencyMs: 40 });
  project = createProject(session);
});
afterAll(async () => {
  project?.remove();
  await session?.stop();
});

/**
 * Runs `sync pull` in a child process and kill -9s it once the emulator has answered `after`
 * requests of this run. Resolves with how it ended: "killed", or its exit code if it finished first.
 */
function pullKilledAfter(after: number, ...flags: string[]): Promise<"killed" | number> {
  const start = session.emulator.log.all().length;
  const child = spawn(
    process.execPath,
    [CLI, "--config", project.config.file, "sync", "pull", ...flags],
    { env: project.env, stdio: "ignore" },
  );
  return new Promise((resolve, reject) => {
    const watch = setInterval(() => {
      if (session.emulator.log.all().length - start >= after) child.kill("SIGKILL");
    }, 1);
    child.on("error", reject);
    child.on("exit", (code, signal) => {
      clearInterval(watch);
      resolve(signal === "SIGKILL" ? "killed" : (code ?? -1));
    });
  });
}

/** Everything a pull writes, as one hash, and the page count; integrity checked on the way. */
function mirrorState(): { integrity: string; pages: number; digest: string } {
  if (!existsSync(project.config.mirrorPath)) return { integrity: "ok", pages: 0, digest: "none" };
  const sqlite = new Database(project.config.mirrorPath);
  try {
    const integrity = sqlite.pragma("integrity_check", { simple: true }) as string;
    const hash = createHash("sha256");
    for (const table of [
      "data_sources",
      "properties",
      "pages",
      "relations",
      "column_map",
      "schema_changes",
      "pulls",
    ]) {
      for (const row of sqlite.prepare(`SELECT * FROM ${table} ORDER BY 1, 2`).iterate()) {
        hash.update(`${table}:${JSON.stringify(row)}\n`);
      }
    }
    const views = sqlite
      .prepare("SELECT name, sql FROM sqlite_master WHERE type = 'view' ORDER BY name")
      .all();
    hash.update(JSON.stringify(views));
    const pages = sqlite.prepare("SELECT count(*) FROM pages").pluck().get() as number;
    return { integrity, pages, digest: hash.digest("hex") };
  } finally {
    sqlite.close();
  }
}

/** Requests a full pull of the seed sends (measured once, in process). */
let fullPullRequests = 0;

describe("a pull killed with SIGKILL", () => {
  it("leaves no pages when the first pull dies, and the next pull completes", async () => {
    expect(await pullKilledAfter(8)).toBe("killed");
    const state = mirrorState();
    expect(state.integrity).toBe("ok");
    expect(state.pages).toBe(0);

    const { summary } = await project.pull();
    fullPullRequests = summary.requests;
    expect(summary.dataSources).toHaveLength(12);
    expect(summary.dataSources.every((source) => source.mode === "full")).toBe(true);
    expect(summary.dataSources.reduce((sum, source) => sum + source.livePages, 0)).toBe(PAGES);
    expect(mirrorState().integrity).toBe("ok");
  });

  it("leaves the earlier pull's mirror when a later pull dies, at several points", async () => {
    const before = mirrorState();
    expect(before.pages).toBe(PAGES);
    // Edits the later pull would bring in, so a half-written pull would show.
    const edited = seed.pages.filter((_, index) => index % 97 === 0).slice(0, 10);
    for (const page of edited) {
      session.emulator.editAsPerson({
        pageId: String(page.id),
        properties: {
          Notes: { rich_text: [{ text: { content: "edited after the first pull" } }] },
        },
      });
    }
    // A quarter and three quarters of the way; the first test killed one early, the last one
    // kills one at the very end.
    for (const after of [
      Math.floor(fullPullRequests / 4),
      Math.floor((3 * fullPullRequests) / 4),
    ]) {
      expect(await pullKilledAfter(after, "--full"), `killed after ${after} requests`).toBe(
        "killed",
      );
      const state = mirrorState();
      expect(state.integrity, `after ${after}`).toBe("ok");
      expect(state.digest, `killed after ${after} requests`).toBe(before.digest);
    }

    const { summary } = await project.pull();
    expect(summary.dataSources.reduce((sum, source) => sum + source.livePages, 0)).toBe(PAGES);
    expect(
      summary.dataSources.reduce((sum, source) => sum + source.pagesWritten, 0),
    ).toBeGreaterThanOrEqual(edited.length);
    const sqlite = new Database(project.config.mirrorPath, { readonly: true });
    try {
      const notes = sqlite.prepare("SELECT raw_json FROM pages WHERE id = ?").pluck();
      for (const page of edited) {
        const raw = JSON.parse(notes.get(page.id) as string) as {
          properties: Record<string, JsonObject>;
        };
        expect(JSON.stringify(raw.properties.Notes)).toContain("edited after the first pull");
      }
    } finally {
      sqlite.close();
    }
  });

  it("leaves either the old or the new mirror when killed as the last answer arrives", async () => {
    const before = mirrorState();
    const outcome = await pullKilledAfter(fullPullRequests, "--full");
    const state = mirrorState();
    expect(state.integrity).toBe("ok");
    expect(state.pages).toBe(PAGES);
    if (outcome === "killed" && state.digest !== before.digest) {
      // The commit made it: the new pull is whole (one more pull row, every page re-stamped).
      const sqlite = new Database(project.config.mirrorPath, { readonly: true });
      try {
        const stamps = sqlite
          .prepare("SELECT count(DISTINCT pulled_at) FROM pages WHERE gone = 0")
          .pluck()
          .get();
        expect(stamps).toBe(1);
      } finally {
        sqlite.close();
      }
    }
    const { summary } = await project.pull();
    expect(summary.dataSources.reduce((sum, source) => sum + source.livePages, 0)).toBe(PAGES);
  });
});
