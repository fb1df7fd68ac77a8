import type { DataSourceObjectResponse } from "../notion/sdk-types.ts";
import type { ChangeOutcome, EngineChange } from "./engine-types.ts";

/*
 * The options a change names, a schema has and a value holds, in one shape ({id, name}), for the
 * checks that keep a push from creating options its plan did not allow (see SchemaWatch).
 */

/** What the watch needs of a change: the snapshot's description of it is enough. */
export type WatchedChange = Pick<
  EngineChange,
  "changeId" | "dataSourceId" | "propertyId" | "propertyName" | "propertyType"
> & { payload: unknown };

/** An option as a payload names it: by id (an option the plan saw) or by name (a new one). */
export type OptionRef = { id: string; name?: undefined } | { id?: undefined; name: string };
export interface SchemaOption {
  id: string;
  name: string;
}
/** Per property id, its options (select, multi_select, status). */
export type OptionSchema = Map<string, SchemaOption[]>;

const OPTION_TYPES = new Set(["select", "multi_select", "status"]);

/** The options a change writes: none when it is not an option type, or clears the value. */
export function optionRefs(change: Pick<WatchedChange, "propertyType" | "payload">): OptionRef[] {
  if (!OPTION_TYPES.has(change.propertyType)) return [];
  const body = (change.payload as Record<string, unknown> | null)?.[change.propertyType];
  const list = Array.isArray(body) ? body : body ? [body] : [];
  return list.flatMap((item: unknown): OptionRef[] => {
    const option = item as { id?: unknown; name?: unknown } | null;
    if (typeof option?.id === "string") return [{ id: option.id }];
    if (typeof option?.name === "string") return [{ name: option.name }];
    return [];
  });
}

/** The options a data source's schema has, per property id. */
export function optionSchema(source: Pick<DataSourceObjectResponse, "properties">): OptionSchema {
  const schema: OptionSchema = new Map();
  for (const property of Object.values(source.properties)) {
    if (!OPTION_TYPES.has(property.type)) continue;
    const config = (property as unknown as Record<string, { options?: SchemaOption[] }>)[
      property.type
    ];
    schema.set(
      property.id,
      (config?.options ?? []).map((option) => ({ id: option.id, name: option.name })),
    );
  }
  return schema;
}

/** The options a value holds ({id, name}), from Notion's JSON of a select / multi_select / status. */
export function heldOptions(value: unknown): SchemaOption[] {
  if (!value || typeof value !== "object") return [];
  const property = value as Record<string, unknown>;
  const held = property[String(property.type)];
  const list = Array.isArray(held) ? held : held ? [held] : [];
  return list.filter(
    (option): option is SchemaOption =>
      typeof (option as SchemaOption | null)?.id === "string" &&
      typeof (option as SchemaOption).name === "string",
  );
}

/**
 * The option ids that earlier writes of this run may have created: those its by-name writes'
 * answers hold (from the snapshot of an interrupted invocation). The preflight leaves them out
 * of the schema it compares with the plan's fingerprint, so that a run that created an option
 * can still be resumed.
 */
export function writtenByName(
  changes: readonly WatchedChange[],
  outcomes: Iterable<Pick<ChangeOutcome, "changeId" | "status" | "after">>,
): Set<string> {
  const byId = new Map(changes.map((change) => [change.changeId, change]));
  const ids = new Set<string>();
  for (const outcome of outcomes) {
    const change = byId.get(outcome.changeId);
    if (!change || outcome.status !== "applied") continue;
    const names = new Set(optionRefs(change).flatMap((ref) => (ref.name ? [ref.name] : [])));
    for (const held of heldOptions(outcome.after)) if (names.has(held.name)) ids.add(held.id);
  }
  return ids;
}
