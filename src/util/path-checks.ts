import type { Stats } from "node:fs";
import {
  closeSync,
  lstatSync,
  openSync,
  readSync,
  readlinkSync,
  realpathSync,
  statSync,
} from "node:fs";
import { dirname, resolve } from "node:path";
import type { ErrorCode } from "../errors.ts";
import { NotionMirrorError } from "../errors.ts";

/*
 * Checks of the paths notion-mirror creates, chmods or writes (the mirror, the snapshots folder,
 * report files), made BEFORE any of that: a path pointed at a device, a FIFO, a stranger's file
 * or a link to nowhere is refused with what is wrong and what to do (exit 2), and left exactly as
 * it was.
 */

/** What a path is, for messages: "a regular file", "a character device" … */
export function describeKind(stats: Stats): string {
  if (stats.isFile()) return "a regular file";
  if (stats.isDirectory()) return "a folder";
  if (stats.isCharacterDevice()) return "a character device";
  if (stats.isBlockDevice()) return "a block device";
  if (stats.isFIFO()) return "a FIFO (named pipe)";
  if (stats.isSocket()) return "a socket";
  return "neither a file nor a folder";
}

/** A checked path: where to act (links resolved) and how to name it in messages. */
export interface CheckedPath {
  /** The path to open or create: the given one made absolute, or the real path a link leads to. */
  real: string;
  /** The absolute path, followed by `(a link to …)` when it is one. */
  shown: string;
  /** What exists there now; undefined when nothing does (it will be created). */
  stats: Stats | undefined;
}

/** Whose path it is, for messages: "the mirror path …", "set `mirror` in notion-mirror.json". */
interface Role {
  what: string;
  /** What is created there: "file" or "folder". */
  creates: "file" | "folder";
  /** Where the user sets it, e.g. "`mirror` in notion-mirror.json" or "--out". */
  setting: string;
  code: ErrorCode;
}

const MIRROR: Role = {
  what: "mirror",
  creates: "file",
  setting: "`mirror` in notion-mirror.json",
  code: "config",
};
const SQLITE_HEADER = Buffer.from("SQLite format 3\0", "latin1");

/**
 * The mirror file: absent (to be created), empty, or a SQLite database (its first 16 bytes are
 * SQLite's header), through links. Anything else — a folder, a device, a FIFO, a socket, a text
 * file, a link to nowhere — is refused before it is chmod'ed or opened. Throws a config error.
 *
 * @example new Database(checkMirrorPath(config.mirrorPath).real)
 */
export function checkMirrorPath(path: string): CheckedPath {
  const checked = follow(path, MIRROR);
  const { stats, shown } = checked;
  if (!stats) return checked;
  if (!stats.isFile()) {
    throw refusal(
      MIRROR,
      `The mirror path ${shown} is ${describeKind(stats)}, not a SQLite file. It was left as it is.`,
      'Set `mirror` in notion-mirror.json to a file of its own (created if missing), e.g. "./notion-mirror.db".',
    );
  }
  if (stats.size === 0) return checked;
  let sqlite: boolean;
  try {
    sqlite = startsWithSqliteHeader(checked.real);
  } catch (error) {
    throw cannotCheck(shown, MIRROR, error);
  }
  if (!sqlite) {
    throw refusal(
      MIRROR,
      `The mirror path ${shown} is not a SQLite file (it does not start with "SQLite format 3"). It was left as it is.`,
      "Set `mirror` in notion-mirror.json to a new file or to an existing notion-mirror mirror.",
    );
  }
  return checked;
}

/**
 * A folder notion-mirror creates if missing (the snapshots folder, key `key` of the config):
 * absent, or a folder (through links, the folder they lead to). Throws a config error.
 *
 * @example mkdirSync(checkFolderPath(config.snapshotsDir, "snapshots").real, { recursive: true })
 */
export function checkFolderPath(path: string, key: string): CheckedPath {
  const role: Role = {
    what: key,
    creates: "folder",
    setting: `\`${key}\` in notion-mirror.json`,
    code: "config",
  };
  const checked = follow(path, role);
  if (checked.stats && !checked.stats.isDirectory()) {
    throw refusal(
      role,
      `The ${key} path ${checked.shown} is ${describeKind(checked.stats)}, not a folder. Nothing was written there.`,
      `Set ${role.setting} to a folder of its own (created if missing), e.g. "./${key}".`,
    );
  }
  return checked;
}

