import type { NotionApiError } from "../errors.ts";
import { validationError } from "../errors.ts";
import type { Json, JsonObject } from "../json.ts";
import { isObject } from "../json.ts";
import { FILTER_KEY_FAMILY, PROPERTY_TYPE_FAMILY } from "./condition-specs.ts";
import type { EvaluationContext } from "./evaluate-condition.ts";
import { evaluate } from "./evaluate-condition.ts";
import type { FilterNode } from "./filter-ast.ts";
import { parseFilter } from "./parse-filter.ts";
import { findProperty } from "./property-lookup.ts";

export type PagePredicate = (page: JsonObject) => boolean;

export interface FilterOptions {
  /** Id of the user that `"me"` means in people filters (the integration's bot user). */
  me?: string;
}

/**
 * Compiles the `filter` of `POST /v1/data_sources/{id}/query` into a predicate over page objects
 * (as GET /v1/pages returns them). `schema` is the data source's `properties`; `now` anchors the
 * relative date conditions (`past_week`, `"today"`…). An absent or null filter matches every page.
 *
 * Throws NotionApiError 400 validation_error, before looking at any page, for a malformed filter,
 * an unknown property, or a condition that does not fit the property's type.
 *
 * @example
 *   const keep = compileFilter({ property: "Name", title: { contains: "bridge" } }, schema, now);
 *   const hits = pages.filter(keep);
 */
export function compileFilter(
  filter: Json | undefined,
  schema: JsonObject,
  now: Date,
  options: FilterOptions = {},
): PagePredicate {
  if (filter === undefined || filter === null) return () => true;
  const context: EvaluationContext = { now, ...(options.me ? { me: options.me } : {}) };
  return bind(parseFilter(filter), schema, context);
}

function bind(node: FilterNode, schema: JsonObject, context: EvaluationContext): PagePredicate {
  switch (node.kind) {
    case "and": {
      const children = node.children.map((child) => bind(child, schema, context));
      return (page) => children.every((child) => child(page));
    }
    case "or": {
      // An empty `or` has no alternatives to fail; like an empty `and` it filters nothing out.
      if (node.children.length === 0) return () => true;
      const children = node.children.map((child) => bind(child, schema, context));
      return (page) => children.some((child) => child(page));
    }
    case "timestamp": {
      const { timestamp, condition } = node;
      return (page) => evaluate(condition, timestampValue(page, timestamp), context);
    }
    case "property": {
      const property = findProperty(schema, node.property);
      if (!property) {
        throw validationError(`Could not find property with name or id: ${node.property}`);
      }
      const accepted = PROPERTY_TYPE_FAMILY[property.type];
      if (accepted === undefined || accepted !== FILTER_KEY_FAMILY[node.filterKey]) {
        throw typeMismatch(property.type, node.filterKey);
      }
      const { condition } = node;
      return (page) =>
        evaluate(condition, propertyValue(page, property.name, property.type), context);
    }
  }
}

function typeMismatch(propertyType: string, filterKey: string): NotionApiError {
  return validationError(
    "The property type in the database does not match the property type of the filter provided: " +
      `database property ${propertyType} does not match filter ${filterKey}`,
  );
}

function timestampValue(
  page: JsonObject,
  timestamp: "created_time" | "last_edited_time",
): JsonObject {
  return { type: timestamp, [timestamp]: page[timestamp] ?? null };
}

/** The page's value of a property; timestamps fall back to the page's own fields. */
function propertyValue(page: JsonObject, name: string, type: string): JsonObject | undefined {
  const properties = isObject(page.properties) ? page.properties : {};
  const value = properties[name];
  if (isObject(value)) return value;
  if (type === "created_time" || type === "last_edited_time") return timestampValue(page, type);
  if (type === "created_by" || type === "last_edited_by")
    return { type, [type]: page[type] ?? null };
  return undefined;
}
