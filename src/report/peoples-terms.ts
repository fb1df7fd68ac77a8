import { valueText } from "./value-text.ts";
import type { ValueNames } from "./value-names.ts";

const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
const ISO_DATE =
  /^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2}))?(?:\.\d+)?(Z|[+-]\d{2}:\d{2})?)?$/;

/**
 * An ISO date or date-time as people read it: "5 Mar 2024", "5 Mar 2024 14:30 UTC+02:00". Text
 * that is not an ISO date is returned as it is.
 */
export function readableDate(text: string): string {
  const match = ISO_DATE.exec(text);
  if (!match) return text;
  const [, year, month, day, hour, minute, second, zone] = match;
  const date = `${Number(day)} ${MONTHS[Number(month) - 1] ?? month} ${year}`;
  if (hour === undefined) return date;
  const time = `${hour}:${minute}${second && second !== "00" ? `:${second}` : ""}`;
  const offset =
    zone === undefined ? "" : zone === "Z" || zone === "+00:00" ? " UTC" : ` UTC${zone}`;
  return `${date} ${time}${offset}`;
}

/** A rule's list value given as JSON text (`json_array(…)`), parsed; undefined otherwise. */
function jsonArray(value: unknown): unknown[] | undefined {
  if (typeof value !== "string" || !value.startsWith("[")) return undefined;
  try {
    const parsed = JSON.parse(value) as unknown;
    return Array.isArray(parsed) ? parsed : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The ids a relation or people value lists, as a rule returns it (a list, or the JSON text of one
 * from `json_array(…)`) or as a run stores it; empty for anything else. Never throws.
 */
export function listedIds(value: unknown): string[] {
  const list = Array.isArray(value) ? value : jsonArray(value);
  return (list ?? []).filter((item): item is string => typeof item === "string");
}

/** "Title id", or the id alone when no name is known. */
function named(name: string | undefined, id: string): string {
  return name ? `${name} (${id})` : id;
}

/**
 * A natural value in people's terms for a property of `type`: related pages by title and people
 * by name (each with its id after), dates readable, lists joined; anything else as
 * {@link valueText} shows it. Never throws.
 *
 * @example valueInPeoplesTerms("relation", ["14c4…"], names) // "Atlas Platform (14c4…)"
 */
export function valueInPeoplesTerms(type: string, value: unknown, names: ValueNames): string {
  if (value === null || value === undefined) return "(empty)";
  const list = Array.isArray(value) ? value : (jsonArray(value) ?? [value]);
  if (type === "relation" && list.every((item) => typeof item === "string")) {
    return list.length === 0
      ? "(empty)"
      : list.map((id) => named(names.pageTitle(id), id)).join(", ");
  }
  if (type === "people" && list.every((item) => typeof item === "string")) {
    return list.length === 0
      ? "(empty)"
      : list.map((id) => named(names.userName(id), id)).join(", ");
  }
  if (type === "date") {
    if (typeof value === "string") return readableDate(value);
    if (typeof value === "object" && !Array.isArray(value)) {
      const range = value as { start?: unknown; end?: unknown; time_zone?: unknown };
      const start = typeof range.start === "string" ? readableDate(range.start) : "?";
      const end = typeof range.end === "string" ? ` → ${readableDate(range.end)}` : "";
      const zone = typeof range.time_zone === "string" ? ` (${range.time_zone})` : "";
      return `${start}${end}${zone}`;
    }
  }
  return valueText(value);
}

/** A rule's extra columns, "score 0.92, evidence code AT-1 matches", for beside a proposal. */
export function extraText(extra: Record<string, unknown> | null | undefined): string {
  if (!extra) return "";
  return Object.entries(extra)
    .map(([name, value]) => `${name} ${typeof value === "string" ? value : JSON.stringify(value)}`)
    .join(", ");
}
