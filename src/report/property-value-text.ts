import { naturalValue } from "../notion/codec/index.ts";
import type { PropertyValue } from "../notion/codec/index.ts";
import { valueInPeoplesTerms } from "./peoples-terms.ts";
import type { ValueNames } from "./value-names.ts";
import { valueText } from "./value-text.ts";

const isPropertyValue = (value: unknown): value is PropertyValue =>
  typeof value === "object" && value !== null && !Array.isArray(value) && "type" in value;

/** The names a people value carries itself (Notion sends a person's name with the value). */
function carriedNames(value: PropertyValue, names: ValueNames): ValueNames {
  if (value.type !== "people") return names;
  const carried = new Map<string, string>();
  for (const person of value.people)
    if ("name" in person && typeof person.name === "string" && person.name !== "")
      carried.set(person.id, person.name);
  return {
    pageTitle: (id) => names.pageTitle(id),
    userName: (id) => names.userName(id) ?? carried.get(id),
  };
}

/**
 * A value as Notion holds it (a page property, as snapshots and runs store it) in people's terms,
 * as `plan` shows values: related pages by title and people by name (id after), dates readable.
 * A name the mirror does not know is taken from the value itself when it carries one (people);
 * otherwise the id alone. Anything that is not a property value is shown as {@link valueText}
 * shows it. Never throws.
 *
 * @example propertyValueText({ type: "relation", relation: [{ id }], … }, names) // "Atlas Platform (14c4…)"
 */
export function propertyValueText(value: unknown, names: ValueNames): string {
  if (!isPropertyValue(value)) return valueText(value);
  return valueInPeoplesTerms(value.type, naturalValue(value), carriedNames(value, names));
}
