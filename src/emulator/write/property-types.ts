/**
 * The property types a page write may set, in the order Notion lists them when a value matches
 * none of them ("body failed validation. Fix one: …").
 */
export const WRITABLE_TYPES = [
  "title",
  "rich_text",
  "number",
  "url",
  "select",
  "multi_select",
  "people",
  "email",
  "phone_number",
  "date",
  "checkbox",
  "relation",
  "files",
  "status",
  "place",
  "verification",
] as const;

export type WritableType = (typeof WRITABLE_TYPES)[number];

export function isWritableType(type: string): type is WritableType {
  return (WRITABLE_TYPES as readonly string[]).includes(type);
}

/** Colors a select / multi_select / status option may have (no background variants). */
export const OPTION_COLORS = [
  "default",
  "gray",
  "brown",
  "orange",
  "yellow",
  "green",
  "blue",
  "purple",
  "pink",
  "red",
] as const;

/** Colors a rich text annotation may have. */
export const ANNOTATION_COLORS = [
  ...OPTION_COLORS,
  ...OPTION_COLORS.map((color) => `${color}_background`),
] as const;
