import { spawn, spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { PacedWorld } from "./support/paced-world.ts";
import { pacedWorld } from "./support/paced-world.ts";
import { waitFor } from "./support/push-world.ts";

const BIN = fileURLToPath(new URL("../../bin/notion-mirror.js", import.meta.url));
const PAGES = 12;

let world: PacedWorld;
beforeAll(async () => {
  world = await pacedWorld({ fills: PAGES, latencyMs: 100 });
}, 60_000);
afterAll(() => world?.close());

const quote = (text: string) => `'${text.replaceAll("'", "'\\''")}'`;

/**
 * `push` on a real terminal: util-linux `script` gives the CLI a pseudo-terminal (so it draws its
 * progress bar), and Ctrl-C is typed into it (the terminal turns it into SIGINT). Returns all the
 * terminal showed, stdout and stderr as a person sees them.
 */
async function pushOnTerminalInterrupted(afterWrites: number): Promise<string> {
  expect(spawnSync("script", ["--version"]).status, "util-linux `script` is needed").toBe(0);
  const command = [process.execPath, BIN, "--config", world.project.config.file]
    .concat(["push", world.runId, "--yes"])
    .map(quote)
    .join(" ");
  const env: NodeJS.ProcessEnv = { ...world.project.env, TERM: "xterm", COLUMNS: "160" };
  delete env.CI;
  delete env.NO_COLOR;
  const child = spawn("script", ["-qfec", command, "/dev/null"], {
    cwd: world.project.dir,
    env,
    stdio: ["pipe", "pipe", "pipe"],
  });
  let screen = "";
  child.stdout.on("data", (chunk: Buffer) => (screen += chunk.toString("utf8")));
  const done = new Promise<number | null>((resolve) => child.on("close", resolve));
  const patches = () =>
    world.session.emulator.log.all().filter((entry) => entry.method === "PATCH").length;
  try {
    await waitFor(() => patches() >= afterWrites, `${afterWrites} writes`, 60_000);
    child.stdin.write("\x03"); // Ctrl-C, typed
    expect(await done).toBe(130);
  } finally {
    child.stdin.end();
    if (child.exitCode === null) child.kill("SIGKILL");
  }
  return screen;
}

describe("Ctrl-C during push on a terminal", () => {
  it("takes the progress bar off before saying what it did, so nothing overwrites the notice", async () => {
    const screen = await pushOnTerminalInterrupted(3);
    const notice = screen.indexOf("Ctrl-C: no new page is started");
    expect(notice, screen).toBeGreaterThan(0);
    const frame = `push ${world.runId} |`;
    expect(screen.slice(0, notice)).toContain(frame); // the bar was on screen before
    const after = screen.slice(notice);
    expect(after).not.toContain(frame); // and never drawn again
    expect(after).toMatch(
      new RegExp(
        `stopped by Ctrl-C: \\d+ pages written, \\d+ left — \`notion-mirror push ${world.runId}\` resumes`,
      ),
    );
  }, 120_000);
});
