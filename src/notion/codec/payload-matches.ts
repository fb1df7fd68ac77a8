import { naturalValue } from "./natural-value.ts";
import { normalizeNotionId } from "./notion-id.ts";
import { holdsSentDate } from "./stored-date.ts";
import type { PropertyValue } from "./types.ts";

type Loose = Record<string, unknown>;

const ids = (list: unknown): string[] | undefined =>
  Array.isArray(list)
    ? list.map(
        (item) => normalizeNotionId(String((item as Loose | null)?.id ?? "")) ?? String(item),
      )
    : undefined;

const sameList = (a: readonly unknown[] | undefined, b: readonly unknown[] | undefined): boolean =>
  a !== undefined &&
  b !== undefined &&
  a.length === b.length &&
  a.every((item, index) => item === b[index]);

/**
 * True when a live value holds what an update payload wrote: how push settles a write whose
 * answer was lost (timeout, reset, 5xx) by reading the page back. Compares meaning, not
 * rendering: text content, option by id or name as sent, ids in order, a date as Notion stores
 * what was sent (to the minute, a zoned time by its offset; see {@link holdsSentDate}).
 * A payload it cannot judge (a mention, a file upload) never matches, so the outcome is
 * reported as a conflict for a person to look at rather than guessed. Never throws.
 */
export function payloadMatches(live: PropertyValue, payload: unknown): boolean {
  if (!payload || typeof payload !== "object") return false;
  const body = payload as Loose;
  const sent = body[live.type];
  if (sent === undefined) return false;
  switch (live.type) {
    case "title":
    case "rich_text": {
      if (!Array.isArray(sent)) return false;
      const parts = sent.map((item) => (item as { text?: { content?: unknown } }).text?.content);
      if (parts.some((part) => typeof part !== "string")) return false;
      return (naturalValue(live) ?? "") === parts.join("");
    }
    case "number":
    case "checkbox":
    case "url":
    case "email":
    case "phone_number":
      return naturalValue(live) === sent;
    case "select":
    case "status": {
      const option = live.type === "select" ? live.select : live.status;
      if (sent === null) return option === null;
      const wanted = sent as Loose;
      if (!option) return false;
      return typeof wanted.id === "string" ? wanted.id === option.id : wanted.name === option.name;
    }
    case "multi_select": {
      if (!Array.isArray(sent)) return false;
      return (
        sent.every((item, index) => {
          const option = live.multi_select[index];
          const wanted = item as Loose;
          return (
            option !== undefined &&
            (typeof wanted.id === "string" ? wanted.id === option.id : wanted.name === option.name)
          );
        }) && sent.length === live.multi_select.length
      );
    }
    case "date":
      if (sent === null) return live.date === null;
      return live.date !== null && typeof sent === "object" && holdsSentDate(live.date, sent);
    case "relation":
      return sameList(ids(live.relation), ids(sent));
    case "people":
      return sameList(ids(live.people), ids(sent));
    case "files": {
      if (!Array.isArray(sent)) return false;
      const urls = (list: readonly unknown[]) =>
        list.map((item) => ((item as Loose).external as Loose | undefined)?.url ?? null);
      return sameList(urls(live.files), urls(sent));
    }
    default:
      return false;
  }
}
