import type { Json, JsonObject } from "./json.ts";
import { isArray, isObject } from "./json.ts";

/** Page or person references a page object shows whole per property. */
export const PAGE_REFERENCE_LIMIT = 25;

/**
 * Notion's cut of page and person references in page objects (GET page, query and search
 * results, PATCH / POST answers): at most 25 per property.
 * - people: the list is cut after 25 (the 26th on is "not at all" there), with no marker;
 * - title / rich_text: references are counted as DISTINCT page or user ids, in order, in one
 *   budget per property (a recording shows 50 mentions of one user returned whole). Mentions of
 *   the first 25 stay whole; a mention of a 26th+ distinct page comes back as
 *   `plain_text: "Untitled"` (its `mention.page.id` and href kept), of a 26th+ distinct user as
 *   `plain_text: "@Anonymous"` with the user reduced to `{object: "user", id}` — Notion's
 *   "returned as Untitled, Anonymous, or not at all".
 * Relations have their own cut (render.ts). The property endpoint serves the stored value whole.
 *
 * Returns `value` itself when nothing is cut (never mutates it), else a shallow copy.
 */
export function cutReferences(value: JsonObject): JsonObject {
  const { type } = value;
  if (type === "people" && isArray(value.people)) {
    if (value.people.length <= PAGE_REFERENCE_LIMIT) return value;
    return { ...value, people: value.people.slice(0, PAGE_REFERENCE_LIMIT) };
  }
  if ((type === "title" || type === "rich_text") && isArray(value[type])) {
    const items = value[type];
    const cut = cutMentions(items);
    return cut === items ? value : { ...value, [type]: cut };
  }
  return value;
}

/** The rich text items with mentions past the 25th distinct reference degraded; `items` if none. */
function cutMentions(items: Json[]): Json[] {
  const kept = new Set<string>();
  let out: Json[] | undefined;
  items.forEach((item, index) => {
    const reference = referenceOf(item);
    if (reference === undefined) return;
    if (kept.has(reference.id)) return;
    if (kept.size < PAGE_REFERENCE_LIMIT) {
      kept.add(reference.id);
      return;
    }
    out ??= items.slice();
    out[index] = degraded(item as JsonObject, reference);
  });
  return out ?? items;
}

interface Reference {
  kind: "page" | "user";
  id: string;
}

function referenceOf(item: Json): Reference | undefined {
  if (!isObject(item) || item.type !== "mention" || !isObject(item.mention)) return undefined;
  const { mention } = item;
  const kind = mention.type;
  if (kind !== "page" && kind !== "user") return undefined;
  const target = mention[kind];
  return isObject(target) && typeof target.id === "string" ? { kind, id: target.id } : undefined;
}

function degraded(item: JsonObject, reference: Reference): JsonObject {
  if (reference.kind === "page") {
    return { ...item, plain_text: "Untitled" };
  }
  return {
    ...item,
    mention: { type: "user", user: { object: "user", id: reference.id } },
    plain_text: "@Anonymous",
  };
}
