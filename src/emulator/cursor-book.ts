import type { Clock } from "./clock.ts";
import type { JsonObject } from "./json.ts";
import { cloneJson } from "./json.ts";
import { invalidCursor } from "./pagination.ts";

/** How many issued cursors are remembered at most; older ones are refused like expired ones. */
const REMEMBERED = 2_000;

interface Entry {
  anchor: JsonObject;
  /** Emulator clock, ms, when the cursor was handed out. */
  issuedAt: number;
}

/**
 * The cursors of sorted lists (data source queries, search). A cursor names the first item of the
 * next batch, shaped like Notion's (`s:<uuid>:<next id>`). The book remembers that item AS IT WAS
 * when the cursor was issued, so the next request resumes at the same place in the order even if
 * someone edited the item in between and moved it: like keyset pagination, nothing that did not
 * change is skipped or repeated.
 *
 * Like Notion's, cursors do not last: one older than the TTL (on the emulator's clock, from when
 * it was issued), one the book no longer holds (past the newest 2,000, issued before a reseed,
 * or expired by a fault) and one it never issued are refused with Notion's 400
 * (`The start_cursor provided is invalid: …`); the client starts the walk again.
 */
export class CursorBook {
  private readonly entries = new Map<string, Entry>();
  private serial = 0;

  constructor(
    private readonly clock: Clock,
    private readonly ttlMs: () => number | false,
  ) {}

  /** A new cursor for a batch that starts at `anchor`. */
  issue(anchor: JsonObject): string {
    this.serial += 1;
    const hex = this.serial.toString(16).padStart(12, "0");
    const cursor = `s:00000000-0000-4000-8000-${hex.slice(-12)}:${String(anchor.id)}`;
    const now = this.clock.now().getTime();
    this.entries.set(cursor, { anchor: cloneJson(anchor), issuedAt: now });
    this.prune(now);
    return cursor;
  }

  /**
   * The anchor as it was when `cursor` was issued. Throws Notion's invalid-cursor error (400)
   * when the cursor expired or is not (or no longer) in the book.
   */
  resume(cursor: string): JsonObject {
    const entry = this.entries.get(cursor);
    if (!entry || this.expired(entry, this.clock.now().getTime())) {
      this.entries.delete(cursor);
      throw invalidCursor(cursor);
    }
    return entry.anchor;
  }

  /** Forgets a cursor, as if it had expired (the `expire-cursor` fault). */
  forget(cursor: string): void {
    this.entries.delete(cursor);
  }

  private expired(entry: Entry, now: number): boolean {
    const ttl = this.ttlMs();
    return ttl !== false && now - entry.issuedAt > ttl;
  }

  /** Drops the oldest entries past the bound, and expired ones (the map is in issue order). */
  private prune(now: number): void {
    for (const [cursor, entry] of this.entries) {
      if (this.entries.size <= REMEMBERED && !this.expired(entry, now)) break;
      this.entries.delete(cursor);
    }
  }
}