/**
 * A file a report is written to (the value of `flag`, e.g. `scan --out`): absent in an existing
 * folder, or a regular file (through links, the file they lead to, which is what gets replaced).
 * Throws a usage error.
 */
export function checkOutputFile(path: string, flag: string): CheckedPath {
  const role: Role = { what: flag, creates: "file", setting: flag, code: "usage" };
  const checked = follow(path, role);
  if (checked.stats && !checked.stats.isFile()) {
    throw refusal(
      role,
      `Cannot write to ${checked.shown}: it is ${describeKind(checked.stats)}, not a regular file. Nothing was written.`,
      `Try: ${flag} with a file name (or --json to print to stdout).`,
    );
  }
  if (!checked.stats && !statOrUndefined(dirname(checked.real))?.isDirectory()) {
    throw refusal(
      role,
      `Cannot write to ${checked.shown}: the folder ${dirname(checked.real)} does not exist.`,
      `Try: ${flag} with a file in an existing folder (or create that folder first).`,
    );
  }
  return checked;
}

/**
 * Follows `path` through symbolic links. A link whose target is missing is refused (a link to an
 * unmounted backup disk must not become a fresh, empty file on the wrong disk); so is a path to
 * be created that runs through something that is not a folder.
 */
function follow(path: string, role: Role): CheckedPath {
  const absolute = resolve(path);
  let own: Stats | undefined;
  try {
    own = lstatSync(absolute);
  } catch (error) {
    if (!isMissing(error)) throw cannotCheck(absolute, role, error);
  }
  if (!own) {
    checkParents(absolute, role);
    return { real: absolute, shown: absolute, stats: undefined };
  }
  if (!own.isSymbolicLink()) return { real: absolute, shown: absolute, stats: own };
  let real: string;
  try {
    real = realpathSync(absolute);
  } catch (error) {
    if (!isMissing(error)) throw cannotCheck(absolute, role, error);
    throw refusal(
      role,
      `The ${role.what} path ${absolute} is a symbolic link to ${linkTarget(absolute)}, which does not exist. Nothing was created there.`,
      `Create what the link points to (or mount the disk it is on), point the link elsewhere, or set ${role.setting} to the real path.`,
    );
  }
  return { real, shown: `${absolute} (a link to ${real})`, stats: statSync(real) };
}

/** The nearest existing ancestor of a path to be created must be a folder. */
function checkParents(absolute: string, role: Role): void {
  for (let parent = dirname(absolute); ; parent = dirname(parent)) {
    let stats: Stats | undefined;
    try {
      stats = statSync(parent);
    } catch (error) {
      if (!isMissing(error)) throw cannotCheck(absolute, role, error);
    }
    if (stats?.isDirectory()) return;
    if (stats) {
      throw refusal(
        role,
        `Cannot create the ${role.what} ${role.creates} ${absolute}: it runs through ${parent}, which is ${describeKind(stats)}, not a directory (ENOTDIR).`,
        `Set ${role.setting} to a path whose parents are folders, or move ${parent} away.`,
      );
    }
    if (dirname(parent) === parent) return;
  }
}

function startsWithSqliteHeader(path: string): boolean {
  const header = Buffer.alloc(SQLITE_HEADER.length);
  const fd = openSync(path, "r");
  try {
    const read = readSync(fd, header, 0, header.length, 0);
    return read === header.length && header.equals(SQLITE_HEADER);
  } finally {
    closeSync(fd);
  }
}

function statOrUndefined(path: string): Stats | undefined {
  try {
    return statSync(path);
  } catch {
    return undefined;
  }
}

/** Nothing there: the path or one of its parents does not exist (a parent that is a file is checked apart). */
function isMissing(error: unknown): boolean {
  const code = (error as NodeJS.ErrnoException).code;
  return code === "ENOENT" || code === "ENOTDIR";
}

function linkTarget(path: string): string {
  try {
    return resolve(dirname(path), readlinkSync(path));
  } catch {
    return "(unreadable)";
  }
}

function refusal(role: Role, message: string, hint: string): NotionMirrorError {
  return new NotionMirrorError(role.code, message, hint);
}

function cannotCheck(path: string, role: Role, error: unknown): NotionMirrorError {
  return refusal(
    role,
    `Cannot check the ${role.what} path ${path}: ${(error as Error).message}`,
    `Fix the permissions of its folders, or set ${role.setting} elsewhere.`,
  );
}
