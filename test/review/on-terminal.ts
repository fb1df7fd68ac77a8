import { spawn } from "node:child_process";
import { BIN } from "../matrix/support-b/cli.ts";

const shellQuote = (word: string) => `'${word.replace(/'/g, `'\\''`)}'`;

/**
 * `notion-mirror <args>` on a pseudo-terminal (util-linux `script`), colour and CI off. After each
 * piece of output, `answer` sees the whole screen so far and returns what to type, if anything.
 * Killed after 30 s. Resolves with the exit code and the screen, carriage returns removed.
 */
export function onTerminal(
  args: readonly string[],
  options: { cwd: string; env?: NodeJS.ProcessEnv; answer: (screen: string) => string | undefined },
): Promise<{ code: number | null; screen: string }> {
  const command = [process.execPath, BIN, ...args].map(shellQuote).join(" ");
  const env: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: "1", ...options.env };
  delete env.CI;
  const child = spawn("script", ["-q", "-e", "-c", command, "/dev/null"], {
    cwd: options.cwd,
    env,
    stdio: ["pipe", "pipe", "pipe"],
  });
  let screen = "";
  const timer = setTimeout(() => child.kill("SIGKILL"), 30_000);
  const read = (chunk: Buffer) => {
    screen += chunk.toString("utf8");
    const typed = options.answer(screen);
    if (typed !== undefined) child.stdin.write(typed);
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
