import { validationError } from "../errors.ts";
import type { Json, JsonObject } from "../json.ts";
import { isArray, isObject } from "../json.ts";
import { readPageRequest, slicePage, invalidCursor } from "../pagination.ts";
import { listEnvelope } from "../render.ts";
import type { ApiRequest, ApiResult } from "./context.ts";
import { ok, pathId, requirePage } from "./context.ts";

/** Types whose values the property endpoint pages through item by item. */
const LIST_TYPES = new Set(["title", "rich_text", "relation", "people", "rollup"]);

/**
 * GET /v1/pages/{id}/properties/{property_id}: the complete value of one property, past the 25
 * items a page object shows. Lists come as paginated property items (cursor: the position of the
 * next item); other types as one property item.
 */
export function getPageProperty(request: ApiRequest): ApiResult {
  const id = pathId(request, "page_id");
  const page = requirePage(request, id);
  const rawPropertyId = request.params.property_id ?? "";
  const found = findProperty(page, rawPropertyId);
  if (!found) {
    throw validationError(`Could not find property with id: ${safeDecode(rawPropertyId)}`);
  }
  const { value } = found;
  const type = String(value.type);
  const propertyId = String(value.id);
  if (!LIST_TYPES.has(type)) {
    return ok({ object: "property_item", type, id: propertyId, [type]: value[type] ?? null });
  }

  const { pageSize, startCursor } = readPageRequest(
    request.query.get("page_size") ?? undefined,
    request.query.get("start_cursor") ?? undefined,
    "query",
  );
  const { items, summary } = listItems(type, value);
  const start = startCursor === undefined ? 0 : Number(startCursor);
  if (!Number.isInteger(start) || start < 0 || start > items.length) {
    throw invalidCursor(startCursor ?? "");
  }
  const slice = slicePage(items, start, pageSize, (_item, index) => String(index));
  const results = slice.results.map((item) => ({
    object: "property_item",
    type,
    id: propertyId,
    [type]: item,
  }));
  const nextUrl = slice.hasMore
    ? `${request.baseUrl}/v1/pages/${id}/properties/${encodeURIComponent(safeDecode(propertyId))}?start_cursor=${slice.nextCursor}`
    : null;
  return ok(
    listEnvelope("property_item", results, slice.nextCursor, slice.hasMore, {
      id: propertyId,
      next_url: nextUrl,
      type,
      [type]: summary,
    }),
  );
}

function listItems(type: string, value: JsonObject): { items: Json[]; summary: Json } {
  const content = value[type];
  if (type !== "rollup") return { items: isArray(content) ? content : [], summary: {} };
  // A rollup pages through the items of an array rollup; its computed value rides in property_item.
  if (isObject(content) && content.type === "array" && isArray(content.array)) {
    return { items: content.array, summary: { ...content, array: [] } };
  }
  return { items: [], summary: content ?? null };
}

function findProperty(
  page: JsonObject,
  rawId: string,
): { name: string; value: JsonObject } | undefined {
  const wanted = safeDecode(rawId);
  const properties = isObject(page.properties) ? page.properties : {};
  for (const [name, value] of Object.entries(properties)) {
    if (isObject(value) && (value.id === rawId || safeDecode(String(value.id)) === wanted)) {
      return { name, value };
    }
  }
  return undefined;
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}
