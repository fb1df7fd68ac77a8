import type { PageObjectResponse } from "../notion/sdk-types.ts";
import { naturalValue } from "../notion/codec/index.ts";
import type { NaturalValue } from "../notion/codec/index.ts";
import { valueKeyOf } from "./view-sql.ts";

/** A page as the mirror stores it. */
export interface PageRecord {
  id: string;
  dataSourceId: string;
  createdTime: string;
  lastEditedTime: string;
  inTrash: boolean;
  url: string;
  rawJson: string;
  valuesJson: string;
  relations: Array<{ propertyId: string; position: number; targetPageId: string }>;
}

/**
 * Turns a complete page object (relations past 25 already filled in) into the mirror's row: the
 * raw JSON as Notion sent it, the natural value of each property keyed for the view, and the
 * relation rows in order.
 */
export function pageRecord(page: PageObjectResponse, dataSourceId: string): PageRecord {
  const values: Record<string, NaturalValue> = {};
  const relations: PageRecord["relations"] = [];
  const { properties } = page;
  for (const name in properties) {
    const value = properties[name];
    if (value === undefined) continue;
    values[cachedValueKey(value.id)] = cellValue(value);
    if (value.type === "relation") {
      const targets = value.relation;
      for (let position = 0; position < targets.length; position += 1) {
        const target = targets[position];
        if (target) relations.push({ propertyId: value.id, position, targetPageId: target.id });
      }
    }
  }
  return {
    id: page.id,
    dataSourceId,
    createdTime: page.created_time,
    lastEditedTime: page.last_edited_time,
    inTrash: page.in_trash,
    url: page.url,
    rawJson: JSON.stringify(page),
    valuesJson: JSON.stringify(values),
    relations,
  };
}

/**
 * valueKeyOf hashes; a pull asks for the same few property ids on every page. Bounded: a
 * workspace has some hundreds of properties, and the cache starts over past this many.
 */
const VALUE_KEY_CACHE_LIMIT = 10_000;
const valueKeys = new Map<string, string>();

function cachedValueKey(propertyId: string): string {
  let key = valueKeys.get(propertyId);
  if (key === undefined) {
    if (valueKeys.size >= VALUE_KEY_CACHE_LIMIT) valueKeys.clear();
    key = valueKeyOf(propertyId);
    valueKeys.set(propertyId, key);
  }
  return key;
}

/** The natural value, with dates always as `{start, end}` so the view's two date columns read it. */
function cellValue(value: PageObjectResponse["properties"][string]): NaturalValue {
  if (value.type === "date") {
    return value.date ? { start: value.date.start, end: value.date.end ?? null } : null;
  }
  return naturalValue(value);
}
