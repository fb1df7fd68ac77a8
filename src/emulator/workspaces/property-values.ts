import type { Json, JsonObject } from "../json.ts";

/**
 * Builders for the value part of a page property as Notion returns it (`properties[name][type]`),
 * plus {@link propertyValue} for the `{id, type, [type]: value}` envelope. Every builder returns a
 * fresh object, so callers may mutate what they get.
 */

/** A select / status option as a page value: `{id, name, color}` (no description). */
export interface OptionRef {
  id: string;
  name: string;
  color: string;
}

export function optionValue(option: OptionRef): JsonObject {
  return { id: option.id, name: option.name, color: option.color };
}

export function multiSelectValue(options: readonly OptionRef[]): JsonObject[] {
  return options.map(optionValue);
}

/**
 * A date value. `start`/`end` are `YYYY-MM-DD` or full timestamps; Notion renders an explicit
 * time zone as a UTC offset in the timestamps and always answers `time_zone: null`.
 */
export function dateValue(start: string, end: string | null = null): JsonObject {
  return { start, end, time_zone: null };
}

/** A timestamp with a UTC offset as Notion renders it: `2025-07-14T09:30:00.000+02:00`. */
export function offsetTimestamp(date: string, time: string, offset: string): string {
  return `${date}T${time}:00.000${offset}`;
}

export function relationValue(pageIds: readonly string[]): JsonObject[] {
  return pageIds.map((id) => ({ id }));
}

export interface ExternalFile {
  name: string;
  url: string;
}

/** Files hosted elsewhere (`type: "external"`): the only kind an integration can write by URL. */
export function filesValue(files: readonly ExternalFile[]): JsonObject[] {
  return files.map((file) => ({ name: file.name, type: "external", external: { url: file.url } }));
}

export function formulaValue(
  type: "string" | "number" | "boolean" | "date",
  value: string | number | boolean | JsonObject | null,
): JsonObject {
  return { type, [type]: value };
}

export function rollupNumberValue(value: number | null, fn: string): JsonObject {
  return { type: "number", number: value, function: fn };
}

export function uniqueIdValue(prefix: string | null, number: number): JsonObject {
  return { prefix, number };
}

/**
 * The envelope of one page property. Relations carry `has_more`: seeds hold full lists, so it is
 * always false here (rendering is what truncates to 25).
 */
export function propertyValue(id: string, type: string, value: Json): JsonObject {
  if (type === "relation") return { id, type, relation: value, has_more: false };
  return { id, type, [type]: value };
}

/** The value an unset property of `type` has in a page response. */
export function emptyValue(type: string): Json {
  switch (type) {
    case "title":
    case "rich_text":
    case "multi_select":
    case "people":
    case "relation":
    case "files":
      return [];
    case "checkbox":
      return false;
    default:
      return null;
  }
}
