import type { Completeness } from "../mirror/completeness.ts";
import { completenessReader } from "../mirror/completeness.ts";
import type Database from "better-sqlite3";
import type { ProjectConfig } from "../config/project-config.ts";
import { NotionMirrorError } from "../errors.ts";
import { isWritableType } from "../notion/codec/index.ts";
import { OPTION_TYPES, countDataSource } from "./scan-counts.ts";
import { lastPull } from "../mirror/pull-records.ts";
import { sourceDescription, storedProperties } from "../mirror/stored-schemas.ts";
import { objectOf, parseObject } from "../util/json-object.ts";

/**
 * The canonical model of the workspace as the mirror holds it: what `notion-mirror scan` shows
 * and `--out` writes. Deterministic for a given workspace (no clock, no pull time: see
 * {@link lastPullAt}; properties sorted), so scans of an unchanged workspace are identical, even
 * across pulls, and scans over time diff cleanly.
 */
export interface CanonicalModel {
  format: "notion-mirror canonical-db-model 1";
  totals: {
    dataSources: number;
    liveRecords: number;
    properties: number;
    /** Empty values in fillable properties: what fill rules could target. */
    fillableEmpty: number;
  };
  /** In config order. */
  dataSources: ModelDataSource[];
}

export interface ModelDataSource {
  alias: string;
  id: string;
  title: string | null;
  databaseId: string | null;
  /** The SQL view showing it (its alias). */
  view: string;
  /** False when the mirror has never pulled it (then it has no properties and no pages). */
  pulled: boolean;
  schemaFingerprint: string | null;
  /** Pages neither in the trash nor gone from Notion. */
  livePages: number;
  /**
   * Whether the mirror holds every page Notion has (see `Completeness`): "complete", "unknown"
   * (pulled by a notion-mirror that did not check), or "never pulled".
   */
  mirror: Completeness["state"];
  /** Sorted by name, then id. */
  properties: ModelProperty[];
}

export interface ModelProperty {
  name: string;
  id: string;
  type: string;
  /** The view columns showing it (a date has two: start and `_end`). */
  columns: string[];
  /** notion-mirror can write this type (codec `isWritableType`). */
  writable: boolean;
  /** Writable and able to be empty: a fill rule may target it (a checkbox is never empty). */
  fillable: boolean;
  /** Live pages whose value is empty (natural value NULL); 0 for checkbox and button. */
  empty: number;
  /** empty / livePages, rounded to 4 decimals (0 without pages). */
  emptyShare: number;
  /** select / status / multi_select: the schema's options (unused ones too), then values no longer in it. */
  options?: ModelOption[];
  /** relation: the related data source (its alias when canonical, else its id). */
  relation?: { target: string; dataSourceId: string; canonical: boolean };
  /**
   * formula / rollup: live pages whose value Notion reports as `unsupported` (its dependencies are
   * too complex for the API). NULL in the view (counted in `empty` too); Notion's raw value is
   * kept in `pages.raw_json`. Present only when there are some.
   */
  unsupported?: number;
}

export interface ModelOption {
  name: string;
  /** Live pages holding it. */
  count: number;
  /** False for a value pages hold that the schema no longer lists. */
  inSchema: boolean;
  /** status: the group the option belongs to. */
  group?: string;
}

interface StoredProperty {
  propertyId: string;
  name: string;
  type: string;
  configJson: string;
  valueKey: string;
}

/**
 * Builds the canonical model from the mirror alone (no network): per canonical data source (in
 * config order) and property, type, view columns, writability, empty counts (one SQL pass over
 * values_json per data source) and option counts, relation targets. Throws a config error when
 * the file is not a mirror.
 *
 * @example
 * const sqlite = openMirrorReadOnly(config.mirrorPath);
 * try { console.log(scanMirror(config, sqlite).totals); } finally { sqlite.close(); }
 */
export function scanMirror(
  config: Pick<ProjectConfig, "dataSources" | "mirrorPath">,
  sqlite: Database.Database,
): CanonicalModel {
  try {
    return buildModel(config, sqlite);
  } catch (error) {
    if (error instanceof Error && error.name === "SqliteError") {
      throw new NotionMirrorError(
        "config",
        `${config.mirrorPath} cannot be scanned: ${error.message}`,
        "Try: notion-mirror sync pull (it creates and updates the mirror).",
        { cause: error },
      );
    }
    throw error;
  }
}

