import { spawn, spawnSync } from "node:child_process";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BIN } from "../matrix/support-b/cli.ts";
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

const shellQuote = (word: string) => `'${word.replace(/'/g, `'\\''`)}'`;
const QUESTION = "[y/N] ";

/**
 * `notion-mirror push RUN` on a pseudo-terminal, without --yes; a confirmation question, if one
 * is asked, is answered "n" (so nothing is sent either way).
 */
function pushOnTerminal(runId: string): Promise<{ code: number | null; screen: string }> {
  const command = [process.execPath, BIN, "--config", world.project.config.file, "push", runId]
    .map(shellQuote)
    .join(" ");
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    NO_COLOR: "1",
    NOTION_TOKEN: world.session.emulator.token,
    NOTION_BASE_URL: world.session.emulator.url,
  };
  delete env.CI;
  const child = spawn("script", ["-q", "-e", "-c", command, "/dev/null"], {
    cwd: world.project.dir,
    env,
    stdio: ["pipe", "pipe", "pipe"],
  });
  let screen = "";
  let answered = false;
  const timer = setTimeout(() => child.kill("SIGKILL"), 30_000);
  const read = (chunk: Buffer) => {
    screen += chunk.toString("utf8");
    if (!answered && screen.includes(QUESTION)) {
      answered = true;
      child.stdin.write("n\n");
    }
  };
  child.stdout.on("data", read);
  child.stderr.on("data", read);
  return new Promise((resolve) => {
    child.on("close", (code) => {
      clearTimeout(timer);
      resolve({ code, screen: screen.replace(/\r/g, "") });
    });
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
