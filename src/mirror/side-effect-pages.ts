import type { PageObjectResponse } from "../notion/sdk-types.ts";
import type Database from "better-sqlite3";
import { relationAndRollupProperties } from "./stored-schemas.ts";
import { objectOf, parseObject } from "../util/json-object.ts";

/** Pages followed from one write before giving up on the rest (a cycle of rollups). */
const FOLLOW_LIMIT = 10_000;

interface RollupPath {
  /** The data source of the pages holding the rollup. */
  dataSourceId: string;
  /** Their relation property the rollup goes through. */
  relationId: string;
}

/**
 * Which mirrored pages Notion changes by itself when a page is written, from the schemas the
 * mirror holds:
 * - the pages the write added to or removed from a two-way (`dual_property`) relation: Notion
 *   edits their synced property (and stamps them, so an incremental pull sees them);
 * - the pages that roll up something of a changed page through a relation, and so on: Notion
 *   recomputes their rollups (and the formulas over them) without stamping them, so only a
 *   re-read shows the new values.
 * The mirror cannot know those pages' new state (the write's answer is the written page only),
 * so the caller marks them not current. Reads only; cheap per page (indexed look-ups).
 */
export interface SideEffectPages {
  /**
   * The pages other than `after` whose mirror rows a write of `after` (a page of `dataSourceId`)
   * may have made stale; `before` is the page as the mirror held it (undefined if it did not).
   */
  changedBy(
    dataSourceId: string,
    before: PageObjectResponse | undefined,
    after: PageObjectResponse,
  ): string[];
}

export function sideEffectPages(sqlite: Database.Database): SideEffectPages {
  const rows = relationAndRollupProperties(sqlite);
  const twoWay = new Set<string>();
  const relationTarget = new Map<string, string>();
  const rollups: Array<{ dataSourceId: string; through: string }> = [];
  for (const row of rows) {
    const config = parseObject(row.configJson);
    if (row.type === "relation") {
      const relation = objectOf(config.relation);
      relationTarget.set(key(row.dataSourceId, row.propertyId), String(relation.data_source_id));
      if (relation.type === "dual_property") twoWay.add(key(row.dataSourceId, row.propertyId));
    } else {
      const through = objectOf(config.rollup).relation_property_id;
      if (typeof through === "string") rollups.push({ dataSourceId: row.dataSourceId, through });
    }
  }
  // By the data source a rollup reads: the relations that lead to it.
  const pathsTo = new Map<string, RollupPath[]>();
  for (const rollup of rollups) {
    for (const row of rows) {
      if (row.type !== "relation" || row.dataSourceId !== rollup.dataSourceId) continue;
      if (decoded(row.propertyId) !== decoded(rollup.through)) continue;
      const target = relationTarget.get(key(row.dataSourceId, row.propertyId)) ?? "";
      pathsTo.set(target, [
        ...(pathsTo.get(target) ?? []),
        { dataSourceId: row.dataSourceId, relationId: row.propertyId },
      ]);
    }
  }
  const holders = sqlite.prepare(
    `SELECT DISTINCT r.page_id AS id, p.data_source_id AS dataSourceId FROM relations AS r JOIN pages AS p ON p.id = r.page_id
     WHERE r.target_page_id = ? AND r.property_id = ? AND p.data_source_id = ?`,
  );

  return {
    changedBy(dataSourceId, before, after) {
      const found = new Map<string, string>();
      const synced = (value: PageObjectResponse["properties"][string] | undefined) =>
        value?.type === "relation" ? value.relation.map((item) => item.id) : [];
      for (const value of Object.values(after.properties)) {
        if (value.type !== "relation" || !twoWay.has(key(dataSourceId, value.id))) continue;
        const now = synced(value);
        const then = synced(
          before && Object.values(before.properties).find((old) => old.id === value.id),
        );
        const target = relationTarget.get(key(dataSourceId, value.id)) ?? "";
        for (const id of [
          ...now.filter((x) => !then.includes(x)),
          ...then.filter((x) => !now.includes(x)),
        ])
          found.set(id, target);
      }
      // Every changed page may be rolled up elsewhere: follow rollups from each.
      const queue: Array<[string, string]> = [[after.id, dataSourceId], ...found];
      for (let left = FOLLOW_LIMIT; queue.length > 0 && left > 0; left -= 1) {
        const [pageId, sourceId] = queue.shift() ?? ["", ""];
        for (const path of pathsTo.get(sourceId) ?? []) {
          for (const holder of holders.all(pageId, path.relationId, path.dataSourceId) as Array<{
            id: string;
            dataSourceId: string;
          }>) {
            if (holder.id === after.id || found.has(holder.id)) continue;
            found.set(holder.id, holder.dataSourceId);
            queue.push([holder.id, holder.dataSourceId]);
          }
        }
      }
      found.delete(after.id);
      return [...found.keys()];
    },
  };
}

function key(dataSourceId: string, propertyId: string): string {
  return `${dataSourceId}\u0000${propertyId}`;
}

/** Rollup configs name property ids decoded (`v_]<`), schemas and pages encoded (`v_%5D%3C`). */
function decoded(id: string): string {
  try {
    return decodeURIComponent(id);
  } catch {
    return id;
  }
}
