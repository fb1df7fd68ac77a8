import type { IdSource } from "../ids.ts";
import type { JsonObject } from "../json.ts";
import type { OptionRef } from "./property-values.ts";

/**
 * Builders for data source property SCHEMAS as `GET /v1/data_sources/{id}` returns them:
 * `{id, name, description, type, [type]: config}`, plus the declarative {@link PropertySpec} the
 * workspace generators describe their schemas with.
 */

export type OptionColor =
  "default" | "gray" | "brown" | "orange" | "yellow" | "green" | "blue" | "purple" | "pink" | "red";

export interface OptionSpec {
  name: string;
  color: OptionColor;
}

/** Notion's three fixed status groups, each holding some of the options. */
export interface StatusGroupSpec {
  name: "To-do" | "In progress" | "Complete";
  color: OptionColor;
  options: OptionSpec[];
}

/** Property types whose schema config is `{}`. */
export type PlainPropertyType =
  | "title"
  | "rich_text"
  | "date"
  | "people"
  | "files"
  | "checkbox"
  | "url"
  | "email"
  | "phone_number"
  | "created_time"
  | "created_by"
  | "last_edited_time"
  | "last_edited_by";

/** One property of a data source, declared by name; ids are allocated by the builder. */
export type PropertySpec =
  | { name: string; type: PlainPropertyType }
  | { name: string; type: "number"; format: string }
  | { name: string; type: "select" | "multi_select"; options: OptionSpec[] }
  | { name: string; type: "status"; groups: StatusGroupSpec[] }
  /** `target` is a data source key; `syncedWith` names the other side of a two-way relation. */
  | { name: string; type: "relation"; target: string; syncedWith?: string }
  /** `{{Property name}}` placeholders become Notion's `{{notion:block_property:…}}` references. */
  | { name: string; type: "formula"; expression: string }
  | { name: string; type: "rollup"; relation: string; property: string; function: string }
  | { name: string; type: "unique_id"; prefix: string | null };

/** The usual to-do / in-progress / complete status layout. */
export function statusGroups(
  todo: OptionSpec[],
  doing: OptionSpec[],
  done: OptionSpec[],
): StatusGroupSpec[] {
  return [
    { name: "To-do", color: "gray", options: todo },
    { name: "In progress", color: "blue", options: doing },
    { name: "Complete", color: "green", options: done },
  ];
}

export function allocateOptions(specs: readonly OptionSpec[], ids: IdSource): OptionRef[] {
  return specs.map((spec) => ({ id: ids.next(), name: spec.name, color: spec.color }));
}

export function schemaProperty(
  id: string,
  name: string,
  type: string,
  config: JsonObject,
): JsonObject {
  return { id, name, description: null, type, [type]: config };
}

export function optionsConfig(options: readonly OptionRef[]): JsonObject {
  return {
    options: options.map((o) => ({ id: o.id, name: o.name, color: o.color, description: null })),
  };
}

export interface AllocatedGroup {
  id: string;
  name: string;
  color: string;
  optionIds: string[];
}

export function statusConfig(
  options: readonly OptionRef[],
  groups: readonly AllocatedGroup[],
): JsonObject {
  return {
    ...optionsConfig(options),
    groups: groups.map((g) => ({
      id: g.id,
      name: g.name,
      color: g.color,
      option_ids: [...g.optionIds],
    })),
  };
}

export function numberConfig(format: string): JsonObject {
  return { format };
}

export interface RelationTarget {
  databaseId: string;
  dataSourceId: string;
}

export interface SyncedProperty {
  name: string;
  id: string;
}

/** A one-way relation (`single_property`) or, with `synced`, a two-way one (`dual_property`). */
export function relationConfig(target: RelationTarget, synced?: SyncedProperty): JsonObject {
  const common = { database_id: target.databaseId, data_source_id: target.dataSourceId };
  if (synced === undefined) return { ...common, type: "single_property", single_property: {} };
  return {
    ...common,
    type: "dual_property",
    dual_property: { synced_property_name: synced.name, synced_property_id: synced.id },
  };
}

/**
 * Rollup config. Notion answers the two property ids DEcoded (`v_]<`, not `v_%5D%3C`), unlike
 * every other place a property id appears; the recorded fixture shows it.
 */
export function rollupConfig(
  relation: SyncedProperty,
  rolledUp: SyncedProperty,
  fn: string,
): JsonObject {
  return {
    rollup_property_name: rolledUp.name,
    relation_property_name: relation.name,
    rollup_property_id: decodeURIComponent(rolledUp.id),
    relation_property_id: decodeURIComponent(relation.id),
    function: fn,
  };
}

export function formulaConfig(expression: string): JsonObject {
  return { expression };
}

export function uniqueIdConfig(prefix: string | null): JsonObject {
  return { prefix };
}

/** Replaces `{{Name}}` with Notion's internal reference to that property of the data source. */
export function formulaExpression(
  template: string,
  dataSourceId: string,
  ownerId: string,
  idOf: (name: string) => string,
): string {
  return template.replace(
    /\{\{([^}]+)\}\}/g,
    (_match, name: string) => `{{notion:block_property:${idOf(name)}:${dataSourceId}:${ownerId}}}`,
  );
}
