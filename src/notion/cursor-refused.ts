import { NotionMirrorError } from "../errors.ts";

const REFUSAL = /start_cursor provided is invalid/i;

/**
 * Notion refused a query cursor it had issued (400 validation_error, "The start_cursor provided
 * is invalid: …"): cursors are scoped to a session and expire after a time Notion does not
 * document. Nothing is wrong with the request itself: a walk restarts from where it was with a
 * fresh query (see `walkWindows`). Thrown by `NotionApi` reads; a `notion` error if it escapes.
 */
export class CursorRefused extends NotionMirrorError {
  constructor(what: string, notionMessage: string) {
    super(
      "notion",
      `Notion refused a query cursor while ${what}: ${notionMessage}`,
      "Run the same command again: a pull starts over from the mirror it left.",
    );
    this.name = "CursorRefused";
  }
}

/** True for Notion's answer to an expired or unknown start_cursor. */
export function isCursorRefusal(code: string, message: string): boolean {
  return code === "validation_error" && REFUSAL.test(message);
}
