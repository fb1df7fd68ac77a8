import type { JsonObject } from "../json.ts";
import type { Interval } from "./date-values.ts";
import { dateWindow, isDateWindow, overlaps, relativeDay, toMinutes } from "./date-values.ts";
import type { Condition, DateOperand, OperandValue } from "./filter-ast.ts";
import {
  readCheckbox,
  readDate,
  readFiles,
  readNumber,
  readOptionNames,
  readRelationIds,
  readRollupArray,
  readText,
  readUsers,
  readVerificationState,
} from "./value-readers.ts";

export interface EvaluationContext {
  now: Date;
  /** The user "me" stands for in people filters (the integration's bot); absent → nobody. */
  me?: string;
}

type Value = JsonObject | undefined;

/** Whether a property value (possibly absent) satisfies a parsed condition. Never throws. */
export function evaluate(condition: Condition, value: Value, context: EvaluationContext): boolean {
  switch (condition.family) {
    case "formula":
      return evaluate(condition.sub, value, context);
    case "rollup":
      return evaluateRollup(condition.quantifier, condition.sub, value, context);
    case "text":
      return textMatches(condition.op, condition.value, readText(value));
    case "number":
      return numberMatches(condition.op, condition.value, readNumber(value));
    case "checkbox":
      return (readCheckbox(value) === condition.value) === (condition.op === "equals");
    case "select":
    case "status":
    case "multi_select":
      return listMatches(condition.op, condition.value, readOptionNames(value));
    case "people": {
      const wanted = condition.value === "me" ? (context.me ?? "") : condition.value;
      return listMatches(
        condition.op,
        wanted,
        readUsers(value).map((user) => String(user.id)),
      );
    }
    case "relation":
      return listMatches(condition.op, condition.value, readRelationIds(value));
    case "files":
      return listMatches(
        condition.op,
        null,
        readFiles(value).map((file) => String(file.name)),
      );
    case "date":
      return dateMatches(condition.op, condition.value, readDate(value), context.now);
    case "verification":
      return (readVerificationState(value) === condition.value) === (condition.op === "status");
  }
}

function evaluateRollup(
  quantifier: "any" | "every" | "none" | "value",
  sub: Condition,
  value: Value,
  context: EvaluationContext,
): boolean {
  if (quantifier === "value") return evaluate(sub, value, context);
  const elements = readRollupArray(value);
  const matches = (element: JsonObject) => evaluate(sub, element, context);
  if (quantifier === "any") return elements.some(matches);
  if (quantifier === "none") return !elements.some(matches);
  return elements.every(matches);
}

/** Notion compares text case-insensitively (as its UI filters do). */
function textMatches(op: string, operand: OperandValue, actual: string): boolean {
  if (op === "is_empty") return actual === "";
  if (op === "is_not_empty") return actual !== "";
  const text = actual.toLowerCase();
  const wanted = String(operand).toLowerCase();
  switch (op) {
    case "equals":
      return text === wanted;
    case "does_not_equal":
      return text !== wanted;
    case "contains":
      return text.includes(wanted);
    case "does_not_contain":
      return !text.includes(wanted);
    case "starts_with":
      return text.startsWith(wanted);
    case "ends_with":
      return text.endsWith(wanted);
    default:
      return false;
  }
}

/** Empty numbers satisfy only is_empty and does_not_equal. */
function numberMatches(op: string, operand: OperandValue, actual: number | null): boolean {
  if (op === "is_empty") return actual === null;
  if (op === "is_not_empty") return actual !== null;
  if (op === "does_not_equal") return actual !== operand;
  if (actual === null || typeof operand !== "number") return false;
  switch (op) {
    case "equals":
      return actual === operand;
    case "greater_than":
      return actual > operand;
    case "less_than":
      return actual < operand;
    case "greater_than_or_equal_to":
      return actual >= operand;
    case "less_than_or_equal_to":
      return actual <= operand;
    default:
      return false;
  }
}

/**
 * Membership conditions over a list (options, people, relations, files). An array operand means
 * "any of these" for equals / contains and "none of these" for the negations.
 */
function listMatches(op: string, operand: OperandValue, actual: readonly string[]): boolean {
  if (op === "is_empty") return actual.length === 0;
  if (op === "is_not_empty") return actual.length > 0;
  const wanted = typeof operand === "string" ? [operand] : Array.isArray(operand) ? operand : [];
  const hit = wanted.some((item) => actual.includes(item));
  return op === "equals" || op === "contains" ? hit : !hit;
}

/** Both sides are compared in whole minutes (see toMinutes): Notion ignores seconds here. */
function dateMatches(
  op: string,
  operand: OperandValue,
  value: Interval | null,
  now: Date,
): boolean {
  if (op === "is_empty") return value === null;
  if (op === "is_not_empty") return value !== null;
  if (value === null) return false;
  const actual = toMinutes(value);
  if (typeof operand === "string") {
    return isDateWindow(operand) && overlaps(actual, dateWindow(operand, now));
  }
  const resolved = resolveOperand(operand, now);
  if (!resolved) return false;
  const target = toMinutes(resolved);
  switch (op) {
    case "equals":
      return overlaps(actual, target);
    case "before":
      return actual.end <= target.start;
    case "after":
      return actual.start >= target.end;
    case "on_or_before":
      return actual.start < target.end;
    case "on_or_after":
      return actual.end > target.start;
    default:
      return false;
  }
}

function isDateOperand(operand: OperandValue): operand is DateOperand {
  return (
    typeof operand === "object" &&
    operand !== null &&
    ("relative" in operand || "interval" in operand)
  );
}

function resolveOperand(operand: OperandValue, now: Date): Interval | null {
  if (!isDateOperand(operand)) return null;
  return "relative" in operand ? relativeDay(operand.relative, now) : operand.interval;
}
