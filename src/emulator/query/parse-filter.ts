import type { Json } from "../json.ts";
import { isArray, isObject } from "../json.ts";
import { FILTER_KEY_FAMILY } from "./condition-specs.ts";
import type { FilterNode } from "./filter-ast.ts";
import { parseCondition } from "./parse-condition.ts";
import { fixOneMissing, invalid, notPresent, oneOf } from "./validation.ts";

/**
 * Notion nests compound filters at most two levels deep: `{and: [{or: [<property filters>]}]}`
 * is the deepest shape its schema accepts.
 */
export const MAX_COMPOUND_DEPTH = 2;

const TIMESTAMPS = ["created_time", "last_edited_time"] as const;
const FILTER_KEYS = Object.keys(FILTER_KEY_FAMILY);

/**
 * Structural validation of a query's `filter`, without the schema. `path` is the body path used in
 * error messages. Throws a 400 validation_error worded as Notion's body validator words it.
 */
export function parseFilter(raw: Json, path = "filter", depth = 0): FilterNode {
  if (!isObject(raw)) throw invalid(path, "should be an object", raw);
  const compoundKey = raw.or !== undefined ? "or" : raw.and !== undefined ? "and" : undefined;
  if (compoundKey !== undefined) {
    if (depth >= MAX_COMPOUND_DEPTH) throw fixOneMissing(path, ["property", "timestamp"]);
    rejectExtraKeys(raw, path, [compoundKey]);
    const items = raw[compoundKey];
    if (!isArray(items)) throw invalid(`${path}.${compoundKey}`, "should be an array", items);
    const children = items.map((item, i) =>
      parseFilter(item, `${path}.${compoundKey}[${i}]`, depth + 1),
    );
    return { kind: compoundKey, children };
  }
  if (raw.timestamp !== undefined) return parseTimestampFilter(raw, path);
  if (raw.property === undefined) {
    throw fixOneMissing(
      path,
      depth === 0 ? ["or", "and", "property", "timestamp"] : ["property", "timestamp"],
    );
  }
  if (typeof raw.property !== "string")
    throw invalid(`${path}.property`, "should be a string", raw.property);
  const filterKey = FILTER_KEYS.find((key) => raw[key] !== undefined);
  if (filterKey === undefined) throw fixOneMissing(path, FILTER_KEYS);
  rejectExtraKeys(raw, path, ["property", "type", filterKey]);
  if (raw.type !== undefined && raw.type !== filterKey) {
    throw invalid(`${path}.type`, oneOf([filterKey]), raw.type);
  }
  const family = FILTER_KEY_FAMILY[filterKey] ?? "text";
  return {
    kind: "property",
    path,
    property: raw.property,
    filterKey,
    condition: parseCondition(family, raw[filterKey], `${path}.${filterKey}`),
  };
}

function parseTimestampFilter(raw: Record<string, Json>, path: string): FilterNode {
  const timestamp = raw.timestamp;
  if (timestamp !== "created_time" && timestamp !== "last_edited_time") {
    throw invalid(`${path}.timestamp`, oneOf(TIMESTAMPS), timestamp);
  }
  if (raw[timestamp] === undefined) throw fixOneMissing(path, [timestamp]);
  rejectExtraKeys(raw, path, ["timestamp", "type", timestamp]);
  if (raw.type !== undefined && raw.type !== timestamp) {
    throw invalid(`${path}.type`, oneOf([timestamp]), raw.type);
  }
  return {
    kind: "timestamp",
    timestamp,
    condition: parseCondition("date", raw[timestamp], `${path}.${timestamp}`),
  };
}

function rejectExtraKeys(
  raw: Record<string, Json>,
  path: string,
  allowed: readonly string[],
): void {
  const extra = Object.keys(raw).find((key) => !allowed.includes(key));
  if (extra !== undefined) throw notPresent(`${path}.${extra}`, raw[extra]);
}
