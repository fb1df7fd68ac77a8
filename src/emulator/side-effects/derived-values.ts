import type { Json, JsonObject } from "../json.ts";
import { isArray, isObject, jsonEqual } from "../json.ts";
import type { Workspace } from "../workspace.ts";
import type { JournalEntry } from "../write-journal.ts";
import type { FormulaNode, FormulaOperand } from "./formula-expression.ts";
import { evaluateFormula, formulaResult, parseFormula } from "./formula-expression.ts";
import { rollupValue } from "./rollup-value.ts";

type Change = JournalEntry["changes"][number];

/** Property ids compare decoded: rollup configs carry them decoded (`v_]<`), pages encoded. */
export function sameId(a: Json | undefined, b: Json | undefined): boolean {
  if (typeof a !== "string" || typeof b !== "string") return false;
  return a === b || decoded(a) === decoded(b);
}

function decoded(id: string): string {
  try {
    return decodeURIComponent(id);
  } catch {
    return id;
  }
}

/** The page's value of the property with `id`, and the name it is kept under. */
export function propertyById(
  page: JsonObject,
  id: Json | undefined,
): { name: string; value: JsonObject } | undefined {
  const properties = isObject(page.properties) ? page.properties : {};
  for (const [name, value] of Object.entries(properties))
    if (isObject(value) && sameId(value.id, id)) return { name, value };
  return undefined;
}

/** The page ids a relation value holds, in order. */
export function relationIds(value: Json | undefined): string[] {
  if (!isObject(value) || !isArray(value.relation)) return [];
  return value.relation.flatMap((item) =>
    isObject(item) && typeof item.id === "string" ? [item.id] : [],
  );
}

/** The value a formula or rollup holds now, unless Notion reports it as unsupported. */
function computable(value: JsonObject): boolean {
  const inner = value[String(value.type)];
  return !(isObject(inner) && inner.type === "unsupported");
}

/**
 * Recomputes, in place, the rollups and then the formulas of `page` that the emulator can compute
 * (see rollupValue and parseFormula), as Notion does after every write that can change them; the
 * others keep their stored value, and so does a value Notion reports as `unsupported` (its
 * dependencies are too complex for Notion's API: that verdict is Notion's). Returns what changed.
 */
export function recomputeDerived(workspace: Workspace, page: JsonObject): Change[] {
  const sourceId = workspace.dataSourceIdOf(page);
  const source = sourceId ? workspace.dataSources.get(sourceId) : undefined;
  const schema = source && isObject(source.properties) ? source.properties : {};
  const changes: Change[] = [];
  const set = (name: string, value: JsonObject, inner: JsonObject) => {
    const type = String(value.type);
    if (jsonEqual(value[type], inner)) return;
    const before = structuredClone(value);
    value[type] = inner;
    changes.push({ name, id: String(value.id), type, before, after: structuredClone(value) });
  };
  for (const property of Object.values(schema)) {
    if (!isObject(property) || property.type !== "rollup" || !isObject(property.rollup)) continue;
    const held = propertyById(page, property.id);
    if (!held || held.value.type !== "rollup" || !computable(held.value)) continue;
    const inner = rollupOf(workspace, page, property.rollup);
    if (inner) set(held.name, held.value, inner);
  }
  const formulas = new Formulas(page, schema);
  for (const property of Object.values(schema)) {
    if (!isObject(property) || property.type !== "formula") continue;
    const held = propertyById(page, property.id);
    if (!held || held.value.type !== "formula" || !computable(held.value)) continue;
    const result = formulas.value(String(property.id));
    if (result) set(held.name, held.value, formulaResult(result));
  }
  return changes;
}

function rollupOf(workspace: Workspace, page: JsonObject, config: JsonObject) {
  const relation = propertyById(page, config.relation_property_id);
  if (!relation || relation.value.type !== "relation") return undefined;
  const values = relationIds(relation.value).map((id) => {
    const related = workspace.pages.get(id);
    return related ? propertyById(related, config.rollup_property_id)?.value : undefined;
  });
  return rollupValue(String(config.function ?? ""), values);
}

/** The formulas of one page, each evaluated once; a formula that refers to itself is left alone. */
class Formulas {
  private readonly done = new Map<string, FormulaOperand | undefined>();
  private readonly busy = new Set<string>();
  private readonly expressions = new Map<string, FormulaNode | undefined>();

  constructor(
    private readonly page: JsonObject,
    schema: JsonObject,
  ) {
    for (const property of Object.values(schema)) {
      if (!isObject(property) || property.type !== "formula" || !isObject(property.formula))
        continue;
      const expression = property.formula.expression;
      this.expressions.set(
        decoded(String(property.id)),
        typeof expression === "string" ? parseFormula(expression) : undefined,
      );
    }
  }

  /** The formula's value: computed when possible, else undefined (its stored value stands). */
  value(id: string): FormulaOperand | undefined {
    const key = decoded(id);
    if (this.done.has(key)) return this.done.get(key);
    const node = this.expressions.get(key);
    if (!node || this.busy.has(key)) return undefined;
    this.busy.add(key);
    const result = evaluateFormula(node, (ref) => this.operand(ref));
    this.busy.delete(key);
    this.done.set(key, result);
    return result;
  }

  private operand(id: string): FormulaOperand | undefined {
    const held = propertyById(this.page, id)?.value;
    if (!held) return undefined;
    const inner = held[String(held.type)];
    switch (held.type) {
      case "number":
        return { type: "number", value: typeof inner === "number" ? inner : null };
      case "title":
      case "rich_text":
        return { type: "string", value: plainText(inner) };
      case "select":
      case "status":
        return { type: "string", value: isObject(inner) ? String(inner.name ?? "") : "" };
      case "url":
      case "email":
      case "phone_number":
        return { type: "string", value: typeof inner === "string" ? inner : "" };
      case "checkbox":
        return { type: "boolean", value: inner === true };
      case "date":
        return { type: "date", value: isObject(inner) ? inner : null };
      case "formula":
        // A formula over one Notion cannot compute is not computed here either.
        if (isObject(inner) && inner.type === "unsupported") return undefined;
        return this.value(id) ?? storedOperand(inner);
      case "rollup":
        return storedOperand(inner);
      default:
        return undefined;
    }
  }
}

/** A formula's or rollup's stored result as an operand (number, text, checkbox, date). */
function storedOperand(inner: Json | undefined): FormulaOperand | undefined {
  if (!isObject(inner)) return undefined;
  const value = inner[String(inner.type)];
  switch (inner.type) {
    case "number":
      return { type: "number", value: typeof value === "number" ? value : null };
    case "string":
      return { type: "string", value: typeof value === "string" ? value : "" };
    case "boolean":
      return { type: "boolean", value: typeof value === "boolean" ? value : null };
    case "date":
      return { type: "date", value: isObject(value) ? value : null };
    default:
      return undefined;
  }
}

function plainText(items: Json | undefined): string {
  if (!isArray(items)) return "";
  return items.map((item) => (isObject(item) ? String(item.plain_text ?? "") : "")).join("");
}
