import type { FillContext, SchemaOption } from "./fill-context.ts";
import {
  asList,
  describeValue,
  expected,
  firstDuplicate,
  refuse,
  targetLabel,
} from "./fill-context.ts";
import { NOTION_LIMITS } from "./limits.ts";
import type { PayloadResult } from "./types.ts";

const SHOWN_OPTIONS = 20;

function isStringList(list: unknown[]): list is string[] {
  return list.every((item) => typeof item === "string");
}

function schemaOptions(kind: "select" | "status" | "multi_select", ctx: FillContext) {
  return ctx.property[kind]?.options ?? [];
}

function optionList(options: readonly SchemaOption[]): string {
  if (options.length === 0) return "it has no options";
  const names = options.slice(0, SHOWN_OPTIONS).map((option) => option.name);
  const more = options.length > SHOWN_OPTIONS ? `, … ${options.length - SHOWN_OPTIONS} more` : "";
  return `one of: ${names.join(", ")}${more}`;
}

/**
 * Why `name` cannot be written to this property, or undefined when it can. An existing option
 * (exact, case-sensitive match, as Notion matches) always can; a new one only with
 * `allowNewOption`, never for status, and only if Notion would accept it as an option name.
 */
function optionRefusal(
  kind: "select" | "status" | "multi_select",
  name: string,
  ctx: FillContext,
): string | undefined {
  const options = schemaOptions(kind, ctx);
  if (options.some((option) => option.name === name)) return undefined;
  const label = targetLabel(ctx);
  const near = options.find((option) => option.name.toLowerCase() === name.trim().toLowerCase());
  const hint = near ? ` (did you mean "${near.name}"?)` : "";
  if (kind === "status") {
    return `status "${ctx.property.name}" has no option ${describeValue(name)}${hint} (${optionList(options)}); Notion cannot create status options through a page update`;
  }
  if (!ctx.options.allowNewOption) {
    return `${label} has no option ${describeValue(name)}${hint} (${optionList(options)}); creating an option changes the schema, so the rule must allow new options`;
  }
  if (name.trim() === "") return `a new option of ${label} cannot be blank`;
  if (name.includes(","))
    return `a new option of ${label} cannot contain a comma: ${describeValue(name)}`;
  if (name.length > NOTION_LIMITS.optionName) {
    return `a new option of ${label} is ${name.length} characters; Notion accepts at most ${NOTION_LIMITS.optionName}`;
  }
  return undefined;
}

/**
 * How a payload names an option: by id when the schema has it, so that the write can never
 * create one (an option renamed or removed in Notion after the plan makes Notion refuse the id,
 * where the name would have made it create a new option); by name only for a new option the rule
 * allows.
 */
function optionRequest(
  kind: "select" | "status" | "multi_select",
  name: string,
  ctx: FillContext,
): { id: string } | { name: string } {
  const id = schemaOptions(kind, ctx).find((option) => option.name === name)?.id;
  return id ? { id } : { name };
}

/** select / status from an option name that exists (or, for select, `allowNewOption`). */
export function fillOption(
  kind: "select" | "status",
  natural: unknown,
  ctx: FillContext,
): PayloadResult {
  if (typeof natural !== "string") {
    return expected(ctx, "an option name", natural, optionList(schemaOptions(kind, ctx)));
  }
  const refusal = optionRefusal(kind, natural, ctx);
  if (refusal) return refuse(refusal);
  const option = optionRequest(kind, natural, ctx);
  return kind === "select"
    ? { ok: true, payload: { select: option } }
    : { ok: true, payload: { status: option } };
}

/**
 * multi_select from option names, in order: an array, the text of a JSON array, or one name.
 * 1 to 100 names, no repeats, each one allowed as {@link fillOption} allows it.
 */
export function fillMultiSelect(natural: unknown, ctx: FillContext): PayloadResult {
  const list = asList(natural);
  if (!list || list.length === 0 || !isStringList(list)) {
    const options = optionList(schemaOptions("multi_select", ctx));
    return expected(ctx, "a list of option names", natural, options);
  }
  const names = list;
  if (names.length > NOTION_LIMITS.arrayItems) {
    return refuse(
      `${names.length} options for ${targetLabel(ctx)} is more than the ${NOTION_LIMITS.arrayItems} Notion accepts`,
    );
  }
  const repeated = firstDuplicate(names);
  if (repeated !== undefined) {
    return refuse(`option ${describeValue(repeated)} is listed twice for ${targetLabel(ctx)}`);
  }
  for (const name of names) {
    const refusal = optionRefusal("multi_select", name, ctx);
    if (refusal) return refuse(refusal);
  }
  return {
    ok: true,
    payload: { multi_select: names.map((name) => optionRequest("multi_select", name, ctx)) },
  };
}
