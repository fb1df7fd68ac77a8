import type { Json, JsonObject } from "../json.ts";
import { isObject } from "../json.ts";
import { isEmptyPropertyValue } from "../write/empty-values.ts";

/**
 * The rollup functions the emulator computes from the related pages' values. Every other one
 * (count_values, unique, show_unique, the percentages, dates, per-group counts) keeps the value
 * the rollup was seeded with: its exact rules are Notion's.
 */
export const COMPUTED_ROLLUP_FUNCTIONS = [
  "count",
  "empty",
  "not_empty",
  "sum",
  "average",
  "median",
  "min",
  "max",
  "range",
  "checked",
  "unchecked",
  "show_original",
] as const;

type Computed = (typeof COMPUTED_ROLLUP_FUNCTIONS)[number];

function isComputed(fn: string): fn is Computed {
  return (COMPUTED_ROLLUP_FUNCTIONS as readonly string[]).includes(fn);
}

/**
 * A rollup's value (`properties[name].rollup`) from the rolled-up property's value on each related
 * page, in relation order (undefined for a page or property the workspace does not have: then
 * nothing is computed). Number functions read numbers, number formulas and number rollups,
 * skipping empty ones (a sum of nothing is 0, any other figure of nothing is empty); checked /
 * unchecked read checkboxes and boolean formulas; show_original lists the values as they are.
 * Returns undefined when `fn` is not one it computes or a value is of a type it does not fit.
 */
export function rollupValue(
  fn: string,
  values: ReadonlyArray<JsonObject | undefined>,
): JsonObject | undefined {
  if (!isComputed(fn)) return undefined;
  const present = values.filter((value): value is JsonObject => value !== undefined);
  if (present.length !== values.length) return undefined;
  const number = (value: number | null): JsonObject => ({
    type: "number",
    number: value,
    function: fn,
  });
  switch (fn) {
    case "count":
      return number(present.length);
    case "empty":
    case "not_empty": {
      const empty = present.filter(isEmptyPropertyValue).length;
      return number(fn === "empty" ? empty : present.length - empty);
    }
    case "checked":
    case "unchecked": {
      const flags = present.map(booleanOf);
      if (flags.some((flag) => flag === undefined)) return undefined;
      return number(flags.filter((flag) => flag === (fn === "checked")).length);
    }
    case "show_original":
      return { type: "array", array: present.map(arrayItem), function: fn };
    default: {
      const read = present.map(numberOf);
      if (read.some((value) => value === undefined)) return undefined;
      const numbers = read.filter((value): value is number => typeof value === "number");
      return number(figure(fn, numbers));
    }
  }
}

function figure(fn: "sum" | "average" | "median" | "min" | "max" | "range", numbers: number[]) {
  if (fn === "sum") return numbers.reduce((total, value) => total + value, 0);
  if (numbers.length === 0) return null;
  const sorted = [...numbers].sort((a, b) => a - b);
  const low = sorted[0] ?? 0;
  const high = sorted[sorted.length - 1] ?? 0;
  switch (fn) {
    case "average":
      return numbers.reduce((total, value) => total + value, 0) / numbers.length;
    case "median": {
      const middle = Math.floor(sorted.length / 2);
      return sorted.length % 2 === 1
        ? (sorted[middle] ?? 0)
        : ((sorted[middle - 1] ?? 0) + (sorted[middle] ?? 0)) / 2;
    }
    case "min":
      return low;
    case "max":
      return high;
    case "range":
      return high - low;
  }
}

/** A number, null for an empty one, undefined for a value that is not a number at all. */
function numberOf(value: JsonObject): number | null | undefined {
  const inner = value[String(value.type)];
  if (value.type === "number") return typeof inner === "number" ? inner : null;
  if ((value.type === "formula" || value.type === "rollup") && isObject(inner)) {
    if (inner.type !== "number") return undefined;
    return typeof inner.number === "number" ? inner.number : null;
  }
  return undefined;
}

function booleanOf(value: JsonObject): boolean | undefined {
  if (value.type === "checkbox") return value.checkbox === true;
  const inner = value.formula;
  if (value.type === "formula" && isObject(inner) && inner.type === "boolean")
    return inner.boolean === true;
  return undefined;
}

/** An item of an array rollup: the value without its property id (and a relation's has_more). */
function arrayItem(value: JsonObject): Json {
  const type = String(value.type);
  return { type, [type]: value[type] ?? null };
}
