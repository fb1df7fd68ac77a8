import type { JsonObject } from "./json.ts";
import { cloneJson } from "./json.ts";

/** How many issued cursors are remembered; older ones fall back to the anchor's current place. */
const REMEMBERED = 2_000;

const CURSOR = /^s:[0-9a-f-]{36}:(.+)$/;

/**
 * The cursors of sorted lists (data source queries, search). A cursor names the first item of the
 * next batch, shaped like Notion's (`s:<uuid>:<next id>`). The book remembers that item AS IT WAS
 * when the cursor was issued, so the next request resumes at the same place in the order even if
 * someone edited the item in between and moved it: like keyset pagination, nothing that did not
 * change is skipped or repeated. A cursor the book no longer holds (or a bare id) resumes at the
 * item's current place.
 */
export class CursorBook {
  private readonly anchors = new Map<string, JsonObject>();
  private serial = 0;

  /** A new cursor for a batch that starts at `anchor`. */
  issue(anchor: JsonObject): string {
    this.serial += 1;
    const hex = this.serial.toString(16).padStart(12, "0");
    const cursor = `s:00000000-0000-4000-8000-${hex.slice(-12)}:${String(anchor.id)}`;
    this.anchors.set(cursor, cloneJson(anchor));
    if (this.anchors.size > REMEMBERED) {
      const oldest = this.anchors.keys().next();
      if (!oldest.done) this.anchors.delete(oldest.value);
    }
    return cursor;
  }

  /** The anchor as it was when this cursor was issued; undefined when not remembered. */
  anchorOf(cursor: string): JsonObject | undefined {
    return this.anchors.get(cursor);
  }

  /** The id of the item a cursor names (a bare id names itself). */
  static idOf(cursor: string): string {
    return CURSOR.exec(cursor)?.[1] ?? cursor;
  }
}
