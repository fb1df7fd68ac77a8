import type { Clock } from "./clock.ts";
import type { JsonObject } from "./json.ts";
import { cloneJson } from "./json.ts";

/**
 * What data source queries and search see: the live pages, except those whose latest edit has not
 * reached the index yet. Notion serves queries from an index that can trail its writes, so an
 * edit may show up in query results later than its last_edited_time says; a page retrieved by id
 * is always current. By default nothing lags; a person edit made with `visibleAfterMs` holds the
 * page's previous version here until the emulator's clock has passed that long.
 */
export class QueryIndex {
  private readonly held = new Map<string, { page: JsonObject; until: number }>();

  constructor(private readonly clock: Clock) {}

  /**
   * Keeps showing `before` (the page as it was before an edit) until `until` (ms, clock time). A
   * page already held keeps its older copy, and is released at the later of the two times.
   */
  hold(before: JsonObject, until: number): void {
    const id = String(before.id);
    const earlier = this.held.get(id);
    this.held.set(id, {
      page: earlier?.page ?? cloneJson(before),
      until: Math.max(until, earlier?.until ?? 0),
    });
  }

  /** The page as queries see it now. */
  view(page: JsonObject): JsonObject {
    const held = this.held.get(String(page.id));
    return held && this.clock.now().getTime() < held.until ? held.page : page;
  }

  /** Releases every copy whose time has come; true when one was (cached results are stale). */
  settle(): boolean {
    const now = this.clock.now().getTime();
    let released = false;
    for (const [id, held] of this.held) {
      if (now < held.until) continue;
      this.held.delete(id);
      released = true;
    }
    return released;
  }
}
