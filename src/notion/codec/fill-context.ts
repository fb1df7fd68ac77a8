/** An option of a select, status or multi_select schema property. */
export interface SchemaOption {
  readonly id?: string;
  readonly name: string;
}

/**
 * What a fill needs to know about its target property: its name (for messages), its type, and
 * for select / status / multi_select the schema's options. A Notion data source property
 * (`DataSourceObjectResponse["properties"][string]`) has this shape.
 */
export interface FillTargetProperty {
  readonly name: string;
  readonly type: string;
  readonly select?: { readonly options: readonly SchemaOption[] };
  readonly status?: { readonly options: readonly SchemaOption[] };
  readonly multi_select?: { readonly options: readonly SchemaOption[] };
}

/** Choices a fill rule makes explicitly. */
export interface FillOptions {
  /**
   * Let a select / multi_select value name an option the schema does not have yet; Notion then
   * creates it (a schema change, hence opt-in per rule). Never applies to status: Notion cannot
   * create status options through a page update.
   */
  readonly allowNewOption?: boolean;
}

/** The target as the fill converters see it. */
export interface FillContext {
  readonly property: FillTargetProperty;
  readonly options: FillOptions;
}

const MAX_SHOWN = 80;

/** A value as a reason shows it: `42`, `"abc"`, `["a","b"]`, `null`; long ones cut with "…". */
export function describeValue(value: unknown): string {
  if (value === undefined) return "nothing";
  if (typeof value === "number" && !Number.isFinite(value)) return String(value);
  let text: string;
  try {
    text = JSON.stringify(value) ?? String(value);
  } catch {
    text = String(value);
  }
  return text.length > MAX_SHOWN ? `${text.slice(0, MAX_SHOWN)}…` : text;
}

/** `rich_text "Notes"`: how reasons name the target. */
export function targetLabel(ctx: FillContext): string {
  return `${ctx.property.type} "${ctx.property.name}"`;
}

/** A conversion that failed, and why. */
export type Refusal = { ok: false; reason: string };

/** The refusal "expected <form> of <target> (<detail>), got <value>". */
export function expected(ctx: FillContext, form: string, got: unknown, detail?: string): Refusal {
  const more = detail ? ` (${detail})` : "";
  return {
    ok: false,
    reason: `expected ${form} of ${targetLabel(ctx)}${more}, got ${describeValue(got)}`,
  };
}

/** A refusal with a sentence of its own. */
export function refuse(reason: string): Refusal {
  return { ok: false, reason };
}

/**
 * A list given as an array, as the text of a JSON array (SQLite's `json_group_array`), or as one
 * bare item. Returns undefined when it is none of these (e.g. malformed JSON starting with "[").
 */
export function asList(natural: unknown): unknown[] | undefined {
  if (Array.isArray(natural)) return natural;
  if (typeof natural === "string" && natural.trim().startsWith("[")) {
    try {
      const parsed: unknown = JSON.parse(natural);
      return Array.isArray(parsed) ? parsed : undefined;
    } catch {
      return undefined;
    }
  }
  if (typeof natural === "string") return [natural];
  return undefined;
}

/** An object given as such or as the text of a JSON object (SQLite's `json_object`). */
export function asRecord(natural: unknown): Record<string, unknown> | undefined {
  let value = natural;
  if (typeof value === "string" && value.trim().startsWith("{")) {
    try {
      value = JSON.parse(value);
    } catch {
      return undefined;
    }
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) return undefined;
  return value as Record<string, unknown>;
}

/** The first value that appears twice, if any. */
export function firstDuplicate<T>(values: readonly T[]): T | undefined {
  const seen = new Set<T>();
  for (const value of values) {
    if (seen.has(value)) return value;
    seen.add(value);
  }
  return undefined;
}
