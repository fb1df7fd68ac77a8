import {
  chmodSync,
  closeSync,
  existsSync,
  fstatSync,
  fsyncSync,
  ftruncateSync,
  lstatSync,
  mkdirSync,
  openSync,
  rmSync,
  writeSync,
} from "node:fs";
import { join } from "node:path";
import { NotionMirrorError } from "../errors.ts";
import { checkFolderPath } from "../util/path-checks.ts";
import type { CheckpointReason, RunEntry, SnapshotEntry } from "./entries.ts";
import { asidePath, replaceFile } from "./replace-file.ts";
import { encodeLine, readSnapshot } from "./snapshot-lines.ts";
import type { SnapshotWitness } from "./snapshot-verify.ts";
import { verifySnapshot } from "./snapshot-verify.ts";

export type { SnapshotRead } from "./snapshot-lines.ts";
export { readSnapshot } from "./snapshot-lines.ts";

/** Where a run's snapshot lives. Run ids are checked before they get here. */
export function snapshotPath(dir: string, runId: string): string {
  return join(dir, `${runId}.snapshot.ndjson`);
}

export interface SnapshotOpenOptions {
  /** The run line: the file's first entry when the file is new (or no line of it is whole yet). */
  header: RunEntry;
  /**
   * What the mirror records of the run. An existing file that contradicts it (lines lost since)
   * is refused rather than appended to, so that a resume cannot hide the loss behind a new
   * checkpoint.
   */
  witness?: SnapshotWitness;
}

/**
 * Appends entries to a run's snapshot, each batch in one write followed by fsync: when
 * `append` returns, the entries survive a crash or a power cut. The folder is created 0700, the
 * file 0600. A new file, and the repair of a torn last line, are written aside and renamed into
 * place, so a kill at any instant leaves the old file or the new one whole.
 */
export class SnapshotWriter {
  private constructor(
    readonly path: string,
    private readonly fd: number,
    private seq: number,
    /** The change ids the run line lists, and those with an outcome so far. */
    private readonly listed: ReadonlySet<number>,
    private readonly settled: Set<number>,
  ) {}

  /**
   * Opens (creating if needed) the snapshot of a run. An existing one is verified first and
   * refused if damaged; a torn last line (a kill during an append, so its write was never sent) is
   * cut off.
   */
  static open(dir: string, runId: string, options: SnapshotOpenOptions): SnapshotWriter {
    checkFolderPath(dir, "snapshots");
    try {
      mkdirSync(dir, { recursive: true, mode: 0o700 });
    } catch (error) {
      throw snapshotIoError(dir, error);
    }
    const path = snapshotPath(dir, runId);
    let entries: SnapshotEntry[] = [];
    let keep = "";
    let rewrite = true;
    if (existsSync(path) || isDanglingLink(path)) {
      const read = readSnapshot(path);
      const fatal = verifySnapshot(read, options.witness).damage.filter(
        (problem) => !problem.startsWith("torn last line"),
      );
      if (fatal.length > 0) {
        throw new NotionMirrorError(
          "usage",
          `The snapshot ${path} cannot be trusted; nothing was sent:\n  ${fatal.join("\n  ")}`,
          "Restore the file from a backup (or move it away to start the run's snapshot anew only if nothing was ever sent for it).",
        );
      }
      entries = read.entries;
      keep = read.validText;
      rewrite = read.tornTail;
    }
    if (entries.length === 0) {
      entries = [options.header];
      keep = encodeLine(1, options.header);
    }
    let fd: number;
    try {
      if (rewrite) replaceFile(path, keep);
      else rmSync(asidePath(path), { force: true }); // left by a replace that was killed
      fd = openSync(path, "a", 0o600);
      chmodSync(path, 0o600);
    } catch (error) {
      throw snapshotIoError(path, error);
    }
    const run = entries[0];
    const listed = new Set(run?.type === "run" ? run.changes.map((change) => change.changeId) : []);
    const settled = new Set(
      entries.flatMap((entry) => (entry.type === "post" ? [entry.changeId] : [])),
    );
    return new SnapshotWriter(path, fd, entries.length, listed, settled);
  }

  /** Appends and fsyncs; throws (sending nothing further is the caller's duty) if the disk refuses. */
  append(entries: readonly SnapshotEntry[]): void {
    if (entries.length === 0) return;
    const bytes = Buffer.from(
      entries.map((entry, index) => encodeLine(this.seq + index + 1, entry)).join(""),
    );
    let sizeBefore = 0;
    try {
      sizeBefore = fstatSync(this.fd).size;
      // A nearly full disk may take only part of a write without an error: write until all of it
      // is there, or fail.
      for (let offset = 0; offset < bytes.length;) {
        const written = writeSync(this.fd, bytes, offset, bytes.length - offset);
        if (written <= 0) throw new Error("the disk took no more bytes");
        offset += written;
      }
      fsyncSync(this.fd);
    } catch (error) {
      // Leave no half entry behind: the caller sends nothing, and the file stays whole.
      try {
        ftruncateSync(this.fd, sizeBefore);
        fsyncSync(this.fd);
      } catch {
        // the torn tail, if any, is caught by readSnapshot's checksums
      }
      throw snapshotIoError(this.path, error);
    }
    this.seq += entries.length;
    for (const entry of entries) if (entry.type === "post") this.settled.add(entry.changeId);
  }

  /**
   * Appends the checkpoint that ends an invocation: call it once no write of the invocation is in
   * flight. Never throws: a disk that refuses it leaves the file without its checkpoint, which
   * verification then treats like a run that was killed. Returns whether it was written.
   */
  checkpoint(reason: CheckpointReason): boolean {
    const settled = [...this.listed].filter((id) => this.settled.has(id)).length;
    try {
      this.append([
        {
          type: "checkpoint",
          reason,
          settled,
          total: this.listed.size,
          final: settled === this.listed.size,
          at: new Date().toISOString(),
        },
      ]);
      return true;
    } catch {
      return false;
    }
  }

  close(): void {
    closeSync(this.fd);
  }
}

function snapshotIoError(path: string, error: unknown): NotionMirrorError {
  return new NotionMirrorError(
    "config",
    `Cannot write the snapshot ${path}: ${(error as Error).message}. No write is sent without its snapshot.`,
    "Free disk space or fix the permissions of the snapshots folder, then run the same command again: it resumes.",
  );
}

function isDanglingLink(path: string): boolean {
  try {
    return lstatSync(path).isSymbolicLink();
  } catch {
    return false;
  }
}