function buildModel(
  config: Pick<ProjectConfig, "dataSources">,
  sqlite: Database.Database,
): CanonicalModel {
  const aliases = new Map(config.dataSources.map((source) => [source.id, source.alias]));
  const completeness = completenessReader(sqlite);
  const columnsOf = sqlite.prepare(
    "SELECT property_id AS propertyId, column_name AS columnName FROM column_map WHERE data_source_id = ? AND property_id IS NOT NULL ORDER BY rowid",
  );
  const dataSources = config.dataSources.map((source): ModelDataSource => {
    const stored = sourceDescription(sqlite, source.id);
    const properties: StoredProperty[] = storedProperties(sqlite, source.id);
    const columns = new Map<string, string[]>();
    for (const row of columnsOf.all(source.id) as Array<{
      propertyId: string;
      columnName: string;
    }>) {
      columns.set(row.propertyId, [...(columns.get(row.propertyId) ?? []), row.columnName]);
    }
    const counts = countDataSource(sqlite, source.id, properties);
    return {
      alias: source.alias,
      id: source.id,
      title: stored?.title ?? null,
      databaseId: stored?.databaseId || null,
      view: source.alias,
      pulled: stored !== undefined,
      schemaFingerprint: stored?.fingerprint ?? null,
      livePages: counts.live,
      mirror: completeness(source.id).state,
      properties: properties
        .map((property) => {
          const empty = counts.empty.get(property.valueKey) ?? 0;
          return modelProperty(property, {
            columns: columns.get(property.propertyId) ?? [],
            empty,
            emptyShare: counts.live === 0 ? 0 : Math.round((empty / counts.live) * 10_000) / 10_000,
            values: counts.values.get(property.valueKey),
            unsupported: counts.unsupported.get(property.propertyId) ?? 0,
            aliases,
          });
        })
        .sort(byNameThenId),
    };
  });
  const allProperties = dataSources.flatMap((source) => source.properties);
  return {
    format: "notion-mirror canonical-db-model 1",
    totals: {
      dataSources: dataSources.length,
      liveRecords: dataSources.reduce((sum, source) => sum + source.livePages, 0),
      properties: allProperties.length,
      fillableEmpty: allProperties
        .filter((property) => property.fillable)
        .reduce((sum, property) => sum + property.empty, 0),
    },
    dataSources,
  };
}

function modelProperty(
  property: StoredProperty,
  facts: {
    columns: string[];
    empty: number;
    emptyShare: number;
    values: Map<string, number> | undefined;
    unsupported: number;
    aliases: Map<string, string>;
  },
): ModelProperty {
  const writable = isWritableType(property.type);
  const config = parseObject(property.configJson);
  const model: ModelProperty = {
    name: property.name,
    id: property.propertyId,
    type: property.type,
    columns: facts.columns,
    writable,
    fillable: writable && property.type !== "checkbox",
    empty: facts.empty,
    emptyShare: facts.emptyShare,
  };
  if (OPTION_TYPES.has(property.type)) {
    model.options = options(config[property.type], facts.values ?? new Map());
  }
  if (facts.unsupported > 0) model.unsupported = facts.unsupported;
  if (property.type === "relation") {
    const relation = objectOf(config.relation);
    const dataSourceId = String(relation.data_source_id ?? relation.database_id ?? "");
    const alias = facts.aliases.get(dataSourceId);
    model.relation = {
      target: alias ?? dataSourceId,
      dataSourceId,
      canonical: alias !== undefined,
    };
  }
  return model;
}

/** The schema's options in schema order with their counts, then values pages hold beyond them. */
function options(config: unknown, counts: Map<string, number>): ModelOption[] {
  const schema = objectOf(config);
  const groups = new Map<string, string>();
  for (const group of arrayOf(schema.groups)) {
    const { name, option_ids: ids } = objectOf(group);
    for (const id of arrayOf(ids)) groups.set(String(id), String(name));
  }
  const listed: ModelOption[] = arrayOf(schema.options).map((option) => {
    const { id, name } = objectOf(option);
    const group = groups.get(String(id));
    return {
      name: String(name),
      count: counts.get(String(name)) ?? 0,
      inSchema: true,
      ...(group === undefined ? {} : { group }),
    };
  });
  const names = new Set(listed.map((option) => option.name));
  const unlisted = [...counts]
    .filter(([name]) => !names.has(name))
    .sort(([a], [b]) => compare(a, b))
    .map(([name, count]) => ({ name, count, inSchema: false }));
  return [...listed, ...unlisted];
}

function arrayOf(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}

/** Code-unit order: the same on every machine, whatever the locale. */
function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function byNameThenId(a: ModelProperty, b: ModelProperty): number {
  return compare(a.name, b.name) || compare(a.id, b.id);
}

/**
 * When the mirror's last pull finished; null before any pull. Kept out of the model so that a
 * pull that found nothing new does not change it.
 */
export function lastPullAt(sqlite: Database.Database): string | null {
  return lastPull(sqlite)?.finishedAt ?? null;
}
