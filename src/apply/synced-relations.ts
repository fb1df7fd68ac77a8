import type { DataSourceObjectResponse } from "../notion/sdk-types.ts";
import type { Mirror } from "../mirror/open-mirror.ts";
import { relationConfigJson } from "../mirror/stored-schemas.ts";
import type { NotionApi } from "../notion/notion-api.ts";

/** A property of a data source, by id. */
export interface PropertyRef {
  dataSourceId: string;
  propertyId: string;
}

/**
 * For a relation property, the property Notion keeps in step with it on the related pages when
 * the relation is two-way (`dual_property`); undefined for a one-way relation or another type.
 */
export type SyncedLookup = (property: PropertyRef) => PropertyRef | undefined;

type RelationConfig = {
  type?: string;
  data_source_id?: string;
  dual_property?: { synced_property_id?: string };
};

function syncedOf(relation: RelationConfig | undefined): PropertyRef | undefined {
  const synced = relation?.dual_property?.synced_property_id;
  if (relation?.type !== "dual_property" || !relation.data_source_id || !synced) return undefined;
  return { dataSourceId: relation.data_source_id, propertyId: synced };
}

/** The two-way relations of the schemas the mirror holds. */
export function mirrorSyncedLookup(mirror: Mirror): SyncedLookup {
  return ({ dataSourceId, propertyId }) => {
    const configJson = relationConfigJson(mirror.sqlite, dataSourceId, propertyId);
    if (!configJson) return undefined;
    try {
      return syncedOf((JSON.parse(configJson) as { relation?: RelationConfig }).relation);
    } catch {
      return undefined;
    }
  };
}

/**
 * The two-way relations of the given data sources, read from Notion (one request each): for a
 * revert from a snapshot alone, which has no mirror to read schemas from.
 */
export async function liveSyncedLookup(
  api: NotionApi,
  dataSourceIds: Iterable<string>,
): Promise<SyncedLookup> {
  const schemas = new Map<string, DataSourceObjectResponse["properties"]>();
  for (const id of new Set(dataSourceIds)) {
    schemas.set(
      id,
      (await api.retrieveDataSource(id, `reading the relations of ${id}`)).properties,
    );
  }
  return ({ dataSourceId, propertyId }) => {
    const property = Object.values(schemas.get(dataSourceId) ?? {}).find(
      (candidate) => candidate.id === propertyId,
    );
    return property?.type === "relation"
      ? syncedOf(property.relation as unknown as RelationConfig)
      : undefined;
  };
}
