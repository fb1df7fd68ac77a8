import { restorePayload, valuesEqual } from "../notion/codec/index.ts";
import type { PropertyValue } from "../notion/codec/index.ts";
import type {
  PostEntry,
  PreEntry,
  RunEntry,
  SnapshotChange,
  SnapshotEntry,
} from "../snapshot/entries.ts";
import type { EngineChange } from "./engine-types.ts";
import { syncedByRun } from "./own-side-effects.ts";
import type { SyncedLookup } from "./synced-relations.ts";

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
 * (pre-image, no outcome) is reverted only if its write is found to have landed. With `synced`
 * (the two-way relations of the schemas), the guard of a relation leaves out the pages the run's
 * own writes on its other side moved (see syncedByRun); without it, they count as changes. Pure.
 */
export function planRevert(
  entries: readonly SnapshotEntry[],
  options: { force?: boolean; synced?: SyncedLookup } = {},
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
  const own = options.synced ? syncedByRun(run.changes, pre, post, options.synced) : new Map();
  for (const original of run.changes) {
    const before = pre.get(original.changeId);
    const outcome = post.get(original.changeId);
    if (!before) continue; // never sent
    if (outcome && outcome.status !== "applied") continue; // skipped or failed: nothing written
    // Settled without a write (the value was already there, e.g. written by another copy of the
    // project pushing the same run): not this run's to undo.
    if (outcome && wroteNothing(before.before, outcome.after)) continue;
    const restore = restorePayload(before.before as PropertyValue);
    if (!restore.ok) {
      unrestorable.push({
        pageId: original.pageId,
        propertyName: original.propertyName,
        reason: restore.reason,
      });
      continue;
    }
    const syncedPages = own.get(original.changeId);
    const synced = syncedPages ? { syncedByRun: syncedPages } : {};
    const guard: EngineChange["guard"] = options.force
      ? { kind: "any" }
      : outcome
        ? { kind: "equals", value: outcome.after as PropertyValue, ...synced }
        : { kind: "holds", payload: original.payload, ...synced };
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

/** The pre-image and after-image of an applied change are the same value: nothing was written. */
function wroteNothing(before: unknown, after: unknown): boolean {
  const isValue = (value: unknown): value is PropertyValue =>
    typeof value === "object" && value !== null && "type" in value;
  return isValue(before) && isValue(after) && valuesEqual(before, after);
}

/** A select / multi-select option a fill run created by writing its name: revert leaves it in the schema. */
export interface CreatedOption {
  dataSourceId: string;
  propertyName: string;
  option: string;
}

/**
 * The options a fill run introduced: option values its applied writes put in place that the
 * schema the run was planned against did not have. `schemaAtPlan` gives that schema's
 * `properties` for a data source, or undefined when it is no longer known (the mirror was pulled
 * since, or is gone): those data sources are listed in `unchecked` rather than guessed. Pure.
 */
export function createdOptions(
  entries: readonly SnapshotEntry[],
  schemaAtPlan: (dataSourceId: string, fingerprint: string) => Record<string, unknown> | undefined,
): { created: CreatedOption[]; unchecked: string[] } {
  const run = entries[0];
  if (run?.type !== "run" || run.kind !== "fill") return { created: [], unchecked: [] };
  const applied = new Map<number, PostEntry>();
  for (const entry of entries)
    if (entry.type === "post" && entry.status === "applied") applied.set(entry.changeId, entry);
  const created = new Map<string, CreatedOption>();
  const unchecked = new Set<string>();
  for (const change of run.changes) {
    if (change.propertyType !== "select" && change.propertyType !== "multi_select") continue;
    const after = applied.get(change.changeId)?.after as PropertyValue | undefined;
    if (!after) continue;
    const fingerprint =
      run.dataSources.find((source) => source.id === change.dataSourceId)?.fingerprint ?? "";
    const schema = schemaAtPlan(change.dataSourceId, fingerprint);
    if (!schema) {
      unchecked.add(change.dataSourceId);
      continue;
    }
    const property = Object.values(schema).find(
      (candidate) => (candidate as { id?: unknown }).id === change.propertyId,
    ) as Record<string, { options?: Array<{ id: string }> }> | undefined;
    const known = new Set(
      (property?.[change.propertyType]?.options ?? []).map((option) => option.id),
    );
    const values =
      after.type === "select"
        ? after.select
          ? [after.select]
          : []
        : after.type === "multi_select"
          ? after.multi_select
          : [];
    for (const option of values) {
      if (known.has(option.id)) continue;
      created.set(`${change.dataSourceId}/${change.propertyId}/${option.id}`, {
        dataSourceId: change.dataSourceId,
        propertyName: change.propertyName,
        option: option.name,
      });
    }
  }
  return { created: [...created.values()], unchecked: [...unchecked] };
}
