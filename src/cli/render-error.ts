import { NotionMirrorError, storageError } from "../errors.ts";

/** The text shown for an error: the message, the hint on its own line, and "this is a bug" for internal ones. */
export function renderError(raw: unknown): string {
  const error = storageError(raw) ?? raw;
  if (error instanceof NotionMirrorError) {
    const lines = [`error: ${error.message}`];
    if (error.hint) lines.push(`hint: ${error.hint}`);
    if (error.code === "internal")
      lines.push("This is a bug in notion-mirror; please report it with the command you ran.");
    return `${lines.join("\n")}\n`;
  }
  const message = error instanceof Error ? error.message : String(error);
  return `error: ${message}\nThis is a bug in notion-mirror; please report it with the command you ran.\n`;
}
