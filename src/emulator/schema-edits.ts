import { validationError } from "./errors.ts";
import type { Json, JsonObject } from "./json.ts";
import { isArray, isObject } from "./json.ts";
import type { Workspace } from "./workspace.ts";

/**
 * A change a person makes to a data source's schema in Notion's UI, while integrations are at
 * work: exactly one of rename, remove or add an option of a select, multi_select or status
 * property.
 */
export interface SchemaEdit {
  dataSourceId: string;
  /** The property, by name or by id. */
  property: string;
  /** Renames an option: it keeps its id, and every page holding it shows the new name. */
  renameOption?: { from: string; to: string };
  /** Removes an option: every page holding it loses it (a select or status becomes empty). */
  removeOption?: string;
  /** Adds an option (color "default" unless given). */
  addOption?: { name: string; color?: string };
  /** The person's user id; the first person in the workspace when absent. */
  userId?: string;
}

const OPTION_TYPES = new Set(["select", "multi_select", "status"]);

/** Checks an edit that came over HTTP (or from a test) before it is made. */
export function validateSchemaEdit(edit: unknown): asserts edit is SchemaEdit {
  if (!isObject(edit)) throw new Error("a schema edit must be an object");
  if (typeof edit.dataSourceId !== "string" || typeof edit.property !== "string")
    throw new Error("a schema edit needs dataSourceId and property");
  const kinds = ["renameOption", "removeOption", "addOption"].filter((key) => key in edit);
  if (kinds.length !== 1)
    throw new Error("a schema edit makes exactly one of renameOption, removeOption, addOption");
  const rename = edit.renameOption;
  if (
    rename !== undefined &&
    (!isObject(rename) || typeof rename.from !== "string" || typeof rename.to !== "string")
  )
    throw new Error("renameOption needs {from, to}");
  if (edit.removeOption !== undefined && typeof edit.removeOption !== "string")
    throw new Error("removeOption is an option name");
  const add = edit.addOption;
  if (add !== undefined && (!isObject(add) || typeof add.name !== "string"))
    throw new Error("addOption needs {name, color?}");
}

/**
 * Makes a schema edit as a person would in Notion's UI: the data source is stamped as edited by
 * them; pages keep their timestamps (Notion does not move them for a schema change) but show
 * what the change did to their values. Throws Notion's validation error for an unknown data
 * source, property or option, or a name already taken. Returns the data source.
 */
export function editSchemaAsPerson(workspace: Workspace, edit: SchemaEdit): JsonObject {
  const source = workspace.dataSources.get(edit.dataSourceId);
  if (!source) throw validationError(`no data source ${edit.dataSourceId}`);
  const person = edit.userId
    ? workspace.users.get(edit.userId)
    : [...workspace.users.values()].find((user) => user.type === "person");
  if (!person) throw validationError(`no person user ${edit.userId ?? ""} to make the edit as`);
  const properties = isObject(source.properties) ? source.properties : {};
  const property = Object.values(properties).find(
    (candidate): candidate is JsonObject =>
      isObject(candidate) && (candidate.name === edit.property || candidate.id === edit.property),
  );
  if (!property || !OPTION_TYPES.has(String(property.type)))
    throw validationError(`${edit.property} is not a select, multi_select or status property`);
  const type = String(property.type);
  const config = isObject(property[type]) ? property[type] : {};
  property[type] = config;
  const options = isArray(config.options) ? config.options.filter(isObject) : [];
  const named = (name: string) => options.find((option) => option.name === name);
  const propertyId = String(property.id);

  if (edit.renameOption) {
    const { from, to } = edit.renameOption;
    const option = named(from);
    if (!option) throw validationError(`${edit.property} has no option ${from}`);
    if (named(to)) throw validationError(`${edit.property} already has an option ${to}`);
    option.name = to;
    forEachValue(workspace, edit.dataSourceId, propertyId, (held) =>
      held.id === option.id ? { ...held, name: to } : held,
    );
  } else if (edit.removeOption !== undefined) {
    const option = named(edit.removeOption);
    if (!option) throw validationError(`${edit.property} has no option ${edit.removeOption}`);
    config.options = options.filter((candidate) => candidate !== option);
    if (isArray(config.groups)) {
      for (const group of config.groups.filter(isObject)) {
        if (isArray(group.option_ids))
          group.option_ids = group.option_ids.filter((id) => id !== option.id);
      }
    }
    forEachValue(workspace, edit.dataSourceId, propertyId, (held) =>
      held.id === option.id ? undefined : held,
    );
  } else if (edit.addOption) {
    const { name, color } = edit.addOption;
    if (named(name)) throw validationError(`${edit.property} already has an option ${name}`);
    options.push({ id: workspace.newId(), name, color: color ?? "default", description: null });
    config.options = options;
  }
  workspace.touch(source, person);
  return source;
}

/**
 * Rewrites, in every page of the data source, each option its value of the property holds
 * (`undefined` drops it). Page timestamps are left alone.
 */
function forEachValue(
  workspace: Workspace,
  dataSourceId: string,
  propertyId: string,
  map: (option: JsonObject) => JsonObject | undefined,
): void {
  for (const page of workspace.pagesOf(dataSourceId)) {
    const values = isObject(page.properties) ? page.properties : {};
    for (const value of Object.values(values)) {
      if (!isObject(value) || value.id !== propertyId) continue;
      const type = String(value.type);
      const held: Json | undefined = value[type];
      if (isArray(held)) {
        value[type] = held.filter(isObject).flatMap((option) => map(option) ?? []);
      } else if (isObject(held)) {
        value[type] = map(held) ?? null;
      }
    }
  }
}
