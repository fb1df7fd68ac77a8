import type { DataSourceObjectResponse } from "../notion/sdk-types.ts";
import { NotionMirrorError } from "../errors.ts";
import { schemaFingerprint } from "../notion/schema-fingerprint.ts";
import type { NotionApi } from "../notion/notion-api.ts";
import type { WatchedSource } from "./schema-watch.ts";

/** What the preflight learned, for the checks made per page. */
export interface Preflight {
  /** The integration's bot user: Notion stamps it as `last_edited_by` of every write it makes. */
  botId: string;
  /** Each checked data source's schema as read now, and the options this run created in it. */
  sources: Map<string, WatchedSource>;
}

/**
 * Before any write: the token works, and each data source the run touches still has the schema
 * the plan was computed from. A changed schema refuses the push (a planned value may no longer
 * fit): re-plan. Options that an earlier part of this run created (`ownOptions`, from its
 * snapshot) are not a change: the schema is compared without them.
 *
 * This is checked once, before the first write; a schema that moves during the push is the
 * per-page checks' to catch (see SchemaWatch).
 */
export async function preflight(
  api: NotionApi,
  dataSources: ReadonlyArray<{ dataSourceId: string; alias: string; fingerprint: string }>,
  ownOptions: ReadonlySet<string> = new Set(),
): Promise<Preflight> {
  const me = await api.me();
  const sources = new Map<string, WatchedSource>();
  for (const source of dataSources) {
    const live = await api.retrieveDataSource(
      source.dataSourceId,
      `checking the schema of ${source.alias}`,
    );
    const own = ownOptionsIn(live, ownOptions);
    if (
      schemaFingerprint(live) !== source.fingerprint &&
      (own.size === 0 || schemaFingerprint(without(live, own)) !== source.fingerprint)
    ) {
      throw new NotionMirrorError(
        "usage",
        `The schema of ${source.alias} changed since the plan was made (a property renamed, added, removed, retyped or its options changed). Nothing was sent.`,
        "Re-plan: notion-mirror sync pull && notion-mirror plan",
      );
    }
    sources.set(source.dataSourceId, {
      live,
      ownOptions: schemaFingerprint(live) === source.fingerprint ? new Set() : own,
    });
  }
  return { botId: me.id, sources };
}

type Properties = DataSourceObjectResponse["properties"];
type OptionConfig = { options?: Array<{ id: string }> };

/** The ids of `candidates` that are options of the schema. */
function ownOptionsIn(source: { properties: Properties }, candidates: ReadonlySet<string>) {
  const found = new Set<string>();
  for (const property of Object.values(source.properties)) {
    const config = (property as unknown as Record<string, OptionConfig | undefined>)[property.type];
    for (const option of config?.options ?? []) if (candidates.has(option.id)) found.add(option.id);
  }
  return found;
}

/** The schema without the given options (ids), as it was before this run created them. */
function without(source: { properties: Properties }, ids: ReadonlySet<string>) {
  const properties: Record<string, unknown> = {};
  for (const [name, property] of Object.entries(source.properties)) {
    const config = (property as unknown as Record<string, OptionConfig | undefined>)[property.type];
    properties[name] = config?.options
      ? {
          ...property,
          [property.type]: {
            ...config,
            options: config.options.filter((option) => !ids.has(option.id)),
          },
        }
      : property;
  }
  return { properties: properties as Properties };
}
