import type { PropertyType } from "./types.ts";

/**
 * The property types notion-mirror may write (fill, and restore on revert). Everything else is
 * computed by Notion (formula, rollup, unique_id, created_*, last_edited_*), has no value
 * (button), or cannot be put back as it was: a verification records who verified it, and an
 * integration writing it would become that person.
 */
export const WRITABLE_TYPES: ReadonlySet<PropertyType> = new Set<PropertyType>([
  "title",
  "rich_text",
  "number",
  "select",
  "multi_select",
  "status",
  "date",
  "people",
  "files",
  "checkbox",
  "url",
  "email",
  "phone_number",
  "relation",
  "place",
]);

/**
 * True when notion-mirror can write properties of this type. Accepts any string so that a type
 * read from the mirror (or one Notion adds later) is simply "not writable".
 *
 * @example isWritableType("status") // true
 * @example isWritableType("formula") // false
 */
export function isWritableType(type: string): type is PropertyType {
  return (WRITABLE_TYPES as ReadonlySet<string>).has(type);
}
