import { normalizeId } from "../ids.ts";
import type { Json } from "../json.ts";
import { isArray, isObject } from "../json.ts";
import type { OperandKind } from "./condition-specs.ts";
import { FORMULA_KEYS, OPERATORS, ROLLUP_ELEMENT_KEYS } from "./condition-specs.ts";
import type { DateWindow } from "./date-values.ts";
import { isRelativeDate, parseDateInterval } from "./date-values.ts";
import type { Condition, Family, OperandValue, SimpleFamily } from "./filter-ast.ts";
import { fixOneMissing, invalid, notPresent, oneOf } from "./validation.ts";

/**
 * Validates the condition object of a filter (`{contains: "x"}`, `{any: {rich_text: …}}`) the
 * way Notion's body validator does; `path` is where it sits, e.g. `filter.and[0].rich_text`.
 * Throws a 400 validation_error on the first problem.
 */
export function parseCondition(family: Family, raw: Json | undefined, path: string): Condition {
  if (family === "formula") {
    const [key, sub] = singleKey(raw, path, Object.keys(FORMULA_KEYS));
    return { family, sub: parseCondition(FORMULA_KEYS[key] ?? "text", sub, `${path}.${key}`) };
  }
  if (family === "rollup") {
    const [key, sub] = singleKey(raw, path, ["any", "none", "every", "date", "number"]);
    if (key === "date" || key === "number") {
      return { family, quantifier: "value", sub: parseCondition(key, sub, `${path}.${key}`) };
    }
    const [elementKey, elementCondition] = singleKey(
      sub,
      `${path}.${key}`,
      Object.keys(ROLLUP_ELEMENT_KEYS),
    );
    const elementFamily = ROLLUP_ELEMENT_KEYS[elementKey] ?? "text";
    const quantifier = key === "any" || key === "none" ? key : "every";
    return {
      family,
      quantifier,
      sub: parseCondition(elementFamily, elementCondition, `${path}.${key}.${elementKey}`),
    };
  }
  return parseOperator(family, raw, path);
}

function parseOperator(family: SimpleFamily, raw: Json | undefined, path: string): Condition {
  const operators = OPERATORS[family];
  const [op, operand] = singleKey(raw, path, Object.keys(operators));
  const kind = operators[op] ?? "string";
  return { family, op, value: parseOperand(kind, op, operand, `${path}.${op}`) };
}

/** The one key of a condition object among `allowed`, with its value. */
function singleKey(
  raw: Json | undefined,
  path: string,
  allowed: readonly string[],
): [string, Json] {
  if (!isObject(raw)) throw invalid(path, "should be an object", raw);
  const present = allowed.filter((key) => raw[key] !== undefined);
  const first = present[0];
  if (first === undefined) throw fixOneMissing(path, allowed);
  const extra = Object.keys(raw).find((key) => key !== first && raw[key] !== undefined);
  if (extra !== undefined) throw notPresent(`${path}.${extra}`, raw[extra]);
  return [first, raw[first] ?? null];
}

function parseOperand(kind: OperandKind, op: string, value: Json, path: string): OperandValue {
  switch (kind) {
    case "string":
      if (typeof value !== "string") throw invalid(path, "should be a string", value);
      return value;
    case "number":
      if (typeof value !== "number") throw invalid(path, "should be a number", value);
      return value;
    case "boolean":
      if (typeof value !== "boolean") throw invalid(path, "should be a boolean", value);
      return value;
    case "true":
      if (value !== true) throw invalid(path, "should be `true`", value);
      return true;
    case "empty_object":
      if (!isObject(value) || Object.keys(value).length > 0) {
        throw invalid(path, "should be an object", value);
      }
      return op as DateWindow;
    case "string_or_strings":
      if (typeof value === "string") return [value];
      if (isArray(value) && value.every((item): item is string => typeof item === "string")) {
        return value;
      }
      throw invalid(path, "should be a string or an array of strings", value);
    case "uuid":
    case "uuid_or_me": {
      if (kind === "uuid_or_me" && value === "me") return "me";
      const id = typeof value === "string" ? normalizeId(value) : null;
      if (id === null) throw invalid(path, "should be a valid uuid", value);
      return id;
    }
    case "date": {
      if (typeof value === "string" && isRelativeDate(value)) return { relative: value };
      const interval = typeof value === "string" ? parseDateInterval(value) : null;
      if (interval === null) {
        throw invalid(path, "should be a valid ISO 8601 date string or relative date", value);
      }
      return { interval };
    }
    case "verification_state": {
      const states = ["verified", "expired", "none"];
      if (typeof value !== "string" || !states.includes(value)) {
        throw invalid(path, oneOf(states), value);
      }
      return value;
    }
  }
}
