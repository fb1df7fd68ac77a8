import type { Json, JsonObject } from "./json.ts";
import { jsonEqual } from "./json.ts";

/** One applied page write, as the emulator saw it: who, when, and each property's before and after. */
export interface JournalEntry {
  /** 1-based, in the order writes were applied. */
  seq: number;
  /** Wall-clock time of the write, ms since the epoch. */
  at: number;
  pageId: string;
  /**
   * "bot" for the integration (API writes), "person" for simulated edits, "notion" for what
   * Notion changed by itself after one of those (the other side of a two-way relation, a
   * recomputed formula or rollup); `userId` is then the writer's.
   */
  actor: "bot" | "person" | "notion";
  userId: string;
  /** Properties whose value changed, by name, with their property id and type. */
  changes: Array<{ name: string; id: string; type: string; before: Json; after: Json }>;
  trashed?: boolean;
}

/**
 * The emulator's journal of applied writes: the ground truth that invariant checks compare a
 * client's snapshots and claims against (what was overwritten, when, by whom).
 */
export class WriteJournal {
  private readonly entries: JournalEntry[] = [];

  record(entry: Omit<JournalEntry, "seq" | "at">): void {
    this.entries.push({ ...entry, seq: this.entries.length + 1, at: Date.now() });
  }

  all(): readonly JournalEntry[] {
    return this.entries;
  }
}

/** The properties that differ between two versions of a page's `properties`, edit metadata aside. */
export function changedProperties(before: JsonObject, after: JsonObject): JournalEntry["changes"] {
  const changes: JournalEntry["changes"] = [];
  for (const [name, value] of Object.entries(after)) {
    const old = before[name];
    if (!value || typeof value !== "object" || Array.isArray(value)) continue;
    const type = String(value.type);
    if (type === "last_edited_time" || type === "last_edited_by") continue;
    if (!jsonEqual(old, value))
      changes.push({ name, id: String(value.id), type, before: old ?? null, after: value });
  }
  return changes;
}
