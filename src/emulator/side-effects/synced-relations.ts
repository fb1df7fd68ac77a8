import type { JsonObject } from "../json.ts";
import { isArray, isObject } from "../json.ts";
import type { Workspace } from "../workspace.ts";
import type { JournalEntry } from "../write-journal.ts";
import { userAsPropertyValue } from "../write/user-values.ts";
import { propertyById, relationIds } from "./derived-values.ts";

type Change = JournalEntry["changes"][number];

/** Who made the write that Notion follows up on, and when (an ISO minute). */
export interface WriteStamp {
  actor: JsonObject;
  time: string;
}

/**
 * Keeps the other side of every two-way (`dual_property`) relation in step with a write to
 * `page`, as Notion does: each page the write added to such a relation gets `page` appended to its
 * synced property, each page it removed loses it. A related page that changes is stamped as
 * edited by the writer at the write's time (its last_edited_time / last_edited_by, and the
 * properties showing them; those stamps are left out of the changes, as the journal leaves
 * them out of every write). `before` is the page's `properties` before the write (undefined for a
 * new page). Returns the related pages changed, with their changes.
 */
export function syncTwoWayRelations(
  workspace: Workspace,
  page: JsonObject,
  before: JsonObject | undefined,
  stamp: WriteStamp,
): Map<string, Change[]> {
  const changed = new Map<string, Change[]>();
  const sourceId = workspace.dataSourceIdOf(page);
  const schema = propertiesOf(sourceId ? workspace.dataSources.get(sourceId) : undefined);
  const pageId = String(page.id);
  for (const property of Object.values(schema)) {
    if (!isObject(property) || property.type !== "relation" || !isObject(property.relation))
      continue;
    const config = property.relation;
    if (config.type !== "dual_property" || !isObject(config.dual_property)) continue;
    const syncedId = config.dual_property.synced_property_id;
    const now = relationIds(propertyById(page, property.id)?.value);
    const then = relationIds(
      before ? propertyById({ properties: before }, property.id)?.value : undefined,
    );
    const moves = [
      ...now.filter((id) => !then.includes(id)).map((id) => ({ id, add: true })),
      ...then.filter((id) => !now.includes(id)).map((id) => ({ id, add: false })),
    ];
    for (const move of moves) {
      const related = workspace.pages.get(move.id);
      if (!related || workspace.dataSourceIdOf(related) !== config.data_source_id) continue;
      const synced = propertyById(related, syncedId);
      if (!synced || synced.value.type !== "relation" || !isArray(synced.value.relation)) continue;
      const list = synced.value.relation;
      const at = list.findIndex((item) => isObject(item) && item.id === pageId);
      if (move.add === at >= 0) continue; // already as it should be
      const previous = structuredClone(synced.value);
      if (move.add) list.push({ id: pageId });
      else list.splice(at, 1);
      const changes = changed.get(move.id) ?? [];
      changes.push({
        name: synced.name,
        id: String(synced.value.id),
        type: "relation",
        before: previous,
        after: structuredClone(synced.value),
      });
      changed.set(move.id, changes);
    }
  }
  for (const id of changed.keys()) {
    const related = workspace.pages.get(id);
    if (related) stampEdited(workspace, related, stamp);
  }
  return changed;
}

function propertiesOf(source: JsonObject | undefined): JsonObject {
  return source && isObject(source.properties) ? source.properties : {};
}

/** Stamps a page edited by `stamp.actor`, its last_edited_* properties included. */
function stampEdited(workspace: Workspace, page: JsonObject, stamp: WriteStamp): void {
  workspace.touch(page, stamp.actor, stamp.time);
  const properties = isObject(page.properties) ? page.properties : {};
  const author = workspace.users.get(String(stamp.actor.id)) ?? stamp.actor;
  for (const value of Object.values(properties)) {
    if (!isObject(value)) continue;
    if (value.type === "last_edited_time") value.last_edited_time = stamp.time;
    if (value.type === "last_edited_by") value.last_edited_by = userAsPropertyValue(author);
  }
}
