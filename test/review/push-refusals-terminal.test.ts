import { spawnSync } from "node:child_process";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { onTerminal } from "./on-terminal.ts";
import type { ReviewWorld } from "./review-world.ts";
import { reviewWorld } from "./review-world.ts";

let world: ReviewWorld;
beforeAll(async () => {
  expect(spawnSync("script", ["--version"]).status, "util-linux `script` is needed").toBe(0);
  world = await reviewWorld();
});
afterAll(async () => {
  await world?.stop();
});

const QUESTION = "[y/N] ";

/**
 * `notion-mirror push RUN` on a pseudo-terminal, without --yes; a confirmation question, if one
 * is asked, is answered "n" (so nothing is sent either way).
 */
function pushOnTerminal(runId: string): Promise<{ code: number | null; screen: string }> {
  let answered = false;
  return onTerminal(["--config", world.project.config.file, "push", runId], {
    cwd: world.project.dir,
    env: {
      NOTION_TOKEN: world.session.emulator.token,
      NOTION_BASE_URL: world.session.emulator.url,
    },
    answer: (screen) => {
      if (answered || !screen.includes(QUESTION)) return undefined;
      answered = true;
      return "n\n";
    },
  });
}

async function planned(...args: string[]): Promise<string> {
  const ran = await world.cli("plan", ...args);
  expect(ran.code, ran.stderr).toBe(0);
  return /^Planned run (\S+)\./m.exec(ran.stdout)?.[1] ?? "";
}

const patches = () =>
  world.session.emulator.log.all().filter((entry) => entry.method === "PATCH").length;

describe("push on a terminal refuses before it asks", () => {
  it("asks to confirm a run it would push (the control: the question does come)", async () => {
    const runId = await planned();
    const { code, screen } = await pushOnTerminal(runId);
    expect(screen).toContain(`Push run ${runId}: 5 fields on 5 pages to `);
    expect(screen).toContain("Nothing was sent.");
    expect(code, screen).toBe(0);
    expect(patches()).toBe(0);
  });

  it("refuses a superseded run without asking", async () => {
    const first = await planned();
    await planned();
    const { code, screen } = await pushOnTerminal(first);
    expect(screen).toContain(`Run ${first} was superseded by a newer plan`);
    expect(screen).not.toContain(QUESTION);
    expect(code, screen).toBe(2);
    expect(patches()).toBe(0);
  });

  it("refuses a run with nothing accepted without asking", async () => {
    const runId = await planned("project-id-from-code");
    const { code, screen } = await pushOnTerminal(runId);
    expect(screen).toContain("none of its 16 proposals is accepted (16 undecided, 0 rejected)");
    expect(screen).not.toContain(QUESTION);
    expect(code, screen).toBe(2);
    expect(patches()).toBe(0);
  });

  it("refuses a run whose inputs a pull moved without asking", async () => {
    const runId = await planned();
    const pageId = world.withMirror(
      (mirror) =>
        mirror.sqlite
          .prepare(
            "SELECT page_id FROM wt_phase_database WHERE status IS NULL AND in_trash = 0 ORDER BY page_id LIMIT 1",
          )
          .pluck()
          .get() as string,
    );
    world.session.emulator.editAsPerson({
      pageId,
      properties: { projectCode: { rich_text: [{ text: { content: "PRJ-99" } }] } },
    });
    await world.project.pull();
    const { code, screen } = await pushOnTerminal(runId);
    expect(screen).toContain("re-plan");
    expect(screen).toContain(pageId);
    expect(screen).not.toContain(QUESTION);
    expect(code, screen).toBe(2);
    expect(patches()).toBe(0);
  });
});
