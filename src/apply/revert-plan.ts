import { restorePayload } from "../notion/codec/index.ts";
import type { PropertyValue } from "../notion/codec/index.ts";
import type {
  PostEntry,
  PreEntry,
  RunEntry,
  SnapshotChange,
  SnapshotEntry,
} from "../snapshot/entries.ts";
import type { EngineChange } from "./engine-types.ts";

/** A change of the run being reverted that cannot be put back exactly, and why. */
export interface Unrestorable {
  pageId: string;
  propertyName: string;
  reason: string;
}

export interface RevertPlan {
  run: RunEntry;
  /** Engine changes, numbered from 1; `original` is the change of the reverted run. */
  changes: Array<EngineChange & { original: SnapshotChange; expectedNow: unknown }>;
  unrestorable: Unrestorable[];
}

/**
 * From a run's snapshot alone, what a revert writes: for each change the run applied, its
 * pre-image (exact restore payload), guarded by the live value still being the run's after-image
 * (or, with `force`, whatever is there). A change whose write was in flight when the run died
 * (pre-image, no outcome) is reverted only if its write is found to have landed. Pure.
 */
export function planRevert(
  entries: readonly SnapshotEntry[],
  options: { force?: boolean } = {},
): RevertPlan {
  const run = entries[0];
  if (!run || run.type !== "run") throw new Error("a snapshot starts with its run entry");
  const pre = new Map<number, PreEntry>();
  const post = new Map<number, PostEntry>();
  for (const entry of entries) {
    if (entry.type === "pre") pre.set(entry.changeId, entry);
    else if (entry.type === "post") post.set(entry.changeId, entry);
  }
  const changes: RevertPlan["changes"] = [];
  const unrestorable: Unrestorable[] = [];
  for (const original of run.changes) {
    const before = pre.get(original.changeId);
    const outcome = post.get(original.changeId);
    if (!before) continue; // never sent
    if (outcome && outcome.status !== "applied") continue; // skipped or failed: nothing written
    const restore = restorePayload(before.before as PropertyValue);
    if (!restore.ok) {
      unrestorable.push({
        pageId: original.pageId,
        propertyName: original.propertyName,
        reason: restore.reason,
      });
      continue;
    }
    const guard: EngineChange["guard"] = options.force
      ? { kind: "any" }
      : outcome
        ? { kind: "equals", value: outcome.after as PropertyValue }
        : { kind: "holds", payload: original.payload };
    changes.push({
      changeId: changes.length + 1,
      pageId: original.pageId,
      dataSourceId: original.dataSourceId,
      propertyId: original.propertyId,
      propertyName: original.propertyName,
      propertyType: original.propertyType,
      payload: restore.payload,
      guard,
      expected: { kind: "value", value: before.before as PropertyValue },
      original,
      expectedNow: outcome?.after ?? null,
    });
  }
  return { run, changes, unrestorable };
}
