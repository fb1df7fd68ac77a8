import type { DateWindow, Interval, RelativeDate } from "./date-values.ts";

/**
 * A filter after structural validation, before it is bound to a schema. Property filters keep the
 * property as written (name or id) and their filter key (`rich_text`, `select`, …); binding checks
 * both against the data source.
 */
export type FilterNode =
  | { kind: "and" | "or"; children: FilterNode[] }
  | { kind: "property"; path: string; property: string; filterKey: string; condition: Condition }
  | { kind: "timestamp"; timestamp: "created_time" | "last_edited_time"; condition: Condition };

/**
 * Conditions are grouped by the value they read, not by property type: `title`, `rich_text`,
 * `url`, `email` and `phone_number` filters all hold a "text" condition, `unique_id` a "number".
 */
export type Family =
  | "text"
  | "number"
  | "checkbox"
  | "select"
  | "status"
  | "multi_select"
  | "date"
  | "people"
  | "files"
  | "relation"
  | "formula"
  | "rollup"
  | "verification";

export type SimpleFamily = Exclude<Family, "formula" | "rollup">;

export type DateOperand = { relative: RelativeDate } | { interval: Interval };

/** The operand of one operator; which kind depends on the family and operator. */
export type OperandValue =
  string | number | boolean | readonly string[] | DateOperand | DateWindow | null;

export type Condition =
  | { family: SimpleFamily; op: string; value: OperandValue }
  | { family: "formula"; sub: Condition }
  | { family: "rollup"; quantifier: "any" | "every" | "none" | "value"; sub: Condition };
