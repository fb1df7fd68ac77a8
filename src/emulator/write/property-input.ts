import { bodyValidationError, validationError } from "../errors.ts";
import type { Json, JsonObject } from "../json.ts";
import { normalizeId } from "../ids.ts";
import { cloneJson, isObject } from "../json.ts";
import type { WriteContext } from "./write-context.ts";
import type { NewPageMeta } from "./empty-values.ts";
import { emptyPropertyValue } from "./empty-values.ts";
import { expectedTypeMessage, fixOneError, notAPropertyMessage, notAnObject } from "./messages.ts";
import { propertyValueFromInput } from "./property-value-input.ts";
import { findSchemaProperty } from "./property-key.ts";
import type { WritableType } from "./property-types.ts";
import { WRITABLE_TYPES, isWritableType } from "./property-types.ts";
import { userAsPropertyValue } from "./user-values.ts";

export interface ApplyResult {
  /** The page's new `properties`, keyed by property name, in response format (relations in full). */
  properties: JsonObject;
  /** True when select / multi_select options were added to `ctx.schema`. */
  schemaChanged: boolean;
}

/** Who and when, for a page write that should also move last_edited_time / last_edited_by. */
export interface EditStamp {
  /** ISO time rounded to the minute. */
  time: string;
  /** A user object or `{object:"user", id}` reference; defaults to the integration's bot user. */
  by?: JsonObject;
}

interface PlannedWrite {
  key: string;
  name: string;
  type: WritableType;
  raw: Json | undefined;
}

/** The type a request value is written as: its `type`, else the first writable type key it has. */
function requestedType(key: string, value: Json): WritableType {
  const path = `properties.${key}`;
  if (!isObject(value)) throw notAnObject(path, value);
  if (typeof value.type === "string" && isWritableType(value.type)) {
    if (value[value.type] === undefined) {
      throw bodyValidationError(`${path}.${value.type}`, "should be defined", undefined);
    }
    return value.type;
  }
  const found = WRITABLE_TYPES.find((type) => value[type] !== undefined);
  if (found === undefined) throw fixOneError(path, WRITABLE_TYPES);
  return found;
}

/**
 * Checks the whole request before anything is converted, in Notion's order: first the shape of
 * every value (a formula / rollup / created_* value matches no writable shape: "Fix one"), then
 * names and types, whose messages Notion joins into one ("Genre is expected to be multi_select.
 * Status is not a property that exists.").
 */
function planWrites(input: Json, schema: JsonObject): PlannedWrite[] {
  if (!isObject(input)) throw notAnObject("properties", input);
  const requested = Object.entries(input).map(([key, raw]) => ({
    key,
    raw,
    type: requestedType(key, raw),
  }));
  const problems: string[] = [];
  const plans: PlannedWrite[] = [];
  for (const { key, raw, type } of requested) {
    const found = findSchemaProperty(schema, key);
    if (!found) {
      problems.push(notAPropertyMessage(key));
      continue;
    }
    if (found.property.type !== type) {
      problems.push(expectedTypeMessage(key, String(found.property.type)));
      continue;
    }
    plans.push({ key, name: found.name, type, raw: isObject(raw) ? raw[type] : undefined });
  }
  if (problems.length > 0) throw validationError(problems.join(" "));
  return plans;
}

/** Sets `properties[name]`, dropping any entry that holds the same property under an old name. */
function put(properties: JsonObject, name: string, value: JsonObject): void {
  for (const [key, existing] of Object.entries(properties)) {
    if (key !== name && isObject(existing) && existing.id === value.id) delete properties[key];
  }
  properties[name] = value;
}

function stampEdit(
  properties: JsonObject,
  schema: JsonObject,
  edit: EditStamp,
  ctx: WriteContext,
): void {
  for (const [name, property] of Object.entries(schema)) {
    if (!isObject(property)) continue;
    const id = property.id ?? null;
    if (property.type === "last_edited_time") {
      put(properties, name, { id, type: "last_edited_time", last_edited_time: edit.time });
    } else if (property.type === "last_edited_by") {
      put(properties, name, {
        id,
        type: "last_edited_by",
        last_edited_by: userAsPropertyValue(resolveAuthor(edit.by, ctx)),
      });
    }
  }
}

/**
 * Applies the `properties` of a `PATCH /v1/pages/{id}` body to a page's current `properties`.
 * Keys may be property names or ids; values are Notion request values. Returns the complete new
 * `properties` (response format, relations untruncated with has_more false); `current` is never
 * mutated, and `ctx.schema` gains select / multi_select options only when the whole write succeeds.
 * With `edit`, last_edited_time / last_edited_by properties are moved too.
 *
 * Throws NotionApiError 400 validation_error, worded as Notion words it, for: an unknown property
 * ("X is not a property that exists."), a value of another type ("X is expected to be T."), a
 * read-only property (formula, rollup, created_*, last_edited_*, unique_id, button: "Fix one"),
 * and any invalid value (limits, unknown status, commas in select names, unknown users/pages…).
 * Trashed pages are the caller's business (ARCHIVED_BLOCK_MESSAGE).
 *
 * @example applyPropertyInput(page.properties, { Done: { checkbox: true } }, ctx)
 */
export function applyPropertyInput(
  current: JsonObject,
  input: Json,
  ctx: WriteContext,
  edit?: EditStamp,
): ApplyResult {
  const workingSchema = cloneJson(ctx.schema);
  const plans = planWrites(input, workingSchema);
  const properties = cloneJson(current);
  const workingCtx: WriteContext = { ...ctx, schema: workingSchema };
  let schemaChanged = false;
  for (const plan of plans) {
    const schemaProperty = workingSchema[plan.name];
    if (!isObject(schemaProperty)) continue;
    const existing = properties[plan.name];
    const result = propertyValueFromInput(
      {
        key: plan.key,
        type: plan.type,
        raw: plan.raw,
        schemaProperty,
        current: isObject(existing) ? existing : undefined,
      },
      workingCtx,
    );
    schemaChanged ||= result.schemaChanged;
    put(properties, plan.name, result.value);
  }
  if (edit) stampEdit(properties, workingSchema, edit, ctx);
  if (schemaChanged) {
    for (const [name, property] of Object.entries(workingSchema)) ctx.schema[name] = property;
  }
  return { properties, schemaChanged };
}

/** The full user behind a user reference, as created_by shows it. */
function resolveAuthor(reference: JsonObject | undefined, ctx: WriteContext): JsonObject {
  if (!reference) return ctx.botUser;
  const id = typeof reference.id === "string" ? normalizeId(reference.id) : null;
  return (id !== null ? ctx.findUser(id) : undefined) ?? reference;
}

/**
 * The `properties` of a new page in a data source (`POST /v1/pages`): every schema property at
 * the value Notion gives an unfilled page (see emptyPropertyValue: status at its default option,
 * checkbox false, relation [] with has_more false, created_* from `meta`…), then `input` applied
 * as by applyPropertyInput (`input` undefined or null = nothing to apply). Same errors and the
 * same schema contract as applyPropertyInput. Property order follows the schema.
 */
export function newPageProperties(
  input: Json | undefined,
  ctx: WriteContext,
  meta: NewPageMeta,
): ApplyResult {
  const author = resolveAuthor(meta.createdBy, ctx);
  const empty: JsonObject = {};
  for (const [name, property] of Object.entries(ctx.schema)) {
    if (isObject(property)) empty[name] = emptyPropertyValue(property, meta, author);
  }
  if (input === undefined || input === null) return { properties: empty, schemaChanged: false };
  return applyPropertyInput(empty, input, ctx);
}
