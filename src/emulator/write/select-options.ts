import { bodyValidationError, validationError } from "../errors.ts";
import type { Json, JsonObject } from "../json.ts";
import { isArray, isObject } from "../json.ts";
import {
  fixOneError,
  notAString,
  notAnObject,
  selectCommaMessage,
  selectOptionIdMessage,
  statusOptionIdMessage,
  statusOptionMessage,
  tooLong,
} from "./messages.ts";
import { LIMITS } from "./property-limits.ts";
import { OPTION_COLORS } from "./property-types.ts";

export type OptionKind = "select" | "multi_select" | "status";

/** The options array of a schema property, created empty when the config has none. */
function optionsOf(schemaProperty: JsonObject, kind: OptionKind): Json[] {
  const config = isObject(schemaProperty[kind]) ? schemaProperty[kind] : {};
  schemaProperty[kind] = config;
  if (!isArray(config.options)) config.options = [];
  return config.options;
}

const pageValue = (option: JsonObject): JsonObject => ({
  id: option.id ?? null,
  name: option.name ?? null,
  color: option.color ?? "default",
});

export interface OptionResult {
  /** The option as a page holds it: `{id, name, color}`. */
  value: JsonObject;
  /** True when the option was added to the schema. */
  created: boolean;
}

/**
 * Resolves a request option (`{id}` or `{name}`, extra keys ignored) against a schema property
 * (which it may MUTATE by adding an option: pass a working copy).
 *
 * - By id: the option must exist, else 400.
 * - By name (exact match): select and multi_select create an unknown name with the requested
 *   color (or "default") as Notion does; names with a comma or longer than 100 characters are
 *   refused. Status never creates: an unknown status is 400 "Invalid status option…".
 */
export function resolveOption(
  schemaProperty: JsonObject,
  kind: OptionKind,
  raw: Json | undefined,
  path: string,
  newId: () => string,
): OptionResult {
  if (!isObject(raw)) throw notAnObject(path, raw);
  const options = optionsOf(schemaProperty, kind).filter(isObject);
  if (raw.id !== undefined) {
    if (typeof raw.id !== "string") throw notAString(`${path}.id`, raw.id);
    const found = options.find((option) => option.id === raw.id);
    if (!found) {
      throw validationError(
        kind === "status" ? statusOptionIdMessage(raw.id) : selectOptionIdMessage(raw.id),
      );
    }
    return { value: pageValue(found), created: false };
  }
  if (raw.name === undefined) throw fixOneError(path, ["id", "name"]);
  const name = raw.name;
  if (typeof name !== "string") throw notAString(`${path}.name`, name);
  if (kind !== "status" && name.includes(",")) throw validationError(selectCommaMessage(name));
  const found = options.find((option) => option.name === name);
  if (found) return { value: pageValue(found), created: false };
  if (kind === "status") throw validationError(statusOptionMessage(name));
  if (name.length > LIMITS.optionName)
    throw tooLong(`${path}.name`, LIMITS.optionName, name.length);
  if (name.trim() === "") throw bodyValidationError(`${path}.name`, "should be not empty", name);
  const color =
    typeof raw.color === "string" && (OPTION_COLORS as readonly string[]).includes(raw.color)
      ? raw.color
      : "default";
  const option: JsonObject = { id: newId(), name, color, description: null };
  optionsOf(schemaProperty, kind).push(option);
  return { value: pageValue(option), created: true };
}

/**
 * The option a new page gets for a status property: Notion's default, which is the first option
 * of the "To-do" group (the first group), else the first option, else null.
 */
export function defaultStatusOption(schemaProperty: JsonObject): JsonObject | null {
  const config = isObject(schemaProperty.status) ? schemaProperty.status : {};
  const options = isArray(config.options) ? config.options.filter(isObject) : [];
  const groups = isArray(config.groups) ? config.groups.filter(isObject) : [];
  const firstGroupIds = groups[0] && isArray(groups[0].option_ids) ? groups[0].option_ids : [];
  const chosen =
    options.find((option) => firstGroupIds.includes(option.id ?? null)) ?? options[0] ?? null;
  return chosen ? pageValue(chosen) : null;
}
