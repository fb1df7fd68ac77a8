import type { ErrorCode } from "../errors.ts";
import type { SqlStart } from "../mirror/read-only-sql.ts";

/**
 * The messages between `sql-sandbox.ts` (parent) and `sql-sandbox-worker.ts` (child), sent over
 * the IPC channel with "advanced" serialization (structured clone: numbers stay numbers,
 * Infinity included).
 */

/** Parent → child: run one SQL text. */
export interface RunMessage {
  type: "run";
  id: number;
  sql: string;
  maxRows: number;
  /** Where the SQL starts in its file (a rule's SQL follows its header). */
  start?: SqlStart;
}

/** A NotionMirrorError flattened for the channel. */
export interface SandboxErrorData {
  code: ErrorCode;
  message: string;
  hint?: string;
}

/** Child → parent. `ready` once, after the mirror is open (or failed to open). */
export type WorkerMessage =
  | { type: "ready" }
  | { type: "result"; id: number; columns: string[]; rows: unknown[][]; truncated: boolean }
  | { type: "error"; id: number; error: SandboxErrorData };

export function isWorkerMessage(value: unknown): value is WorkerMessage {
  if (typeof value !== "object" || value === null) return false;
  const type = (value as { type?: unknown }).type;
  return type === "ready" || type === "result" || type === "error";
}

export function isRunMessage(value: unknown): value is RunMessage {
  if (typeof value !== "object" || value === null) return false;
  const message = value as Partial<RunMessage>;
  return (
    message.type === "run" &&
    typeof message.id === "number" &&
    typeof message.sql === "string" &&
    typeof message.maxRows === "number" &&
    (message.start === undefined ||
      (typeof message.start === "object" &&
        message.start !== null &&
        typeof message.start.line === "number" &&
        typeof message.start.column === "number"))
  );
}
