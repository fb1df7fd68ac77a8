import { spawn } from "node:child_process";
import {
  copyFileSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { basename, join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readSnapshot, SnapshotWriter, snapshotPath } from "../../src/snapshot/snapshot-file.ts";
import { bigRunEntry, writeTornBigSnapshot } from "./support/big-snapshot.ts";

// A push killed while appending leaves a torn last line; the next push repairs it before
// appending. The repair must itself survive a kill: whatever instant the process dies, the file
// holds either the torn original or the repaired whole, never less (a snapshot emptied by a
// killed repair would leave every write it covered without a pre-image).

const CHILD = fileURLToPath(new URL("./support/repair-child.ts", import.meta.url));
const RUN_ID = "20251126-180512-ab12";

let work: string;
let template: string;
let torn: Buffer;
let repaired: Buffer;

beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), "notion-mirror-repair-"));
  template = join(work, "template");
  torn = writeTornBigSnapshot(template, RUN_ID);
  repaired = torn.subarray(0, torn.lastIndexOf(0x0a) + 1);
});
afterAll(() => rmSync(work, { recursive: true, force: true }));

/**
 * When to kill the child: `afterMs` after it starts opening the snapshot, once the repair wrote
 * `bytes`, or as soon as the snapshot itself holds the repaired length (`replaced`).
 */
type Instant = { afterMs: number } | { bytes: number } | { replaced: true };

/** Bytes the repair has written so far: a new file beside the snapshot, or the snapshot rewritten. */
function writtenSoFar(dir: string): number {
  const name = basename(snapshotPath(dir, RUN_ID));
  let written = 0;
  for (const file of readdirSync(dir)) {
    if (!file.startsWith(name)) continue;
    const size = statSync(join(dir, file)).size;
    if (file !== name) written = Math.max(written, size);
    else if (size !== torn.length) written = Math.max(written, size);
  }
  return written;
}

/** Runs the repairing child on `dir` and SIGKILLs it at `instant`; resolves whether it was killed. */
function repairKilledAt(dir: string, instant: Instant): Promise<boolean> {
  const child = spawn(process.execPath, ["--import", "tsx", CHILD, dir, RUN_ID], {
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stdout = "";
  let stderr = "";
  let openingAt: number | undefined;
  let killed = false;
  child.stdout.on("data", (chunk: Buffer) => {
    stdout += chunk.toString();
    if (openingAt === undefined && stdout.includes("opening\n")) openingAt = Date.now();
  });
  child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
  const watch = setInterval(() => {
    if (killed || child.exitCode !== null || openingAt === undefined) return;
    const due =
      "afterMs" in instant
        ? Date.now() - openingAt >= instant.afterMs
        : "bytes" in instant
          ? writtenSoFar(dir) >= instant.bytes
          : statSync(snapshotPath(dir, RUN_ID)).size === repaired.length;
    if (due) {
      killed = true;
      child.kill("SIGKILL");
    }
  }, 1);
  return new Promise((resolve, reject) => {
    child.on("error", reject);
    child.on("exit", (code, signal) => {
      clearInterval(watch);
      if (killed && signal === "SIGKILL") resolve(true);
      else if (code === 0) resolve(false);
      else reject(new Error(`the repairing child failed (${code ?? signal}): ${stderr}`));
    });
  });
}

describe("repairing a torn snapshot tail", { timeout: 240_000 }, () => {
  it("a kill at any instant of the repair of a 32 MB snapshot leaves the old or the new whole file, never less", async () => {
    expect(torn.length).toBeGreaterThan(32_000_000);
    expect(readSnapshot(snapshotPath(template, RUN_ID)).tornTail).toBe(true);
    const instants: Instant[] = [
      { bytes: 1 },
      { bytes: Math.floor(repaired.length / 3) },
      { bytes: Math.floor((repaired.length * 2) / 3) },
      { bytes: repaired.length },
      { replaced: true },
      { afterMs: 0 },
      { afterMs: 100 },
      { afterMs: 300 },
    ];
    const outcomes: Array<{
      instant: Instant;
      killed: boolean;
      content: string;
      midRepair: boolean;
    }> = [];
    for (const [index, instant] of instants.entries()) {
      const dir = join(work, `case-${index}`);
      mkdirSync(dir);
      const file = snapshotPath(dir, RUN_ID);
      copyFileSync(snapshotPath(template, RUN_ID), file);
      const killed = await repairKilledAt(dir, instant);
      const after = readFileSync(file);
      const content = after.equals(torn)
        ? "old"
        : after.equals(repaired)
          ? "new"
          : `${after.length} bytes, neither`;
      // Something beside the snapshot left behind: the kill landed inside the repair.
      const midRepair = readdirSync(dir).some((name) => name !== basename(file));
      outcomes.push({ instant, killed, content, midRepair });
    }
    for (const outcome of outcomes)
      expect(["old", "new"], JSON.stringify(outcome)).toContain(outcome.content);
    // The faults fired: kills landed before, inside and after the repair.
    expect(outcomes.filter((outcome) => outcome.killed).length).toBeGreaterThanOrEqual(5);
    expect(outcomes.some((outcome) => outcome.midRepair)).toBe(true);
    expect(outcomes.some((outcome) => outcome.killed && outcome.content === "old")).toBe(true);
  });

  it("after a killed repair, the next open finishes it and leaves nothing beside the snapshot", async () => {
    const dir = join(work, "resumed");
    mkdirSync(dir);
    const file = snapshotPath(dir, RUN_ID);
    copyFileSync(snapshotPath(template, RUN_ID), file);
    expect(await repairKilledAt(dir, { bytes: Math.floor(repaired.length / 2) })).toBe(true);
    expect(readdirSync(dir).length, "the kill did not land inside the repair").toBeGreaterThan(1);
    SnapshotWriter.open(dir, RUN_ID, { header: bigRunEntry(RUN_ID) }).close();
    expect(readFileSync(file).equals(repaired)).toBe(true);
    expect(readdirSync(dir)).toEqual([basename(file)]);
    const read = readSnapshot(file);
    expect(read.problems).toEqual([]);
    expect(read.entries).toHaveLength(2_001);
    expect(statSync(file).mode & 0o777).toBe(0o600);
  });
});
