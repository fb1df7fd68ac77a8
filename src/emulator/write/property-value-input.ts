import type { Json, JsonObject } from "../json.ts";
import type { WriteContext } from "./write-context.ts";
import { richTextFromInput } from "./rich-text-input.ts";
import type { OptionKind } from "./select-options.ts";
import { resolveOption } from "./select-options.ts";
import {
  filesFromInput,
  peopleFromInput,
  referenceItems,
  relationFromInput,
} from "./reference-values.ts";
import {
  checkboxFromInput,
  dateValueFromInput,
  emailFromInput,
  numberFromInput,
  phoneFromInput,
  placeFromInput,
  urlFromInput,
  verificationFromInput,
} from "./scalar-values.ts";
import type { WritableType } from "./property-types.ts";
import { userAsPropertyValue } from "./user-values.ts";

export interface ValueInput {
  /** The key as the request spelled it (name or id), for error paths. */
  key: string;
  type: WritableType;
  raw: Json | undefined;
  /** The schema property; may be MUTATED (new select options): pass a working copy. */
  schemaProperty: JsonObject;
  /** The page's current value of this property, if any. */
  current: JsonObject | undefined;
}

export interface ValueOutput {
  /** The property value in response format: `{id, type, [type]: value}` (+ has_more for relation). */
  value: JsonObject;
  schemaChanged: boolean;
}

function options(input: ValueInput, kind: OptionKind, path: string, ctx: WriteContext) {
  return resolveOption(input.schemaProperty, kind, input.raw, path, () => ctx.newId());
}

/**
 * One request property value → its stored response form. The type already matches the schema
 * (checked by the caller). Throws NotionApiError 400 validation_error on an invalid value.
 */
export function propertyValueFromInput(input: ValueInput, ctx: WriteContext): ValueOutput {
  const { key, type, raw, schemaProperty } = input;
  const path = `properties.${key}.${type}`;
  const id = schemaProperty.id ?? null;
  const wrap = (value: Json, schemaChanged = false): ValueOutput => ({
    value: { id, type, [type]: value },
    schemaChanged,
  });
  switch (type) {
    case "title":
    case "rich_text":
      return wrap(richTextFromInput(raw, path, ctx));
    case "number":
      return wrap(numberFromInput(raw, path));
    case "checkbox":
      return wrap(checkboxFromInput(raw, path));
    case "url":
      return wrap(urlFromInput(raw, path));
    case "email":
      return wrap(emailFromInput(raw, path));
    case "phone_number":
      return wrap(phoneFromInput(raw, path));
    case "date":
      return wrap(dateValueFromInput(raw, path));
    case "place":
      return wrap(placeFromInput(raw, path));
    case "verification":
      return wrap(verificationFromInput(raw, path, userAsPropertyValue(ctx.botUser)));
    case "select":
    case "status": {
      if (raw === null) return wrap(null);
      const result = options(input, type, path, ctx);
      return wrap(result.value, result.created);
    }
    case "multi_select": {
      const items = referenceItems(raw, path);
      const seen = new Set<Json>();
      const values: JsonObject[] = [];
      let created = false;
      items.forEach((item, index) => {
        const result = resolveOption(
          schemaProperty,
          "multi_select",
          item,
          `${path}[${index}]`,
          () => ctx.newId(),
        );
        created ||= result.created;
        if (seen.has(result.value.id ?? null)) return;
        seen.add(result.value.id ?? null);
        values.push(result.value);
      });
      return wrap(values, created);
    }
    case "people":
      return wrap(peopleFromInput(raw, path, ctx));
    case "relation": {
      const relation = relationFromInput(raw, path, key, schemaProperty, ctx);
      return { value: { id, type, relation, has_more: false }, schemaChanged: false };
    }
    case "files":
      return wrap(filesFromInput(raw, path, input.current?.files));
  }
}
