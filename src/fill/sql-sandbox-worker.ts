/**
 * The child process that runs untrusted fill-rule SQL for `sql-sandbox.ts`: it opens the mirror
 * read-only (`query_only`), accepts only one read per message (`checkReadOnlySql`), and answers
 * with at most `maxRows` rows. Started with the mirror path as its only argument; exits when the
 * parent disconnects. The parent kills it when a query runs too long: better-sqlite3 cannot
 * interrupt a running statement.
 */
import type Database from "better-sqlite3";
import { NotionMirrorError } from "../errors.ts";
import { checkReadOnlySql, sqlRunError } from "../mirror/read-only-sql.ts";
import type { RunMessage, SandboxErrorData, WorkerMessage } from "./sandbox-protocol.ts";
import { isRunMessage } from "./sandbox-protocol.ts";
import { openMirrorReadOnly } from "../mirror/open-read-only.ts";
import { registerMatchFunctions } from "./sql-sandbox-functions.ts";

function send(message: WorkerMessage): void {
  process.send?.(message);
}

function errorData(error: unknown): SandboxErrorData {
  if (error instanceof NotionMirrorError) {
    return {
      code: error.code,
      message: error.message,
      ...(error.hint ? { hint: error.hint } : {}),
    };
  }
  return { code: "internal", message: error instanceof Error ? error.message : String(error) };
}

function run(sqlite: Database.Database, message: RunMessage): WorkerMessage {
  const statement = checkReadOnlySql(sqlite, message.sql, message.start).raw(true);
  const columns = statement.columns().map((column) => column.name);
  const rows: unknown[][] = [];
  let truncated = false;
  try {
    for (const row of statement.iterate() as IterableIterator<unknown[]>) {
      if (rows.length >= message.maxRows) {
        truncated = true;
        break;
      }
      const blob = row.findIndex((value) => value instanceof Uint8Array);
      if (blob !== -1) {
        throw new NotionMirrorError(
          "usage",
          `The SQL returned a BLOB in column "${columns[blob] ?? blob}"; rule values must be text, numbers or NULL.`,
          "Convert it in the SELECT, e.g. hex(column) or CAST(column AS TEXT).",
        );
      }
      rows.push(row);
    }
  } catch (error) {
    throw sqlRunError(error);
  }
  return { type: "result", id: message.id, columns, rows, truncated };
}

let sqlite: Database.Database | undefined;
let openError: unknown;
try {
  const mirrorPath = process.argv[2];
  if (!mirrorPath)
    throw new NotionMirrorError("internal", "The SQL sandbox was started without a mirror path.");
  sqlite = openMirrorReadOnly(mirrorPath);
  registerMatchFunctions(sqlite);
} catch (error) {
  openError = error;
}

process.on("message", (message: unknown) => {
  if (!isRunMessage(message)) return;
  try {
    if (!sqlite) throw openError;
    send(run(sqlite, message));
  } catch (error) {
    send({ type: "error", id: message.id, error: errorData(error) });
  }
});
process.on("disconnect", () => {
  sqlite?.close();
  process.exit(0);
});
send({ type: "ready" });
