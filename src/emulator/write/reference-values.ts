import { bodyValidationError, validationError } from "../errors.ts";
import { normalizeId } from "../ids.ts";
import type { Json, JsonObject } from "../json.ts";
import { isArray, isObject } from "../json.ts";
import type { WriteContext } from "./write-context.ts";
import { notAString, notAUuid, notAnArray, notAnObject, tooLong } from "./messages.ts";
import { LIMITS } from "./property-limits.ts";
import { userAsPropertyValue } from "./user-values.ts";

/** The items of a reference array, refused when not an array or over 100 items. */
export function referenceItems(raw: Json | undefined, path: string): Json[] {
  if (!isArray(raw)) throw notAnArray(path, raw);
  if (raw.length > LIMITS.referenceItems) throw tooLong(path, LIMITS.referenceItems, raw.length);
  return raw;
}

function itemId(item: Json, path: string): string {
  if (!isObject(item)) throw notAnObject(path, item);
  const id = typeof item.id === "string" ? normalizeId(item.id) : null;
  if (id === null) throw notAUuid(`${path}.id`, item.id);
  return id;
}

/**
 * people: `[{id, object?:"user"}]` → the users as Notion renders them on pages, in request order,
 * a repeated user kept once. Unknown users and groups (not modelled) are refused.
 */
export function peopleFromInput(
  raw: Json | undefined,
  path: string,
  ctx: WriteContext,
): JsonObject[] {
  const seen = new Set<string>();
  const out: JsonObject[] = [];
  referenceItems(raw, path).forEach((item, index) => {
    const id = itemId(item, `${path}[${index}]`);
    if (isObject(item) && item.object !== undefined && item.object !== "user") {
      throw bodyValidationError(`${path}[${index}].object`, 'should be `"user"`', item.object);
    }
    const user = ctx.findUser(id);
    if (!user) throw validationError(`Could not find user with ID: ${id}.`);
    if (seen.has(id)) return;
    seen.add(id);
    out.push(userAsPropertyValue(user));
  });
  return out;
}

/**
 * relation: `[{id}]` → `[{id}]` in request order, a repeated page kept once. Every target must be
 * a page of the relation's data source (`schema relation.data_source_id`), else 400.
 */
export function relationFromInput(
  raw: Json | undefined,
  path: string,
  key: string,
  schemaProperty: JsonObject,
  ctx: WriteContext,
): JsonObject[] {
  const config = isObject(schemaProperty.relation) ? schemaProperty.relation : {};
  const target =
    typeof config.data_source_id === "string" ? normalizeId(config.data_source_id) : null;
  const seen = new Set<string>();
  const out: JsonObject[] = [];
  referenceItems(raw, path).forEach((item, index) => {
    const id = itemId(item, `${path}[${index}]`);
    const page = ctx.findPage(id);
    const source = page ? ctx.pageDataSourceId(page) : undefined;
    if (!page || (target !== null && (source === undefined || normalizeId(source) !== target))) {
      throw validationError(
        `Relation page ${id} could not be found in the data source related by ${key}.`,
      );
    }
    if (seen.has(id)) return;
    seen.add(id);
    out.push({ id });
  });
  return out;
}

/**
 * files: `[{name, external:{url}}]` → `[{name, type:"external", external:{url}}]`. A Notion-hosted
 * `{name, file:{url}}` is accepted only when it is already in the property (re-sending the value
 * read from Notion); uploads are not modelled.
 */
export function filesFromInput(
  raw: Json | undefined,
  path: string,
  current: Json | undefined,
): JsonObject[] {
  if (!isArray(raw)) throw notAnArray(path, raw);
  const existing = isArray(current) ? current.filter(isObject) : [];
  return raw.map((item, index): JsonObject => {
    const at = `${path}[${index}]`;
    if (!isObject(item)) throw notAnObject(at, item);
    if (typeof item.name !== "string") throw notAString(`${at}.name`, item.name);
    const name = item.name;
    const kind =
      typeof item.type === "string" ? item.type : item.external !== undefined ? "external" : "file";
    if (kind === "external") {
      const external = item.external;
      if (!isObject(external)) throw notAnObject(`${at}.external`, external);
      if (typeof external.url !== "string") throw notAString(`${at}.external.url`, external.url);
      return { name, type: "external", external: { url: external.url } };
    }
    if (kind === "file") {
      const file = item.file;
      if (!isObject(file)) throw notAnObject(`${at}.file`, file);
      const url = file.url;
      const known = existing.find((entry) => isObject(entry.file) && entry.file.url === url);
      if (!known || !isObject(known.file)) {
        throw validationError(
          `body failed validation: body.${at}.file.url is not a file of this property.`,
        );
      }
      return { name, type: "file", file: known.file };
    }
    throw bodyValidationError(`${at}.type`, 'should be `"file"` or `"external"`', item.type);
  });
}
