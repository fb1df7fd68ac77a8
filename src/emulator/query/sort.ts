import { validationError } from "../errors.ts";
import type { Json, JsonObject } from "../json.ts";
import { isArray, isObject } from "../json.ts";
import { findProperty } from "./property-lookup.ts";
import type { SortKey } from "./sort-keys.ts";
import { compareKeys, sortKeyReader } from "./sort-keys.ts";
import { parseDateInterval } from "./date-values.ts";
import { invalid, notPresent, oneOf } from "./validation.ts";

export type PageComparator = (a: JsonObject, b: JsonObject) => number;

export interface SortOptions {
  /**
   * Creation order of a page, larger = created later. Notion reports created_time to the minute,
   * yet orders pages created within one minute newest first; a store that knows its insertion
   * order passes it here. Without it, such pages fall back to page id order.
   */
  creationRank?: (page: JsonObject) => number;
}

const DIRECTIONS = ["ascending", "descending"] as const;
const TIMESTAMPS = ["created_time", "last_edited_time"] as const;

interface CompiledSort {
  key: (page: JsonObject) => SortKey;
  sign: 1 | -1;
}

/**
 * Compiles the `sorts` of a data source query into a comparator for Array.prototype.sort. Sorts
 * apply in the order given; empty values sort last whichever the direction. Pages that tie on
 * every sort (and every page when there are no sorts) follow Notion's default order, newest
 * created first, and finally page id, so that paging through results is stable.
 *
 * Throws NotionApiError 400 validation_error for a malformed `sorts` or an unknown property.
 *
 * @example
 *   pages.sort(compileSorts([{ property: "Due", direction: "ascending" }], schema));
 */
export function compileSorts(
  sorts: Json | undefined,
  schema: JsonObject,
  options: SortOptions = {},
): PageComparator {
  const compiled = parseSorts(sorts, schema).map((sort) => ({
    ...sort,
    key: remembered(sort.key),
  }));
  const fallback = defaultOrder(options);
  return (a, b) => {
    for (const sort of compiled) {
      const diff = compareSortKeys(sort.key(a), sort.key(b), sort.sign);
      if (diff !== 0) return diff;
    }
    return fallback(a, b);
  };
}

function compareSortKeys(a: SortKey, b: SortKey, sign: 1 | -1): number {
  if (a === null || b === null) return a === b ? 0 : a === null ? 1 : -1;
  return sign * compareKeys(a, b);
}

function parseSorts(sorts: Json | undefined, schema: JsonObject): CompiledSort[] {
  if (sorts === undefined || sorts === null) return [];
  if (!isArray(sorts)) throw invalid("sorts", "should be an array", sorts);
  return sorts.map((sort, i) => parseSort(sort, `sorts[${i}]`, schema));
}

function parseSort(sort: Json, path: string, schema: JsonObject): CompiledSort {
  if (!isObject(sort)) throw invalid(path, "should be an object", sort);
  const hasProperty = sort.property !== undefined;
  const hasTimestamp = sort.timestamp !== undefined;
  if (hasProperty && hasTimestamp) throw notPresent(`${path}.timestamp`, sort.timestamp);
  if (!hasProperty && !hasTimestamp) {
    throw validationError(
      `body failed validation. Fix one:\nbody.${path}.property should be defined, instead was \`undefined\`.\n` +
        `body.${path}.timestamp should be defined, instead was \`undefined\`.`,
    );
  }
  const extra = Object.keys(sort).find(
    (key) => !["property", "timestamp", "direction"].includes(key),
  );
  if (extra !== undefined) throw notPresent(`${path}.${extra}`, sort[extra]);
  const direction = sort.direction;
  if (direction === undefined) {
    throw invalid(`${path}.direction`, "should be defined", undefined);
  }
  if (direction !== "ascending" && direction !== "descending") {
    throw invalid(`${path}.direction`, oneOf(DIRECTIONS), direction);
  }
  const sign = direction === "ascending" ? 1 : -1;
  if (hasTimestamp) {
    const timestamp = sort.timestamp;
    if (timestamp !== "created_time" && timestamp !== "last_edited_time") {
      throw invalid(`${path}.timestamp`, oneOf(TIMESTAMPS), timestamp);
    }
    return { key: (page) => timestampKey(page, timestamp), sign };
  }
  if (typeof sort.property !== "string") {
    throw invalid(`${path}.property`, "should be a string", sort.property);
  }
  const property = findProperty(schema, sort.property);
  if (!property)
    throw validationError(`Could not find sort property with name or id: ${sort.property}`);
  const read = sortKeyReader(property);
  return {
    key: (page) => {
      const properties = isObject(page.properties) ? page.properties : {};
      const value = properties[property.name];
      if (isObject(value)) return read(value);
      const own = page[property.type];
      // created_time & co. may be sorted on even when the page omits the property value.
      return own === undefined
        ? read(undefined)
        : read({ type: property.type, [property.type]: own });
    },
    sign,
  };
}

function timestampKey(page: JsonObject, timestamp: "created_time" | "last_edited_time"): SortKey {
  const value = page[timestamp];
  return typeof value === "string" ? (parseDateInterval(value)?.start ?? null) : null;
}

/**
 * A page's sort key, read once per page object: a sort of 50,000 pages compares each some 30
 * times. (The comparator lives as long as one version of the workspace, whose pages do not change
 * under it; a cursor's anchor is a copy of its own.)
 */
function remembered(key: (page: JsonObject) => SortKey): (page: JsonObject) => SortKey {
  const keys = new WeakMap<JsonObject, SortKey>();
  return (page) => {
    if (keys.has(page)) return keys.get(page) ?? null;
    const value = key(page);
    keys.set(page, value);
    return value;
  };
}

/** Newest created first, then (within one minute) the later-created first, then by id. */
function defaultOrder(options: SortOptions): PageComparator {
  const created = remembered((page) => timestampKey(page, "created_time"));
  return (a, b) => {
    const byTime = compareSortKeys(created(a), created(b), -1);
    if (byTime !== 0) return byTime;
    if (options.creationRank) {
      const byRank = options.creationRank(b) - options.creationRank(a);
      if (byRank !== 0) return byRank;
    }
    const idA = String(a.id ?? "");
    const idB = String(b.id ?? "");
    return idA < idB ? -1 : idA > idB ? 1 : 0;
  };
}
