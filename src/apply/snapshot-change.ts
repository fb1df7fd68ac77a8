import type { SnapshotChange } from "../snapshot/entries.ts";
import type { EngineChange } from "./engine-types.ts";

/**
 * What a run's snapshot names of a change: the seven fields a revert needs to undo it, without
 * the guard and expectation that only this invocation uses.
 */
export function snapshotChangeOf(change: EngineChange): SnapshotChange {
  return {
    changeId: change.changeId,
    pageId: change.pageId,
    dataSourceId: change.dataSourceId,
    propertyId: change.propertyId,
    propertyName: change.propertyName,
    propertyType: change.propertyType,
    payload: change.payload,
  };
}
