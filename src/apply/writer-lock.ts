import { closeSync, mkdirSync, openSync, readFileSync, rmSync, writeSync } from "node:fs";
import { hostname } from "node:os";
import { join } from "node:path";
import { NotionMirrorError } from "../errors.ts";

interface Holder {
  pid: number;
  host: string;
  command: string;
  since: string;
}

/**
 * The single-writer lock shared by push and revert across processes: a file created with O_EXCL
 * in the snapshots folder, naming its holder. A lock whose holder process is gone (killed -9) is
 * stale and taken over. Returns the release function.
 */
export function acquireWriterLock(dir: string, command: string): () => void {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const path = join(dir, ".writer.lock");
  const me: Holder = {
    pid: process.pid,
    host: hostname(),
    command,
    since: new Date().toISOString(),
  };
  for (let attempt = 0; attempt < 3; attempt += 1) {
    try {
      const fd = openSync(path, "wx", 0o600);
      writeSync(fd, JSON.stringify(me));
      closeSync(fd);
      return () => {
        const current = readHolder(path);
        if (current?.pid === me.pid && current.host === me.host) rmSync(path, { force: true });
      };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
    }
    const holder = readHolder(path);
    if (holder && !isStale(holder)) {
      throw new NotionMirrorError(
        "usage",
        `Another push or revert is running: "${holder.command}" (pid ${holder.pid} on ${holder.host}, since ${holder.since}).`,
        "Wait for it to finish; only one writer at a time keeps every change applied at most once.",
      );
    }
    // The holder died without releasing: take the lock over.
    rmSync(path, { force: true });
  }
  throw new NotionMirrorError("internal", `Could not take the writer lock ${path}.`);
}

function readHolder(path: string): Holder | undefined {
  try {
    return JSON.parse(readFileSync(path, "utf8")) as Holder;
  } catch {
    return undefined; // unreadable or half-written: treated as stale
  }
}

function isStale(holder: Holder): boolean {
  if (holder.host !== hostname()) return false; // cannot tell for another machine: assume alive
  try {
    process.kill(holder.pid, 0);
    return false;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "ESRCH";
  }
}
