import type { PropertyValue } from "../notion/codec/index.ts";
import { normalizeNotionId } from "../notion/codec/index.ts";
import type { PostEntry, PreEntry, SnapshotChange } from "../snapshot/entries.ts";
import type { SyncedLookup } from "./synced-relations.ts";

/** The page ids of a relation value or payload (`[{id}]`), normalised. */
function idsOf(list: unknown): string[] {
  if (!Array.isArray(list)) return [];
  return list.flatMap((item) => {
    const id = (item as { id?: unknown } | null)?.id;
    const normal = typeof id === "string" ? normalizeNotionId(id) : null;
    return normal ? [normal] : [];
  });
}

function relationOf(value: unknown): unknown {
  return (value as { relation?: unknown } | null)?.relation;
}

function decoded(id: string): string {
  try {
    return decodeURIComponent(id);
  } catch {
    return id;
  }
}

/**
 * For each relation change of a run (by change id), the pages whose presence in that relation
 * Notion decided by itself because of the run's own writes: the relation is two-way, and the run
 * also wrote its synced property on those pages, adding or removing this change's page there.
 * Notion then added or removed them here, after (or before) this change's own write; and a revert
 * of the run undoes both, in whatever order. Those pages say nothing about a person's edits, so a
 * revert's three-way check leaves them out (see {@link withoutPages}); any other difference still
 * counts. A write of the run that was in flight when it died counts as landed (its payload).
 */
export function syncedByRun(
  changes: readonly SnapshotChange[],
  pre: ReadonlyMap<number, PreEntry>,
  post: ReadonlyMap<number, PostEntry>,
  synced: SyncedLookup,
): Map<number, string[]> {
  const moved = (change: SnapshotChange): string[] => {
    const before = pre.get(change.changeId);
    const outcome = post.get(change.changeId);
    if (!before || (outcome && outcome.status !== "applied")) return [];
    const then = idsOf(relationOf(before.before));
    const now = idsOf(relationOf(outcome ? outcome.after : change.payload));
    return [...now.filter((id) => !then.includes(id)), ...then.filter((id) => !now.includes(id))];
  };
  const found = new Map<number, string[]>();
  for (const change of changes) {
    if (change.propertyType !== "relation") continue;
    const other = synced({ dataSourceId: change.dataSourceId, propertyId: change.propertyId });
    if (!other) continue;
    const page = normalizeNotionId(change.pageId) ?? change.pageId;
    const pages = changes.flatMap((candidate) =>
      candidate.propertyType === "relation" &&
      candidate.dataSourceId === other.dataSourceId &&
      decoded(candidate.propertyId) === decoded(other.propertyId) &&
      moved(candidate).includes(page)
        ? [normalizeNotionId(candidate.pageId) ?? candidate.pageId]
        : [],
    );
    if (pages.length > 0) found.set(change.changeId, pages);
  }
  return found;
}

/** A relation value without the given pages; any other value as it is. */
export function withoutPages(
  value: PropertyValue,
  pages: readonly string[] | undefined,
): PropertyValue {
  if (!pages || pages.length === 0 || value.type !== "relation") return value;
  return {
    ...value,
    relation: value.relation.filter(
      (item) => !pages.includes(normalizeNotionId(item.id) ?? item.id),
    ),
  };
}

/** A relation payload (`{relation: [{id}]}`) without the given pages; any other as it is. */
export function payloadWithoutPages(
  payload: unknown,
  pages: readonly string[] | undefined,
): unknown {
  const list = relationOf(payload);
  if (!pages || pages.length === 0 || !Array.isArray(list)) return payload;
  return {
    ...(payload as object),
    relation: list.filter((item) => {
      const id = (item as { id?: unknown } | null)?.id;
      return !(typeof id === "string" && pages.includes(normalizeNotionId(id) ?? id));
    }),
  };
}
