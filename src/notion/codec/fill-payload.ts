import type { FillOptions, FillTargetProperty } from "./fill-context.ts";
import { refuse } from "./fill-context.ts";
import { fillDate } from "./fill-date.ts";
import { fillMultiSelect, fillOption } from "./fill-options.ts";
import { fillFiles, fillPeople, fillRelation } from "./fill-references.ts";
import { fillCheckbox, fillNumber, fillPlace, fillString } from "./fill-scalars.ts";
import { fillText } from "./fill-text.ts";
import type { PayloadResult } from "./types.ts";
import { isWritableType } from "./writable-types.ts";

/**
 * Converts a fill rule's NATURAL value (see {@link naturalValue}) into the PATCH payload for a
 * property of `type`, checking it as Notion would and more strictly where Notion would silently
 * do something else. Never throws; a refusal's reason is a sentence naming the property, the
 * expected form and the value, e.g. `expected an option name of status "Phase status" (one of:
 * Not started, Active, Complete), got 42`.
 *
 * Accepted per type (a JSON array / object may also come as its text, as SQLite's JSON
 * functions return it):
 * - title / rich_text: non-blank text (or a finite number), split into text objects of ≤ 2000
 *   characters, ≤ 100 of them
 * - number: a finite number, or text that is exactly one
 * - checkbox: true / false / 1 / 0
 * - select / status: an existing option name (select: any valid name with `allowNewOption`)
 * - multi_select: option names, in order, no repeats, ≤ 100
 * - date: "YYYY-MM-DD", an ISO date-time, or `{start, end?, time_zone?}`
 * - relation / people: page / user ids (dashed or not), in order, no repeats, ≤ 100
 * - files: external http(s) URLs or `{url, name?}`, ≤ 100
 * - url / email / phone_number: non-blank text within 2000 / 200 / 200 characters
 * - place: `{lat, lon, name?, address?}`
 * Refused: null and empty values (a fill puts a value), and every type that is not writable.
 *
 * select / status / multi_select options the schema has are sent by option ID (the rule speaks
 * names; the id is what the name meant when the plan was made, and Notion never creates an option
 * from an id, even if the option is renamed or removed mid-push); only a new option a rule allows
 * goes by name. Revert sends option ids too (see {@link restorePayload}).
 *
 * @example fillPayload("number", { name: "Budget", type: "number" }, "12.5") // { ok: true, payload: { number: 12.5 } }
 */
export function fillPayload(
  type: string,
  schemaProperty: FillTargetProperty,
  natural: unknown,
  options: FillOptions = {},
): PayloadResult {
  const ctx = { property: schemaProperty, options };
  const name = `"${schemaProperty.name}"`;
  if (schemaProperty.type !== type) {
    return refuse(`property ${name} is a ${schemaProperty.type} in the schema, not a ${type}`);
  }
  if (!isWritableType(type)) {
    return refuse(
      `property ${name} is a ${type}: Notion computes it or it is read-only, so it cannot be filled`,
    );
  }
  switch (type) {
    case "title":
    case "rich_text":
      return fillText(type, natural, ctx);
    case "number":
      return fillNumber(natural, ctx);
    case "checkbox":
      return fillCheckbox(natural, ctx);
    case "url":
    case "email":
    case "phone_number":
      return fillString(type, natural, ctx);
    case "select":
    case "status":
      return fillOption(type, natural, ctx);
    case "multi_select":
      return fillMultiSelect(natural, ctx);
    case "date":
      return fillDate(natural, ctx);
    case "relation":
      return fillRelation(natural, ctx);
    case "people":
      return fillPeople(natural, ctx);
    case "files":
      return fillFiles(natural, ctx);
    case "place":
      return fillPlace(natural, ctx);
    default:
      return refuse(`property ${name} is a ${type}, which notion-mirror cannot fill`);
  }
}
