import { closeSync, openSync, readdirSync, readSync } from "node:fs";
import { checkFolderPath } from "../util/path-checks.ts";
import { join, resolve } from "node:path";
import type { RunEntry, SnapshotEntry } from "../snapshot/entries.ts";
import { readSnapshot } from "../snapshot/snapshot-file.ts";

/** A revert run's snapshot found on disk. */
export interface RevertSnapshot {
  /** The folder holding it: a resumed revert goes on writing there. */
  dir: string;
  file: string;
  run: RunEntry;
  entries: SnapshotEntry[];
}

/**
 * Every revert snapshot in the folders (each folder read once), newest first. A file that does not
 * start with a run line is left out: nothing can have been sent for it.
 */
export function revertSnapshots(dirs: readonly string[]): RevertSnapshot[] {
  const found: RevertSnapshot[] = [];
  for (const dir of new Set(dirs.map((candidate) => resolve(candidate)))) {
    if (!checkFolderPath(dir, "snapshots").stats) continue;
    for (const name of readdirSync(dir)) {
      if (!name.endsWith(".snapshot.ndjson")) continue;
      const file = join(dir, name);
      if (!startsAsRevert(file)) continue;
      const { entries } = readSnapshot(file);
      const run = entries[0];
      if (run?.type === "run" && run.kind === "revert") found.push({ dir, file, run, entries });
    }
  }
  return found.sort(
    (a, b) =>
      b.run.createdAt.localeCompare(a.run.createdAt) || b.run.runId.localeCompare(a.run.runId),
  );
}

/** The key of a field across runs: the same page and property. */
export const fieldKey = (change: { pageId: string; propertyId: string }): string =>
  `${change.pageId}/${change.propertyId}`;

/**
 * The fields of run `runId` that its reverts have put back to their pre-images, as the snapshots
 * on disk tell, mapped to the revert that did it. A revert of a revert puts the run's value back,
 * so for each field the latest restore among the run's reverts, their reverts and so on decides:
 * by an odd generation (a revert of the run, a revert of a revert of a revert…) it is restored,
 * by an even one it holds the run's value again. Pure.
 */
export function restoredFields(
  runId: string,
  reverts: readonly RevertSnapshot[],
): Map<string, string> {
  const generation = new Map<string, number>([[runId, 0]]);
  for (let grew = true; grew;) {
    grew = false;
    for (const { run } of reverts) {
      const parent = run.revertsRunId === null ? undefined : generation.get(run.revertsRunId);
      if (parent === undefined || generation.has(run.runId)) continue;
      generation.set(run.runId, parent + 1);
      grew = true;
    }
  }
  const latest = new Map<string, { at: string; generation: number; runId: string }>();
  for (const { run, entries } of reverts) {
    const depth = generation.get(run.runId);
    if (depth === undefined || depth === 0) continue;
    for (const entry of entries) {
      if (entry.type !== "post" || entry.status !== "applied") continue;
      const key = fieldKey(entry);
      const seen = latest.get(key);
      if (!seen || entry.at > seen.at)
        latest.set(key, { at: entry.at, generation: depth, runId: run.runId });
    }
  }
  const restored = new Map<string, string>();
  for (const [key, write] of latest) if (write.generation % 2 === 1) restored.set(key, write.runId);
  return restored;
}

/**
 * Whether a snapshot's first line says it is a revert's, without reading the rest of the file (a
 * fill's snapshot, its first line included, can be large). The run line names its kind before its
 * data sources and changes, so the first chunk usually tells; otherwise the whole line is parsed.
 * Unverified: only a filter before the full, verified read.
 */
function startsAsRevert(file: string): boolean {
  const chunks: Buffer[] = [];
  let fd: number | undefined;
  try {
    fd = openSync(file, "r");
    for (;;) {
      const chunk = Buffer.alloc(64 * 1024);
      const read = readSync(fd, chunk, 0, chunk.length, null);
      if (read === 0) break;
      chunks.push(chunk.subarray(0, read));
      if (chunks.length === 1) {
        const early = kindNamedEarly(chunk.toString("latin1", 0, read));
        if (early !== undefined) return early === "revert";
      }
      if (chunk.subarray(0, read).includes(0x0a)) break;
    }
    const whole = Buffer.concat(chunks);
    const end = whole.indexOf(0x0a);
    const line = whole.toString("utf8", 0, end === -1 ? whole.length : end);
    const body = (JSON.parse(line) as { body?: unknown }).body;
    const run = typeof body === "string" ? (JSON.parse(body) as { kind?: unknown }) : undefined;
    return run?.kind === "revert";
  } catch {
    return false;
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

/** The run's kind when the escaped body names it before any data source or change, else undefined. */
function kindNamedEarly(text: string): string | undefined {
  const kind = /\\"kind\\":\\"(fill|revert)\\"/.exec(text);
  if (!kind) return undefined;
  const nested = ['\\"dataSources\\"', '\\"changes\\"']
    .map((key) => text.indexOf(key))
    .filter((at) => at !== -1);
  return nested.every((at) => at > kind.index) ? kind[1] : undefined;
}
