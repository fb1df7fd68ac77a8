import type { Family, SimpleFamily } from "./filter-ast.ts";

/** What an operator's operand must be. */
export type OperandKind =
  | "string"
  | "number"
  | "boolean"
  | "true"
  | "empty_object"
  | "string_or_strings"
  | "uuid"
  | "uuid_or_me"
  | "date"
  | "verification_state";

const EXISTENCE = { is_empty: "true", is_not_empty: "true" } as const;

/** Operators per family, in the order Notion's SDK types list them (error messages follow it). */
export const OPERATORS: Record<SimpleFamily, Readonly<Record<string, OperandKind>>> = {
  text: {
    equals: "string",
    does_not_equal: "string",
    contains: "string",
    does_not_contain: "string",
    starts_with: "string",
    ends_with: "string",
    ...EXISTENCE,
  },
  number: {
    equals: "number",
    does_not_equal: "number",
    greater_than: "number",
    less_than: "number",
    greater_than_or_equal_to: "number",
    less_than_or_equal_to: "number",
    ...EXISTENCE,
  },
  checkbox: { equals: "boolean", does_not_equal: "boolean" },
  select: { equals: "string_or_strings", does_not_equal: "string_or_strings", ...EXISTENCE },
  status: { equals: "string_or_strings", does_not_equal: "string_or_strings", ...EXISTENCE },
  multi_select: {
    contains: "string_or_strings",
    does_not_contain: "string_or_strings",
    ...EXISTENCE,
  },
  date: {
    equals: "date",
    before: "date",
    after: "date",
    on_or_before: "date",
    on_or_after: "date",
    this_week: "empty_object",
    past_week: "empty_object",
    past_month: "empty_object",
    past_year: "empty_object",
    next_week: "empty_object",
    next_month: "empty_object",
    next_year: "empty_object",
    ...EXISTENCE,
  },
  people: { contains: "uuid_or_me", does_not_contain: "uuid_or_me", ...EXISTENCE },
  files: { ...EXISTENCE },
  relation: { contains: "uuid", does_not_contain: "uuid", ...EXISTENCE },
  verification: { status: "verification_state", does_not_equal: "verification_state" },
};

/** The keys a property filter may carry, in the order of Notion's union, with their family. */
export const FILTER_KEY_FAMILY: Readonly<Record<string, Family>> = {
  title: "text",
  rich_text: "text",
  number: "number",
  checkbox: "checkbox",
  select: "select",
  multi_select: "multi_select",
  status: "status",
  date: "date",
  people: "people",
  files: "files",
  url: "text",
  email: "text",
  phone_number: "text",
  relation: "relation",
  created_by: "people",
  created_time: "date",
  last_edited_by: "people",
  last_edited_time: "date",
  formula: "formula",
  unique_id: "number",
  rollup: "rollup",
  verification: "verification",
};

/** Which family of filter a property type accepts; absent types (button, place…) accept none. */
export const PROPERTY_TYPE_FAMILY: Readonly<Record<string, Family>> = {
  title: "text",
  rich_text: "text",
  url: "text",
  email: "text",
  phone_number: "text",
  number: "number",
  unique_id: "number",
  checkbox: "checkbox",
  select: "select",
  status: "status",
  multi_select: "multi_select",
  date: "date",
  created_time: "date",
  last_edited_time: "date",
  people: "people",
  created_by: "people",
  last_edited_by: "people",
  files: "files",
  relation: "relation",
  formula: "formula",
  rollup: "rollup",
  verification: "verification",
};

/** Sub-condition keys of a formula filter and the family each holds. */
export const FORMULA_KEYS: Readonly<Record<string, SimpleFamily>> = {
  string: "text",
  checkbox: "checkbox",
  number: "number",
  date: "date",
};

/** Sub-condition keys inside a rollup's any / every / none. */
export const ROLLUP_ELEMENT_KEYS: Readonly<Record<string, SimpleFamily>> = {
  rich_text: "text",
  number: "number",
  checkbox: "checkbox",
  select: "select",
  multi_select: "multi_select",
  relation: "relation",
  date: "date",
  people: "people",
  files: "files",
  status: "status",
};
