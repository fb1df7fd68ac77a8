import { createHash } from "node:crypto";
import { readFileSync, statSync } from "node:fs";
import type { SnapshotEntry } from "./entries.ts";

/** A line: the entry with its sequence number and a sha256 of both. */
export function encodeLine(seq: number, entry: SnapshotEntry): string {
  const body = JSON.stringify({ seq, ...entry });
  const sha256 = createHash("sha256").update(body).digest("hex");
  return `${JSON.stringify({ sha256, body })}\n`;
}

export interface SnapshotRead {
  entries: SnapshotEntry[];
  /** The line number of each entry (1-based). */
  lines: number[];
  /** What is wrong with the lines, one sentence per problem; empty for a sound file. */
  problems: string[];
  /** The last line was cut short (a crash during an append); the entries before it are sound. */
  tornTail: boolean;
  /** The text of the sound lines. */
  validText: string;
}

/**
 * Reads and checks a snapshot line by line: every line's checksum, the sequence, the run line
 * first. Never throws. Whether the file is complete (no line lost at its end) is for
 * `verifySnapshot` to judge.
 */
export function readSnapshot(path: string): SnapshotRead {
  const nothing = (problem: string): SnapshotRead => ({
    entries: [],
    lines: [],
    problems: [problem],
    tornTail: false,
    validText: "",
  });
  let text: string;
  try {
    // A device, a FIFO or a link to one is no snapshot (and reading /dev/full or a FIFO never ends).
    if (!statSync(path).isFile()) return nothing(`${path} is not a regular file`);
    text = readFileSync(path, "utf8");
  } catch (error) {
    return nothing(`cannot read ${path}: ${(error as Error).message}`);
  }
  if (text.length === 0) return nothing("the file is empty");
  const lines = text.split("\n");
  const endsClean = text.endsWith("\n");
  if (endsClean) lines.pop();
  const read: SnapshotRead = {
    entries: [],
    lines: [],
    problems: [],
    tornTail: false,
    validText: "",
  };
  const valid: string[] = [];
  lines.forEach((line, index) => {
    const number = index + 1;
    const parsed = decode(line);
    if (!parsed.ok) {
      if (index === lines.length - 1 && !endsClean) {
        read.tornTail = true;
        read.problems.push(`torn last line ${number}: cut short (${parsed.reason})`);
      } else {
        read.problems.push(`line ${number}: ${parsed.reason}`);
      }
      return;
    }
    if (parsed.seq !== read.entries.length + 1) {
      read.problems.push(
        `line ${number}: sequence ${parsed.seq}, expected ${read.entries.length + 1} (lines missing or reordered)`,
      );
    }
    read.entries.push(parsed.entry);
    read.lines.push(number);
    valid.push(line, "\n");
  });
  read.validText = valid.join("");
  if (read.entries.length === 0 && read.problems.length === 0)
    read.problems.push("the file is empty");
  if (read.entries.length > 0 && read.entries[0]?.type !== "run")
    read.problems.push("line 1 is not the run description");
  return read;
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
