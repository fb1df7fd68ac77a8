import type { ApiVersion } from "./api-versions.ts";
import { listsTitleOnly } from "./api-versions.ts";
import type { Json, JsonObject } from "./json.ts";
import { isArray, isObject } from "./json.ts";
import { cutReferences } from "./reference-cut.ts";

/** Notion cuts relation values on page objects at 25 items and says so with `has_more`. */
export const PAGE_RELATION_LIMIT = 25;

/**
 * A page as GET /v1/pages, query and search results and write answers show it: relations past 25
 * items cut with `has_more: true`, people and mentions past 25 references cut as Notion cuts them
 * (see {@link cutReferences}), optionally only some properties. Shallow: it shares untouched sub-objects with
 * the stored page, so serialise it straight away and never mutate it.
 */
export function renderPage(page: JsonObject, keep?: ReadonlySet<string>): JsonObject {
  const properties = isObject(page.properties) ? page.properties : {};
  const rendered: JsonObject = {};
  for (const [name, value] of Object.entries(properties)) {
    if (keep && !keep.has(name)) continue;
    rendered[name] = renderPropertyValue(value);
  }
  return { ...page, properties: rendered };
}

/**
 * Which properties a list answer (query, search) shows of each page when the request names none
 * with `filter_properties`: all (undefined), or under 2026-12-01 only the title. `properties` is
 * a data source's schema or a page's own values, both keyed by name with each entry's `type`.
 */
export function listedByDefault(
  version: ApiVersion,
  properties: Json | undefined,
): ReadonlySet<string> | undefined {
  if (!listsTitleOnly(version)) return undefined;
  const entries = isObject(properties) ? Object.entries(properties) : [];
  return new Set(
    entries.filter(([, entry]) => isObject(entry) && entry.type === "title").map(([name]) => name),
  );
}

function renderPropertyValue(value: Json): Json {
  if (!isObject(value)) return value;
  if (value.type !== "relation" || !isArray(value.relation)) return cutReferences(value);
  if (value.relation.length <= PAGE_RELATION_LIMIT) return { ...value, has_more: false };
  return { ...value, relation: value.relation.slice(0, PAGE_RELATION_LIMIT), has_more: true };
}

/** A Notion list envelope: `{object:"list", results, next_cursor, has_more, type, [type]: {}}`. */
export function listEnvelope(
  type: string,
  results: Json[],
  nextCursor: string | null,
  hasMore: boolean,
  typeValue: JsonObject = {},
): JsonObject {
  return {
    object: "list",
    results,
    next_cursor: nextCursor,
    has_more: hasMore,
    type,
    [type]: typeValue,
  };
}
