import type { Clock } from "./clock.ts";
import { isoMinute } from "./clock.ts";
import type { IdSource } from "./ids.ts";
import { CursorBook } from "./cursor-book.ts";
import { compactId } from "./ids.ts";
import type { JsonObject } from "./json.ts";
import { cloneJson, isArray, isObject } from "./json.ts";
import { QueryIndex } from "./query-index.ts";
import type { QueryLimits } from "./query-limits.ts";
import { defaultQueryLimits } from "./query-limits.ts";
import type { SeedFile } from "./seed-file.ts";
import { WriteJournal } from "./write-journal.ts";

/**
 * The emulator's whole state: one Notion workspace as seen by one integration. Objects are kept
 * in Notion's own response format with relation lists in full (rendering truncates them), so a
 * dump is a seed and a seeded page comes back deep-equal.
 */
export class Workspace {
  readonly integration: SeedFile["integration"];
  readonly users = new Map<string, JsonObject>();
  readonly databases = new Map<string, JsonObject>();
  readonly dataSources = new Map<string, JsonObject>();
  readonly pages = new Map<string, JsonObject>();
  private readonly pageIdsByDataSource = new Map<string, Set<string>>();
  /**
   * Ids the workspace already holds where the emulator mints new ones (objects and schema
   * options). A dump may seed a new emulator whose IdSource starts again from the same point:
   * without this, its first new page would take the id of a page made before the dump.
   */
  private readonly usedIds = new Set<string>();
  /** Where the cursors handed out by queries and search resume, while they last. */
  readonly cursors: CursorBook;
  /** Bumped on every change, so cached query results know when they are stale. */
  version = 0;
  /** Every applied page write, for invariant checks. */
  readonly journal = new WriteJournal();
  /** What queries and search see, where it trails the pages (edits made with visibleAfterMs). */
  readonly index: QueryIndex;

  constructor(
    seed: SeedFile,
    readonly clock: Clock,
    readonly ids: IdSource,
    /** The per-query result limit and cursor TTL (shared with the emulator, which sets them). */
    readonly limits: QueryLimits = defaultQueryLimits(),
  ) {
    this.index = new QueryIndex(clock);
    this.cursors = new CursorBook(clock, () => limits.cursorTtlMs);
    this.integration = { ...seed.integration };
    for (const user of seed.users) this.users.set(String(user.id), cloneJson(user));
    for (const database of seed.databases)
      this.databases.set(String(database.id), cloneJson(database));
    for (const source of seed.data_sources) {
      this.dataSources.set(String(source.id), cloneJson(source));
      this.pageIdsByDataSource.set(String(source.id), new Set());
    }
    for (const page of seed.pages) this.insertPage(cloneJson(page));
    for (const map of [this.users, this.databases, this.dataSources, this.pages])
      for (const id of map.keys()) this.usedIds.add(id);
    for (const source of this.dataSources.values()) this.noteOptionIds(source);
  }

  /** A new id for a page or a schema option, never one the workspace holds already. */
  newId(): string {
    let id = this.ids.next();
    while (this.usedIds.has(id)) id = this.ids.next();
    this.usedIds.add(id);
    return id;
  }

  private noteOptionIds(source: JsonObject): void {
    const properties = isObject(source.properties) ? source.properties : {};
    for (const property of Object.values(properties)) {
      if (!isObject(property)) continue;
      const config = property[String(property.type)];
      if (!isObject(config) || !isArray(config.options)) continue;
      for (const option of config.options)
        if (isObject(option) && typeof option.id === "string") this.usedIds.add(option.id);
    }
  }

  /** The whole state in the seed format: a dump seeds an identical emulator. */
  dump(): SeedFile {
    return {
      integration: { ...this.integration },
      users: [...this.users.values()].map((user) => cloneJson(user)),
      databases: [...this.databases.values()].map((database) => cloneJson(database)),
      data_sources: [...this.dataSources.values()].map((source) => cloneJson(source)),
      pages: [...this.pages.values()].map((page) => cloneJson(page)),
    };
  }

  /**
   * Whether a person of the workspace has no name (`null` or `""`): answers that show users are
   * then shaped per version (see shapeForVersion). Users are few, so this is asked per request.
   */
  hasNamelessPeople(): boolean {
    for (const user of this.users.values())
      if (user.type === "person" && (user.name === null || user.name === "")) return true;
    return false;
  }

  botUser(): JsonObject {
    const bot = this.users.get(this.integration.bot_user_id);
    if (!bot)
      throw new Error(`seed has no user for the integration's bot ${this.integration.bot_user_id}`);
    return bot;
  }

  /** A user reference as Notion puts it in created_by / last_edited_by. */
  userRef(user: JsonObject): JsonObject {
    return { object: "user", id: String(user.id) };
  }

  nowMinute(): string {
    return isoMinute(this.clock.now());
  }

  /** The pages of a data source in insertion (creation) order, trashed ones included. */
  *pagesOf(dataSourceId: string): Iterable<JsonObject> {
    for (const id of this.pageIdsByDataSource.get(dataSourceId) ?? []) {
      const page = this.pages.get(id);
      if (page) yield page;
    }
  }

  /** The pages of a data source as queries see them (see QueryIndex), in creation order. */
  *indexedPagesOf(dataSourceId: string): Iterable<JsonObject> {
    for (const page of this.pagesOf(dataSourceId)) yield this.index.view(page);
  }

  /**
   * Releases what the query index has caught up with; call before evaluating a query or search. A
   * release changes results, so it moves `version` (cached results are dropped) like an edit.
   */
  settleIndex(): void {
    if (this.index.settle()) this.version += 1;
  }

  pageCount(dataSourceId: string): number {
    return this.pageIdsByDataSource.get(dataSourceId)?.size ?? 0;
  }

  dataSourceIdOf(page: JsonObject): string | undefined {
    const parent = page.parent;
    return isObject(parent) && typeof parent.data_source_id === "string"
      ? parent.data_source_id
      : undefined;
  }

  insertPage(page: JsonObject): void {
    this.version += 1;
    const id = String(page.id);
    this.pages.set(id, page);
    const dataSourceId = this.dataSourceIdOf(page);
    if (dataSourceId) {
      let set = this.pageIdsByDataSource.get(dataSourceId);
      if (!set) {
        set = new Set();
        this.pageIdsByDataSource.set(dataSourceId, set);
      }
      set.add(id);
    }
  }

  /**
   * Stamps a page (or data source) as edited by `actor`, as Notion does on every write: now, or
   * at `time` (an ISO minute) for an edit stamped in the past.
   */
  touch(object: JsonObject, actor: JsonObject, time = this.nowMinute()): void {
    this.version += 1;
    object.last_edited_time = time;
    object.last_edited_by = this.userRef(actor);
  }

  /** The URL Notion gives a page: the title slug then the compact id. */
  pageUrl(title: string, id: string): string {
    const slug = title
      .trim()
      .replace(/[^\p{L}\p{N}]+/gu, "-")
      .replace(/^-+|-+$/g, "");
    return `https://www.notion.so/${slug ? `${slug}-` : ""}${compactId(id)}`;
  }

  /** The plain text of a page's title property. */
  pageTitle(page: JsonObject): string {
    const properties = isObject(page.properties) ? page.properties : {};
    for (const value of Object.values(properties)) {
      if (isObject(value) && value.type === "title" && isArray(value.title)) {
        return value.title
          .map((item) => (isObject(item) ? String(item.plain_text ?? "") : ""))
          .join("");
      }
    }
    return "";
  }
}
