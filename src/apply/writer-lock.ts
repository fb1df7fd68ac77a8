import { randomBytes } from "node:crypto";
import {
  closeSync,
  linkSync,
  mkdirSync,
  openSync,
  readFileSync,
  rmSync,
  statSync,
  writeSync,
} from "node:fs";
import { hostname } from "node:os";
import { join } from "node:path";
import { NotionMirrorError } from "../errors.ts";
import { checkFolderPath } from "../util/path-checks.ts";

interface Holder {
  pid: number;
  host: string;
  command: string;
  since: string;
}

/**
 * The single-writer lock shared by push and revert across processes: a file in the snapshots
 * folder, created atomically with its content (it fails if the file exists), naming its holder. A lock whose holder process is gone (killed -9) is
 * stale and taken over. Returns the release function.
 */
export function acquireWriterLock(dir: string, command: string): () => void {
  checkFolderPath(dir, "snapshots");
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const path = join(dir, ".writer.lock");
  const me: Holder = {
    pid: process.pid,
    host: hostname(),
    command,
    since: new Date().toISOString(),
  };
  for (let attempt = 0; attempt < 5; attempt += 1) {
    if (createWithContent(path, JSON.stringify(me))) {
      return () => {
        const current = readHolder(path);
        if (current?.pid === me.pid && current.host === me.host) rmSync(path, { force: true });
      };
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
    removeStale(path, holder);
  }
  throw new NotionMirrorError("internal", `Could not take the writer lock ${path}.`);
}

/**
 * Creates the lock file with its content in one step (written aside, then hard-linked into
 * place, which fails if the lock exists), so no process ever reads a half-written lock. Returns
 * false when the lock is held.
 */
function createWithContent(path: string, content: string): boolean {
  const aside = `${path}.${process.pid}.${randomBytes(4).toString("hex")}`;
  const fd = openSync(aside, "wx", 0o600);
  try {
    writeSync(fd, content);
  } finally {
    closeSync(fd);
  }
  try {
    linkSync(aside, path);
    return true;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "EEXIST") return false;
    if (code !== "EPERM" && code !== "ENOTSUP" && code !== "EOPNOTSUPP") throw error;
    // No hard links on this file system: O_EXCL, then the content (a reader may see it empty).
    try {
      const direct = openSync(path, "wx", 0o600);
      writeSync(direct, content);
      closeSync(direct);
      return true;
    } catch (fallback) {
      if ((fallback as NodeJS.ErrnoException).code === "EEXIST") return false;
      throw fallback;
    }
  } finally {
    rmSync(aside, { force: true });
  }
}

/**
 * Removes a stale lock, one process at a time (under a takeover guard), and only if it still
 * names the dead holder: two pushes that both found it stale must not remove the lock that one
 * of them has just taken.
 */
function removeStale(path: string, stale: Holder | undefined): void {
  const guard = `${path}.takeover`;
  if (!createWithContent(guard, String(process.pid))) {
    // Another process is taking over; a guard left by one that died is cleared after a while.
    try {
      if (Date.now() - statSync(guard).mtimeMs > 10_000) rmSync(guard, { force: true });
    } catch {
      // gone meanwhile
    }
    return;
  }
  try {
    if (JSON.stringify(readHolder(path)) === JSON.stringify(stale)) rmSync(path, { force: true });
  } finally {
    rmSync(guard, { force: true });
  }
}

function readHolder(path: string): Holder | undefined {
  try {
    return JSON.parse(readFileSync(path, "utf8")) as Holder;
  } catch {
    return undefined; // unreadable (locks are never half-written): treated as stale
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
