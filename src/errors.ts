/**
 * The closed set of failures notion-mirror reports. Library code throws these; only
 * `cli/main.ts` prints them and turns them into exit codes.
 */
export type ErrorCode =
  /** Bad flags or arguments: exit 2, with a hint. */
  | "usage"
  /** Missing or invalid configuration (including a missing token): exit 2. */
  | "config"
  /** Notion refused the token. */
  | "auth"
  /** An object is not shared with the integration (or does not exist). */
  | "not_found"
  /** Notion answered an error that retries did not cure. */
  | "notion"
  /** Notion could not be reached (network, timeout). */
  | "network"
  /** A bug in notion-mirror itself. */
  | "internal";

export class NotionMirrorError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    /** What to do about it ("Try: …"), shown under the message. */
    readonly hint?: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = "NotionMirrorError";
  }
}

/** Exit codes: 0 ok, 1 error, 2 usage/config error, 3 finished with conflicts or partial failure. */
export function exitCodeOf(raw: unknown): 1 | 2 {
  const error = storageError(raw) ?? raw;
  return error instanceof NotionMirrorError && (error.code === "usage" || error.code === "config")
    ? 2
    : 1;
}

const DISK_CODES = new Set([
  "ENOSPC",
  "EROFS",
  "EACCES",
  "EPERM",
  "ENOTDIR",
  "EDQUOT",
  "EIO",
  "EISDIR",
]);

/**
 * A failure of the machine's storage (SQLite busy, locked, full or read-only; a disk error from
 * the file system) as the error people need: what happened and that running the same command
 * again resumes. Undefined for anything else.
 */
export function storageError(error: unknown): NotionMirrorError | undefined {
  if (error instanceof NotionMirrorError || typeof error !== "object" || error === null)
    return undefined;
  const code = (error as { code?: unknown }).code;
  const message = (error as { message?: unknown }).message;
  if (typeof code !== "string") return undefined;
  const detail = typeof message === "string" ? message : code;
  if (/^SQLITE_(BUSY|LOCKED)/.test(code)) {
    return new NotionMirrorError(
      "config",
      `The mirror is locked by another program (${code}): ${detail}`,
      "Close the other program (or let the other notion-mirror command finish), then run the same command again: it resumes.",
      { cause: error },
    );
  }
  if (/^SQLITE_(FULL|READONLY|IOERR|CANTOPEN|PERM)/.test(code) || DISK_CODES.has(code)) {
    return new NotionMirrorError(
      "config",
      `Cannot write to disk (${code}): ${detail}`,
      "Free disk space or fix the folder's permissions, then run the same command again: it resumes, and no write was sent without its snapshot.",
      { cause: error },
    );
  }
  return undefined;
}
