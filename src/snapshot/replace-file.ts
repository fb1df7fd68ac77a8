import { closeSync, fsyncSync, openSync, renameSync, rmSync, writeSync } from "node:fs";
import { dirname } from "node:path";

/** Where {@link replaceFile} writes the new content before it takes the file's place. */
export function asidePath(path: string): string {
  return `${path}.replacing`;
}

/** Bytes per write call: a large file is written in steps, each checked to have gone whole. */
const CHUNK = 1 << 20;

/**
 * Puts `content` in place of the file at `path` (or creates it) so that a crash, a kill or a power
 * cut at any instant leaves either the old file or the new one, whole: the content goes to a file
 * beside it (created 0600, never through a link planted there), is fsynced, is renamed over
 * `path`, and the folder is fsynced so that the rename is durable too. A file left beside it by a
 * replace that was killed is discarded first. Throws if the disk refuses; `path` is then as it
 * was. Callers serialise replaces of one path (the writer lock).
 */
export function replaceFile(path: string, content: string): void {
  const aside = asidePath(path);
  rmSync(aside, { force: true });
  const bytes = Buffer.from(content);
  const fd = openSync(aside, "wx", 0o600);
  try {
    for (let offset = 0; offset < bytes.length;) {
      const written = writeSync(fd, bytes, offset, Math.min(CHUNK, bytes.length - offset));
      if (written <= 0) throw new Error("the disk took no more bytes");
      offset += written;
    }
    fsyncSync(fd);
  } catch (error) {
    closeSync(fd);
    rmSync(aside, { force: true });
    throw error;
  }
  closeSync(fd);
  renameSync(aside, path);
  fsyncFolder(dirname(path));
}

function fsyncFolder(dir: string): void {
  const fd = openSync(dir, "r");
  try {
    fsyncSync(fd);
  } catch (error) {
    // Some file systems cannot fsync a folder; the rename is then as durable as they make it.
    const code = (error as NodeJS.ErrnoException).code;
    if (code !== "EINVAL" && code !== "EISDIR" && code !== "ENOTSUP") throw error;
  } finally {
    closeSync(fd);
  }
}
