import { appendFileSync, readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { readSnapshot } from "../src/snapshot/snapshot-file.ts";

/**
 * Leaves what a power cut in the middle of an append leaves: the first half of one more line and
 * no newline, after the last whole (fsynced) line. A SIGKILL cannot do this (the kernel finishes
 * a write of a few hundred bytes), so the soak does it by hand before some resumes, and the
 * resume must repair it. Only the snapshot the route appends to is torn: the newest one whose
 * run line satisfies `isTheRun`. Returns the file torn, or undefined when there is none yet (or
 * it is torn already).
 */
export function tearSnapshotTail(
  dir: string,
  isTheRun: (run: { runId: string; kind: string; revertsRunId: string | null }) => boolean,
): string | undefined {
  let files: string[];
  try {
    files = readdirSync(dir).filter((name) => name.endsWith(".snapshot.ndjson"));
  } catch {
    return undefined;
  }
  const file = files
    .map((name) => join(dir, name))
    .filter((path) => {
      const run = readSnapshot(path).entries[0];
      return run?.type === "run" && isTheRun(run);
    })
    .sort((a, b) => statSync(b).mtimeMs - statSync(a).mtimeMs)[0];
  if (!file) return undefined;
  const text = readFileSync(file, "utf8");
  if (!text.endsWith("\n")) return undefined;
  const last = text.slice(0, -1).split("\n").at(-1) ?? "";
  if (last.length < 2) return undefined;
  appendFileSync(file, last.slice(0, Math.floor(last.length / 2)));
  return file;
}
