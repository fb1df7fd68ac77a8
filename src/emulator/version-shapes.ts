import type { ApiVersion } from "./api-versions.ts";
import { allowsNullNames, carriesArchived } from "./api-versions.ts";
import type { Json, JsonObject } from "./json.ts";
import { isArray, isObject } from "./json.ts";

/** The objects whose trash flag Notion answers as `in_trash` (and, before 2026-03-11, `archived`). */
const TRASHABLE = new Set(["page", "database", "data_source", "block"]);

/**
 * An answer body as Notion of `version` shows it (see SERVED_VERSIONS for the differences): the
 * trash flag of each page, database and data source in it (the body itself, or the results of a
 * list), and, where the workspace holds a person without a name (`namelessPeople`), that
 * person's `name` wherever a user object shows it. Stored objects are never changed: what
 * differs is copied, the rest shared, so serialise the answer straight away.
 */
export function shapeForVersion(
  body: JsonObject,
  version: ApiVersion,
  namelessPeople: boolean,
): JsonObject {
  let shaped = body;
  const listed = body.results;
  if (isArray(listed)) {
    const results = listed.map((item) => (isObject(item) ? trashFlag(item, version) : item));
    if (results.some((item, index) => item !== listed[index])) shaped = { ...body, results };
  } else {
    shaped = trashFlag(body, version);
  }
  if (!namelessPeople) return shaped;
  const named = personNames(shaped, allowsNullNames(version) ? null : "");
  return isObject(named) ? named : shaped;
}

/**
 * The stored object with `archived` as its version has it: equal to `in_trash` under 2025-09-03
 * (added when a seed made from a newer answer lacks it), absent from 2026-03-11 on.
 */
function trashFlag(object: JsonObject, version: ApiVersion): JsonObject {
  if (!TRASHABLE.has(String(object.object)) || typeof object.in_trash !== "boolean") return object;
  if (carriesArchived(version)) {
    return object.archived === object.in_trash ? object : { ...object, archived: object.in_trash };
  }
  if (!Object.hasOwn(object, "archived")) return object;
  const copy = { ...object };
  delete copy.archived;
  return copy;
}

/**
 * `value` with every person user object that has no name (`null` or `""`) showing `name` as
 * `empty`; the same reference where nothing changes.
 */
function personNames(value: Json, empty: null | ""): Json {
  if (isArray(value)) {
    const items = value.map((item) => personNames(item, empty));
    return items.some((item, index) => item !== value[index]) ? items : value;
  }
  if (!isObject(value)) return value;
  let copy: JsonObject | undefined;
  for (const [key, child] of Object.entries(value)) {
    const next = personNames(child, empty);
    if (next !== child) (copy ??= { ...value })[key] = next;
  }
  const object = copy ?? value;
  const nameless = object.name === null || object.name === "";
  if (object.object === "user" && object.type === "person" && nameless && object.name !== empty)
    return { ...object, name: empty };
  return object;
}
