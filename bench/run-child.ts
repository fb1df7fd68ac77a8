import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import type { z } from "zod";

const ROOT = fileURLToPath(new URL("..", import.meta.url));

/**
 * Runs `bench/<script>` in its own Node process (through tsx), so that its peak memory is its
 * own, and reads its one-line JSON result. Its stderr (progress) passes through.
 */
export async function runChild<T>(
  script: string,
  input: unknown,
  schema: z.ZodType<T>,
): Promise<T> {
  const file = fileURLToPath(new URL(script, import.meta.url));
  const child = spawn(process.execPath, ["--import", "tsx", file, JSON.stringify(input)], {
    cwd: ROOT,
    stdio: ["ignore", "pipe", "inherit"],
  });
  let stdout = "";
  child.stdout.setEncoding("utf8");
  child.stdout.on("data", (chunk: string) => {
    stdout += chunk;
  });
  const code = await new Promise<number | null>((resolve, reject) => {
    child.once("error", reject);
    child.once("close", resolve);
  });
  if (code !== 0) throw new Error(`bench/${script} exited with ${code}`);
  const last = stdout.trim().split("\n").pop() ?? "";
  return schema.parse(JSON.parse(last));
}
