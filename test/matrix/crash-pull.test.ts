import { existsSync } from "node:fs";
import Database from "better-sqlite3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { scaleWorkspace } from "../../src/emulator/index.ts";
import type { EmulatorSession } from "../support/emulator.ts";
import { openEmulator } from "../support/emulator.ts";
import { projectViolations } from "../support/invariants.ts";
import type { TestProject } from "../support/project.ts";
import { createProject } from "../support/project.ts";
import { killCliWhen } from "./support/kill-cli.ts";
import { mirrorContent, wholeMirror } from "./support/matrix-world.ts";

const PAGES = 600;
const seed = scaleWorkspace({ pages: PAGES, dataSources: 4, seed: 8 });

let session: EmulatorSession;
let project: TestProject;
/** Requests one full pull of the seed sends, measured in process. */
let fullPull = 0;

beforeAll(async () => {
  // Every answer takes 25 ms, so a pull is on the wire long enough to be killed mid-way.
  session = await openEmulator({ seed, latencyMs: 25 });
  project = createProject(session);
  const reference = createProject(session);
  try {
    fullPull = (await reference.pull()).summary.requests;
  } finally {
    reference.remove();
  }
});
afterAll(async () => {
  project?.remove();
  await session?.stop();
});

const violations = () => projectViolations(session, project);

/** `sync pull` in a child, SIGKILLed once the emulator has logged `after` of its requests. */
function pullKilledAfter(after: number, ...flags: string[]) {
  const start = session.emulator.log.all().length;
  return killCliWhen(
    project,
    ["sync", "pull", ...flags],
    () => session.emulator.log.all().length - start >= after,
  );
}

const livePages = (summary: Awaited<ReturnType<TestProject["pull"]>>["summary"]) =>
  summary.dataSources.reduce((sum, source) => sum + source.livePages, 0);

describe("a pull killed with SIGKILL", () => {
  it("killed during the first pull, it leaves no half mirror, and the next pull completes", async () => {
    expect(fullPull).toBeGreaterThan(12);
    expect(await pullKilledAfter(4)).toEqual({ killed: true });
    if (existsSync(project.config.mirrorPath)) {
      const sqlite = new Database(project.config.mirrorPath, { readonly: true });
      try {
        const tables = sqlite
          .prepare("SELECT count(*) FROM sqlite_master WHERE name = 'pages'")
          .pluck()
          .get();
        if (tables === 1)
          expect(sqlite.prepare("SELECT count(*) FROM pages").pluck().get()).toBe(0);
      } finally {
        sqlite.close();
      }
    }
    expect(violations()).toEqual([]);
    const { summary } = await project.pull();
    expect(livePages(summary)).toBe(PAGES);
    expect(violations()).toEqual([]);
  });

  it("killed a third and two thirds of the way through a later pull, it leaves the earlier mirror whole each time; the next pull brings every edit", async () => {
    const before = wholeMirror(project);
    const edited = seed.pages.filter((_, index) => index % 61 === 0).slice(0, 8);
    for (const page of edited)
      session.emulator.editAsPerson({
        pageId: String(page.id),
        properties: { Notes: { rich_text: [{ text: { content: "edited between pulls" } }] } },
      });
    for (const after of [Math.floor(fullPull / 3), Math.floor((2 * fullPull) / 3)]) {
      expect(await pullKilledAfter(after, "--full"), `killed after ${after}`).toEqual({
        killed: true,
      });
      expect(wholeMirror(project), `killed after ${after} requests`).toBe(before);
      expect(violations()).toEqual([]);
    }
    const { summary } = await project.pull();
    expect(livePages(summary)).toBe(PAGES);
    const mirror = project.openMirror();
    try {
      const raw = mirror.sqlite.prepare("SELECT raw_json FROM pages WHERE id = ?").pluck();
      for (const page of edited) expect(String(raw.get(page.id))).toContain("edited between pulls");
    } finally {
      mirror.close();
    }
    expect(violations()).toEqual([]);
    // And it is the same mirror a fresh full pull would build.
    const fresh = createProject(session);
    try {
      await fresh.pull();
      expect(mirrorContent(project)).toBe(mirrorContent(fresh));
    } finally {
      fresh.remove();
    }
  });
});
