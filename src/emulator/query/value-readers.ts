import type { Json, JsonObject } from "../json.ts";
import { isArray, isObject } from "../json.ts";
import type { Interval } from "./date-values.ts";
import { parseDateInterval } from "./date-values.ts";

/**
 * Readers of a page property value (`{id, type, [type]: …}`), each for one family of conditions.
 * They accept every property type whose value can be read that way (a number is read from
 * `number`, `unique_id`, a number formula or a number rollup) and return the family's empty value
 * for anything else, so a missing or mistyped value never throws.
 */
type Value = JsonObject | undefined;

function inner(value: Value): Json | undefined {
  if (!value || typeof value.type !== "string") return undefined;
  return value[value.type];
}

/** `plain_text` of a rich text array, concatenated. */
export function plainText(items: Json | undefined): string {
  if (!isArray(items)) return "";
  return items
    .map((item) => (isObject(item) && typeof item.plain_text === "string" ? item.plain_text : ""))
    .join("");
}

export function readText(value: Value): string {
  const data = inner(value);
  switch (value?.type) {
    case "title":
    case "rich_text":
      return plainText(data);
    case "url":
    case "email":
    case "phone_number":
      return typeof data === "string" ? data : "";
    case "formula":
      return isObject(data) && typeof data.string === "string" ? data.string : "";
    default:
      return "";
  }
}

export function readNumber(value: Value): number | null {
  const data = inner(value);
  switch (value?.type) {
    case "number":
      return typeof data === "number" ? data : null;
    case "unique_id":
      return isObject(data) && typeof data.number === "number" ? data.number : null;
    case "formula":
    case "rollup":
      return isObject(data) && typeof data.number === "number" ? data.number : null;
    default:
      return null;
  }
}

export function readCheckbox(value: Value): boolean {
  const data = inner(value);
  if (value?.type === "checkbox") return data === true;
  if (value?.type === "formula") return isObject(data) && data.boolean === true;
  return false;
}

/** Option names of a select, status or multi-select value. */
export function readOptionNames(value: Value): string[] {
  const data = inner(value);
  const name = (option: Json) =>
    isObject(option) && typeof option.name === "string" ? [option.name] : [];
  if (value?.type === "select" || value?.type === "status") return data ? name(data) : [];
  if (value?.type === "multi_select" && isArray(data)) return data.flatMap(name);
  return [];
}

/** The span of a date value (its start; see date-values.ts), or null when empty. */
export function readDate(value: Value): Interval | null {
  const data = inner(value);
  switch (value?.type) {
    case "date":
      return dateObjectInterval(data);
    case "created_time":
    case "last_edited_time":
      return typeof data === "string" ? timestampInterval(data) : null;
    case "formula":
    case "rollup":
      return isObject(data) ? dateObjectInterval(data.date) : null;
    default:
      return null;
  }
}

/**
 * Parsed timestamps, by their text: a filter on created_time or last_edited_time reads every
 * page's on every query, and the pages of a big data source share few minutes.
 */
const timestamps = new Map<string, Readonly<Interval> | null>();
const MOST_TIMESTAMPS = 100_000;

function timestampInterval(text: string): Readonly<Interval> | null {
  const known = timestamps.get(text);
  if (known !== undefined) return known;
  const parsed = parseDateInterval(text);
  if (timestamps.size >= MOST_TIMESTAMPS) timestamps.clear();
  const interval = parsed && Object.freeze(parsed);
  timestamps.set(text, interval);
  return interval;
}

function dateObjectInterval(date: Json | undefined): Interval | null {
  if (!isObject(date) || typeof date.start !== "string") return null;
  const zone = typeof date.time_zone === "string" ? date.time_zone : null;
  return parseDateInterval(date.start, zone);
}

/** Users of a people, created_by or last_edited_by value, as objects. */
export function readUsers(value: Value): JsonObject[] {
  const data = inner(value);
  if (value?.type === "people" && isArray(data)) return data.filter(isObject);
  if ((value?.type === "created_by" || value?.type === "last_edited_by") && isObject(data))
    return [data];
  return [];
}

export function readRelationIds(value: Value): string[] {
  const data = inner(value);
  if (value?.type !== "relation" || !isArray(data)) return [];
  return data.flatMap((item) => (isObject(item) && typeof item.id === "string" ? [item.id] : []));
}

export function readFiles(value: Value): JsonObject[] {
  const data = inner(value);
  return value?.type === "files" && isArray(data) ? data.filter(isObject) : [];
}

/** "verified", "expired" or "none" (unverified or empty). */
export function readVerificationState(value: Value): string {
  const data = inner(value);
  if (value?.type !== "verification" || !isObject(data)) return "none";
  return data.state === "verified" || data.state === "expired" ? data.state : "none";
}

/** Elements of an array rollup, each itself a property value `{type, [type]: …}`. */
export function readRollupArray(value: Value): JsonObject[] {
  const data = inner(value);
  if (value?.type !== "rollup" || !isObject(data) || data.type !== "array") return [];
  return isArray(data.array) ? data.array.filter(isObject) : [];
}
