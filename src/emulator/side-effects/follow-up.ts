import type { JsonObject } from "../json.ts";
import { isObject } from "../json.ts";
import type { Workspace } from "../workspace.ts";
import type { JournalEntry } from "../write-journal.ts";
import { propertyById, recomputeDerived, relationIds, sameId } from "./derived-values.ts";
import type { WriteStamp } from "./synced-relations.ts";
import { syncTwoWayRelations } from "./synced-relations.ts";

type Change = JournalEntry["changes"][number];

/** Recomputations one write may cause before the emulator stops following (a cycle of rollups). */
const RECOMPUTE_LIMIT = 10_000;

/**
 * What Notion does by itself once a write to `page` is applied (`before`: its properties until
 * then; undefined for a new page): the other side of its two-way relations follows (stamped by
 * the writer), then the formulas and rollups that can change are recomputed, on the page, on the
 * pages whose relation changed, and on every page that rolls up one of them, and so on. Pages
 * whose only change is a recomputed value are not stamped: Notion computes those values, nobody
 * edited the page. Each page Notion changed gets a journal entry with actor "notion".
 */
export function followUpWrite(
  workspace: Workspace,
  page: JsonObject,
  before: JsonObject | undefined,
  stamp: WriteStamp,
): void {
  const pageId = String(page.id);
  const changes = new Map<string, Change[]>([[pageId, []]]);
  const note = (id: string, list: readonly Change[]) => {
    if (list.length > 0) changes.set(id, [...(changes.get(id) ?? []), ...list]);
  };
  const partners = syncTwoWayRelations(workspace, page, before, stamp);
  for (const [id, list] of partners) note(id, list);

  // Pages whose own inputs moved are followed even when none of their computed values changes.
  const moved = new Set([pageId, ...partners.keys()]);
  const queue = [...moved];
  const queued = new Set(queue);
  for (let budget = RECOMPUTE_LIMIT; queue.length > 0 && budget > 0; budget -= 1) {
    const id = queue.shift() ?? "";
    queued.delete(id);
    const target = workspace.pages.get(id);
    if (!target) continue;
    const derived = recomputeDerived(workspace, target);
    note(id, derived);
    if (derived.length === 0 && !moved.delete(id)) continue;
    for (const holder of holdersOf(workspace, target)) {
      if (queued.has(holder)) continue;
      queued.add(holder);
      queue.push(holder);
    }
  }
  let any = false;
  for (const [id, list] of changes) {
    if (list.length === 0) continue;
    any = true;
    workspace.journal.record({
      pageId: id,
      actor: "notion",
      userId: String(stamp.actor.id),
      changes: list,
    });
  }
  if (any) workspace.version += 1;
}

/**
 * The pages that roll up something of `page`: those of a data source with a rollup through a
 * relation to `page`'s data source, whose value of that relation holds `page`.
 */
function holdersOf(workspace: Workspace, page: JsonObject): string[] {
  const target = workspace.dataSourceIdOf(page);
  const id = String(page.id);
  const holders: string[] = [];
  for (const [sourceId, source] of workspace.dataSources) {
    const schema = isObject(source.properties) ? source.properties : {};
    const relations = Object.values(schema).flatMap((property) => {
      if (!isObject(property) || property.type !== "rollup" || !isObject(property.rollup))
        return [];
      const through = property.rollup.relation_property_id;
      const relation = Object.values(schema).find(
        (candidate) => isObject(candidate) && sameId(candidate.id, through),
      );
      return isObject(relation) &&
        isObject(relation.relation) &&
        relation.relation.data_source_id === target
        ? [relation.id]
        : [];
    });
    if (relations.length === 0) continue;
    for (const candidate of workspace.pagesOf(sourceId)) {
      if (
        relations.some((relation) =>
          relationIds(propertyById(candidate, relation)?.value).includes(id),
        )
      )
        holders.push(String(candidate.id));
    }
  }
  return holders;
}
