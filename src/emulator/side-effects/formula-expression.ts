import type { JsonObject } from "../json.ts";

/**
 * The part of Notion's formula language the emulator evaluates: references to properties of the
 * same page, number and string literals, unary minus, `+ - * /` and parentheses. Anything else
 * (functions such as `if` or `now()`, comparisons, methods, `let`) is not parsed, and a formula
 * using it keeps the value it was seeded with.
 */
export type FormulaNode =
  | { kind: "number"; value: number }
  | { kind: "string"; value: string }
  /** A property of the page, by its id as the expression writes it (URL-encoded, like `dDR%3B`). */
  | { kind: "property"; id: string }
  | { kind: "negate"; operand: FormulaNode }
  | { kind: "binary"; op: "+" | "-" | "*" | "/"; left: FormulaNode; right: FormulaNode };

/** A value inside a formula. Text is never null in Notion's formulas: empty text is "". */
export type FormulaOperand =
  | { type: "number"; value: number | null }
  | { type: "string"; value: string }
  | { type: "boolean"; value: boolean | null }
  | { type: "date"; value: JsonObject | null };

type Token =
  | { kind: "number"; value: number }
  | { kind: "string"; value: string }
  | { kind: "property"; id: string }
  | { kind: "op"; op: "+" | "-" | "*" | "/" | "(" | ")" };

/** `{{notion:block_property:<property id>:<data source id>:<space id>}}`, as Notion stores a reference. */
const REFERENCE = /\{\{notion:block_property:([^:}]+):[^:}]+:[^:}]+\}\}/y;
const NUMBER = /\d+(?:\.\d+)?/y;
const STRING = /"((?:[^"\\]|\\.)*)"/y;
const SPACE = /\s+/y;

function tokenize(expression: string): Token[] | undefined {
  const tokens: Token[] = [];
  let at = 0;
  const match = (pattern: RegExp) => {
    pattern.lastIndex = at;
    const found = pattern.exec(expression);
    if (found) at = pattern.lastIndex;
    return found;
  };
  while (at < expression.length) {
    if (match(SPACE)) continue;
    const reference = match(REFERENCE);
    if (reference) {
      tokens.push({ kind: "property", id: reference[1] ?? "" });
      continue;
    }
    const number = match(NUMBER);
    if (number) {
      tokens.push({ kind: "number", value: Number(number[0]) });
      continue;
    }
    const string = match(STRING);
    if (string) {
      tokens.push({ kind: "string", value: (string[1] ?? "").replace(/\\(.)/g, "$1") });
      continue;
    }
    const char = expression[at];
    if (
      char === "+" ||
      char === "-" ||
      char === "*" ||
      char === "/" ||
      char === "(" ||
      char === ")"
    ) {
      tokens.push({ kind: "op", op: char });
      at += 1;
      continue;
    }
    return undefined; // a name, a comparison, a method call…: not a formula the emulator evaluates
  }
  return tokens;
}

/**
 * Parses a stored formula expression into the subset above; undefined when it uses anything else.
 *
 * @example parseFormula("{{notion:block_property:a%3Bb:ds:space}} * 2") // binary * of property and 2
 */
export function parseFormula(expression: string): FormulaNode | undefined {
  const tokens = tokenize(expression);
  if (!tokens || tokens.length === 0) return undefined;
  let at = 0;
  const peek = () => tokens[at];
  const isOp = (token: Token | undefined, ...ops: string[]): token is Token & { kind: "op" } =>
    token?.kind === "op" && ops.includes(token.op);

  const primary = (): FormulaNode | undefined => {
    const token = tokens[at];
    at += 1;
    if (!token) return undefined;
    if (token.kind === "number") return { kind: "number", value: token.value };
    if (token.kind === "string") return { kind: "string", value: token.value };
    if (token.kind === "property") return { kind: "property", id: token.id };
    if (token.op === "-") {
      const operand = primary();
      return operand && { kind: "negate", operand };
    }
    if (token.op !== "(") return undefined;
    const inside = sum();
    if (!inside || !isOp(tokens[at], ")")) return undefined;
    at += 1;
    return inside;
  };
  const binary = (
    next: () => FormulaNode | undefined,
    ops: ReadonlyArray<"+" | "-" | "*" | "/">,
  ): FormulaNode | undefined => {
    let left = next();
    while (left) {
      const token = peek();
      if (!isOp(token, ...ops)) return left;
      at += 1;
      const right = next();
      if (!right) return undefined;
      left = { kind: "binary", op: token.op as "+" | "-" | "*" | "/", left, right };
    }
    return undefined;
  };
  const product = () => binary(primary, ["*", "/"]);
  const sum = (): FormulaNode | undefined => binary(product, ["+", "-"]);

  const tree = sum();
  return tree && at === tokens.length ? tree : undefined;
}

/**
 * Evaluates a parsed formula, reading properties through `resolve` (undefined for a property it
 * cannot read). Numbers combine with numbers (an empty number makes the result empty, as Notion
 * shows a formula over an empty field), `+` joins two texts, and a checkbox or a date may only
 * stand alone. Returns undefined for anything else, a division by zero or a non-finite result:
 * the formula then keeps its stored value.
 */
export function evaluateFormula(
  node: FormulaNode,
  resolve: (propertyId: string) => FormulaOperand | undefined,
): FormulaOperand | undefined {
  switch (node.kind) {
    case "number":
      return { type: "number", value: node.value };
    case "string":
      return { type: "string", value: node.value };
    case "property":
      return resolve(node.id);
    case "negate": {
      const operand = evaluateFormula(node.operand, resolve);
      if (operand?.type !== "number") return undefined;
      return { type: "number", value: operand.value === null ? null : -operand.value };
    }
    case "binary": {
      const left = evaluateFormula(node.left, resolve);
      const right = evaluateFormula(node.right, resolve);
      if (left?.type === "string" && right?.type === "string" && node.op === "+")
        return { type: "string", value: left.value + right.value };
      if (left?.type !== "number" || right?.type !== "number") return undefined;
      if (left.value === null || right.value === null) return { type: "number", value: null };
      if (node.op === "/" && right.value === 0) return undefined;
      const value = arithmetic(node.op, left.value, right.value);
      return Number.isFinite(value) ? { type: "number", value } : undefined;
    }
  }
}

function arithmetic(op: "+" | "-" | "*" | "/", a: number, b: number): number {
  switch (op) {
    case "+":
      return a + b;
    case "-":
      return a - b;
    case "*":
      return a * b;
    case "/":
      return a / b;
  }
}

/** A formula result as a page shows it (`properties[name].formula`); empty text shows as null. */
export function formulaResult(operand: FormulaOperand): JsonObject {
  switch (operand.type) {
    case "number":
      return { type: "number", number: operand.value };
    case "string":
      return { type: "string", string: operand.value === "" ? null : operand.value };
    case "boolean":
      return { type: "boolean", boolean: operand.value };
    case "date":
      return { type: "date", date: operand.value };
  }
}
