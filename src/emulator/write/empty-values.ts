import type { Json, JsonObject } from "../json.ts";
import { isArray, isObject } from "../json.ts";
import { defaultStatusOption } from "./select-options.ts";
import { userAsPropertyValue } from "./user-values.ts";

/** Facts about a page being created that its computed properties show. */
export interface NewPageMeta {
  /** ISO time rounded to the minute, as Notion shows created_time (e.g. "2026-06-26T13:45:00.000Z"). */
  createdTime: string;
  /** Defaults to createdTime. */
  lastEditedTime?: string;
  /**
   * Author of created_by / last_edited_by: a user object or a `{object:"user", id}` reference
   * (expanded through the workspace's users); defaults to the integration's bot user.
   */
  createdBy?: JsonObject;
  /** The number this page's unique_id properties get (the data source's next number). */
  uniqueIdNumber?: number;
}

const NUMBER_ROLLUPS_ZERO = new Set([
  "count",
  "count_values",
  "unique",
  "count_unique_values",
  "empty",
  "count_empty",
  "not_empty",
  "count_not_empty",
  "percent_empty",
  "percent_not_empty",
  "checked",
  "count_checked",
  "unchecked",
  "count_unchecked",
  "percent_checked",
  "percent_unchecked",
  "sum",
]);
const DATE_ROLLUPS = new Set(["earliest_date", "latest_date", "date_range"]);

/** A rollup over an empty relation as Notion shows it: count-like functions give 0. */
function emptyRollup(config: JsonObject): JsonObject {
  const fn = typeof config.function === "string" ? config.function : "show_original";
  if (NUMBER_ROLLUPS_ZERO.has(fn)) return { type: "number", number: 0, function: fn };
  if (DATE_ROLLUPS.has(fn)) return { type: "date", date: null, function: fn };
  if (fn === "show_original" || fn === "show_unique")
    return { type: "array", array: [], function: fn };
  return { type: "number", number: null, function: fn };
}

/**
 * The value a schema property has on a page that nobody has filled: what Notion shows for a
 * freshly created page. Status gets the property's default option; formula and rollup get
 * placeholders (a string formula with null, a rollup over no pages), which a formula engine may
 * replace; created_by / last_edited_by the `author` (a full user object); unique_id the next
 * number.
 */
export function emptyPropertyValue(
  schemaProperty: JsonObject,
  meta: NewPageMeta,
  author: JsonObject,
): JsonObject {
  const type = typeof schemaProperty.type === "string" ? schemaProperty.type : "unsupported";
  const config = isObject(schemaProperty[type]) ? schemaProperty[type] : {};
  const id = schemaProperty.id ?? null;
  const wrap = (value: Json): JsonObject => ({ id, type, [type]: value });
  switch (type) {
    case "title":
    case "rich_text":
    case "multi_select":
    case "people":
    case "files":
      return wrap([]);
    case "relation":
      return { id, type, relation: [], has_more: false };
    case "checkbox":
      return wrap(false);
    case "status":
      return wrap(defaultStatusOption(schemaProperty));
    case "button":
      return wrap({});
    case "formula":
      return wrap({ type: "string", string: null });
    case "rollup":
      return wrap(emptyRollup(config));
    case "created_time":
      return wrap(meta.createdTime);
    case "last_edited_time":
      return wrap(meta.lastEditedTime ?? meta.createdTime);
    case "created_by":
    case "last_edited_by":
      return wrap(userAsPropertyValue(author));
    case "unique_id":
      return wrap({
        prefix: typeof config.prefix === "string" ? config.prefix : null,
        number: meta.uniqueIdNumber ?? null,
      });
    case "verification":
      return wrap({ state: "unverified", date: null, verified_by: null });
    default:
      return wrap(null);
  }
}

/**
 * True when a stored property value (`{id, type, [type]: value}`) is empty in the sense of
 * Notion's `is_empty` filter: no text, no items, null. A checkbox is never empty (false is a
 * value), nor are created_*, last_edited_*, unique_id and button. A formula or rollup is empty
 * when its result is.
 */
export function isEmptyPropertyValue(value: JsonObject): boolean {
  const type = typeof value.type === "string" ? value.type : "";
  const inner = value[type];
  switch (type) {
    case "checkbox":
    case "created_time":
    case "created_by":
    case "last_edited_time":
    case "last_edited_by":
    case "unique_id":
    case "button":
      return false;
    case "verification":
      return !isObject(inner) || inner.state === "unverified";
    case "formula":
    case "rollup": {
      if (!isObject(inner) || typeof inner.type !== "string") return true;
      return isEmptyInner(inner[inner.type]);
    }
    default:
      return isEmptyInner(inner);
  }
}

function isEmptyInner(inner: Json | undefined): boolean {
  if (inner === undefined || inner === null) return true;
  if (typeof inner === "string") return inner.length === 0;
  if (isArray(inner)) return inner.length === 0;
  return false;
}
