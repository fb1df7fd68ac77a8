import { createHash } from "node:crypto";
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
  readFileSync,
  statSync,
  writeSync,
} from "node:fs";
import { join } from "node:path";
import { NotionMirrorError } from "../errors.ts";
import { checkFolderPath } from "../util/path-checks.ts";
import type { SnapshotEntry } from "./entries.ts";

/** Where a run's snapshot lives. Run ids are checked before they get here. */
export function snapshotPath(dir: string, runId: string): string {
  return join(dir, `${runId}.snapshot.ndjson`);
}

/** A line: the entry with its sequence number and a sha256 of both. */
function encode(seq: number, entry: SnapshotEntry): string {
  const body = JSON.stringify({ seq, ...entry });
  const sha256 = createHash("sha256").update(body).digest("hex");
  return `${JSON.stringify({ sha256, body })}\n`;
}

/**
 * Appends entries to a run's snapshot, each batch in one write followed by fsync: when
 * `append` returns, the entries survive a crash or a power cut. The folder is created 0700, the
 * file 0600.
 */
export class SnapshotWriter {
  private constructor(
    readonly path: string,
    private readonly fd: number,
    private seq: number,
  ) {}

  /** Opens (creating if needed) the snapshot of a run; an existing one is verified first. */
  static open(dir: string, runId: string): SnapshotWriter {
    checkFolderPath(dir, "snapshots");
    try {
      mkdirSync(dir, { recursive: true, mode: 0o700 });
    } catch (error) {
      throw snapshotIoError(dir, error);
    }
    const path = snapshotPath(dir, runId);
    let seq = 0;
    if (existsSync(path) || isDanglingLink(path)) {
      const read = readSnapshot(path);
      const fatal = read.problems.filter((problem) => !problem.startsWith("torn last line"));
      if (fatal.length > 0) {
        throw new NotionMirrorError(
          "usage",
          `The snapshot ${path} cannot be trusted; nothing was sent:\n  ${fatal.join("\n  ")}`,
          "Restore the file from a backup (or move it away to start the run's snapshot anew only if nothing was ever sent for it).",
        );
      }
      seq = read.entries.length;
      if (read.tornTail) rewriteWithout(path, read.validText);
    }
    let fd: number;
    try {
      fd = openSync(path, "a", 0o600);
      chmodSync(path, 0o600);
    } catch (error) {
      throw snapshotIoError(path, error);
    }
    return new SnapshotWriter(path, fd, seq);
  }

  /** Appends and fsyncs; throws (sending nothing further is the caller's duty) if the disk refuses. */
  append(entries: readonly SnapshotEntry[]): void {
    if (entries.length === 0) return;
    const bytes = Buffer.from(
      entries.map((entry, index) => encode(this.seq + index + 1, entry)).join(""),
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
  }

  close(): void {
    closeSync(this.fd);
  }
}

export interface SnapshotRead {
  entries: SnapshotEntry[];
  /** What is wrong, one sentence per problem; empty for a sound file. */
  problems: string[];
  /** The last line was cut short (a crash during an append); the entries before it are sound. */
  tornTail: boolean;
  /** The text of the sound lines. */
  validText: string;
}

/** Reads and verifies a snapshot: every line's checksum, the sequence, the run line first. */
export function readSnapshot(path: string): SnapshotRead {
  let text: string;
  try {
    // A device, a FIFO or a link to one is no snapshot (and reading /dev/full or a FIFO never ends).
    if (!statSync(path).isFile()) {
      return {
        entries: [],
        problems: [`${path} is not a regular file`],
        tornTail: false,
        validText: "",
      };
    }
    text = readFileSync(path, "utf8");
  } catch (error) {
    return {
      entries: [],
      problems: [`cannot read ${path}: ${(error as Error).message}`],
      tornTail: false,
      validText: "",
    };
  }
  if (text.length === 0)
    return { entries: [], problems: ["the file is empty"], tornTail: false, validText: "" };
  const lines = text.split("\n");
  const endsClean = text.endsWith("\n");
  if (endsClean) lines.pop();
  const entries: SnapshotEntry[] = [];
  const problems: string[] = [];
  let validText = "";
  let tornTail = false;
  lines.forEach((line, index) => {
    const number = index + 1;
    const last = index === lines.length - 1;
    const parsed = decode(line);
    if (!parsed.ok) {
      if (last && !endsClean) {
        tornTail = true;
        problems.push(`torn last line ${number}: cut short (${parsed.reason})`);
      } else {
        problems.push(`line ${number}: ${parsed.reason}`);
      }
      return;
    }
    if (parsed.seq !== entries.length + 1) {
      problems.push(
        `line ${number}: sequence ${parsed.seq}, expected ${entries.length + 1} (lines missing or reordered)`,
      );
    }
    entries.push(parsed.entry);
    validText += `${line}\n`;
  });
  if (entries.length === 0 && problems.length === 0) problems.push("the file is empty");
  if (entries.length > 0 && entries[0]?.type !== "run")
    problems.push("line 1 is not the run description");
  return { entries, problems, tornTail, validText };
}

function decode(
  line: string,
): { ok: true; seq: number; entry: SnapshotEntry } | { ok: false; reason: string } {
  let outer: unknown;
  try {
    outer = JSON.parse(line);
  } catch {
    return { ok: false, reason: "not JSON" };
  }
  if (!outer || typeof outer !== "object") return { ok: false, reason: "not an entry" };
  const { sha256, body } = outer as { sha256?: unknown; body?: unknown };
  if (typeof sha256 !== "string" || typeof body !== "string")
    return { ok: false, reason: "no checksum" };
  if (createHash("sha256").update(body).digest("hex") !== sha256)
    return { ok: false, reason: "checksum mismatch" };
  const { seq, ...entry } = JSON.parse(body) as { seq: number } & SnapshotEntry;
  return { ok: true, seq, entry: entry as SnapshotEntry };
}

function rewriteWithout(path: string, validText: string): void {
  const fd = openSync(path, "w", 0o600);
  try {
    writeSync(fd, validText);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
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
