import { validationError } from "../errors.ts";
import type { JsonObject } from "../json.ts";
import { isObject } from "../json.ts";
import { findProperty } from "./property-lookup.ts";

/**
 * Resolves the `filter_properties` query parameter (property ids or names) to the NAMES of the
 * properties to keep, which is how page objects key their properties. Throws NotionApiError 400
 * validation_error for a value that names no property of the schema.
 *
 * @example
 *   const keep = parseFilterProperties(url.searchParams.getAll("filter_properties"), schema);
 *   results = results.map((page) => projectProperties(page, keep));
 */
export function parseFilterProperties(values: readonly string[], schema: JsonObject): Set<string> {
  const keep = new Set<string>();
  for (const value of values) {
    const property = findProperty(schema, value);
    if (!property) throw validationError(`Could not find property with name or id: ${value}`);
    keep.add(property.name);
  }
  return keep;
}

/** A shallow copy of the page whose `properties` holds only the kept ones; the input is untouched. */
export function projectProperties(page: JsonObject, keep: ReadonlySet<string>): JsonObject {
  const properties = isObject(page.properties) ? page.properties : {};
  const kept: JsonObject = {};
  for (const [name, value] of Object.entries(properties)) {
    if (keep.has(name)) kept[name] = value;
  }
  return { ...page, properties: kept };
}
