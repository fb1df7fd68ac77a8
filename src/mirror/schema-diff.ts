import type { DataSourceObjectResponse } from "../notion/sdk-types.ts";

export type SchemaChangeKind = "added" | "removed" | "renamed" | "type_changed";

export interface SchemaChange {
  propertyId: string;
  kind: SchemaChangeKind;
  /** Name or type before (null for added). */
  before: string | null;
  /** Name or type after (null for removed). */
  after: string | null;
}

export interface KnownProperty {
  propertyId: string;
  name: string;
  type: string;
}

/** What changed between the properties the mirror knew and the schema Notion returns now, by id. */
export function diffSchema(
  known: readonly KnownProperty[],
  current: DataSourceObjectResponse["properties"],
): SchemaChange[] {
  const changes: SchemaChange[] = [];
  const now = new Map(Object.values(current).map((property) => [property.id, property]));
  for (const old of known) {
    const fresh = now.get(old.propertyId);
    if (!fresh) {
      changes.push({ propertyId: old.propertyId, kind: "removed", before: old.name, after: null });
      continue;
    }
    if (fresh.name !== old.name) {
      changes.push({
        propertyId: old.propertyId,
        kind: "renamed",
        before: old.name,
        after: fresh.name,
      });
    }
    if (fresh.type !== old.type) {
      changes.push({
        propertyId: old.propertyId,
        kind: "type_changed",
        before: old.type,
        after: fresh.type,
      });
    }
  }
  const knownIds = new Set(known.map((property) => property.propertyId));
  for (const property of now.values()) {
    if (!knownIds.has(property.id)) {
      changes.push({ propertyId: property.id, kind: "added", before: null, after: property.name });
    }
  }
  return changes;
}

/** Added and retyped properties change what pages hold, so their data source is pulled in full. */
export function needsFullRepull(changes: readonly SchemaChange[]): boolean {
  return changes.some((change) => change.kind === "added" || change.kind === "type_changed");
}
