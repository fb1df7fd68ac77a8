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
export function exitCodeOf(error: unknown): 1 | 2 {
  return error instanceof NotionMirrorError && (error.code === "usage" || error.code === "config")
    ? 2
    : 1;
}
