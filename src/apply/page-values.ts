import type { PageObjectResponse } from "../notion/sdk-types.ts";
import type { PropertyValue } from "../notion/codec/index.ts";
import { isEmptyValue, payloadMatches, valuesEqual } from "../notion/codec/index.ts";
import type { EngineChange } from "./engine-types.ts";
import { payloadWithoutPages, withoutPages } from "./own-side-effects.ts";
import type { SchemaWatch } from "./schema-watch.ts";

/** A page's value of a property, by id (ids survive renames). */
export function valueOf(page: PageObjectResponse, propertyId: string): PropertyValue | undefined {
  return Object.values(page.properties).find((value) => value.id === propertyId);
}

/**
 * Does the live value let the change go ahead? Returns why not, or undefined. A revert's guard
 * leaves out of the comparison the pages Notion related or unrelated by itself because of the
 * run's own writes on the other side of a two-way relation (`syncedByRun`).
 */
export function guardRefusal(change: EngineChange, live: PropertyValue): string | undefined {
  switch (change.guard.kind) {
    case "any":
      return undefined;
    case "empty":
      return isEmptyValue(live) ? undefined : "filled since the plan (the value there now is kept)";
    case "equals": {
      const own = change.guard.syncedByRun;
      return valuesEqual(withoutPages(live, own), withoutPages(change.guard.value, own))
        ? undefined
        : "changed since the run wrote it (the value there now is kept)";
    }
    case "holds": {
      const own = change.guard.syncedByRun;
      return payloadMatches(withoutPages(live, own), payloadWithoutPages(change.guard.payload, own))
        ? undefined
        : "the interrupted run's write is not there (never landed, or changed since): nothing to undo";
    }
  }
}

/** Does the live value hold what the change writes? (Settles a write whose answer was lost.) */
export function holdsIntended(change: EngineChange, live: PropertyValue): boolean {
  return change.expected.kind === "value"
    ? valuesEqual(live, change.expected.value)
    : payloadMatches(live, change.payload);
}

/** Is the live value still the pre-image (the write did not land)? */
export function stillBefore(before: unknown, live: PropertyValue): boolean {
  if (!before || typeof before !== "object") return isEmptyValue(live);
  const previous = before as PropertyValue;
  if (isEmptyValue(previous) && isEmptyValue(live)) return true;
  return valuesEqual(previous, live);
}

/** What the per-page checks know beyond the change itself (a push's; a revert needs none). */
export interface LiveChecks {
  /** The integration's bot user id, as Notion stamps it in `last_edited_by`. */
  botId?: string;
  /** When the plan was made (ISO): a page this bot edited since may hold this run's own write. */
  since?: string;
  /** The options of the data sources the run writes, watched during the push. */
  watch?: SchemaWatch;
}

/** What to do with a change, given the live value right before its page's write. */
export type LiveVerdict =
  /** Write it (once the options it names are checked: see SchemaWatch). */
  | { kind: "write" }
  /** Nothing to send: the value it writes is there already. Settled as applied, with this note. */
  | { kind: "already-there"; note: string }
  /** Keep the live value (filled or changed since): reported as protected / a conflict. */
  | { kind: "keep"; reason: string };

/**
 * The check made per change right before its page's write (resumed writes are settled apart):
 * - a restore whose value is already there (reverted before, or by hand): nothing to send;
 * - a fill whose planned value is already there, written by this integration since the plan:
 *   another copy of the project pushed the same run (its lock is in its own folder), so it is
 *   settled, not written again;
 * - the guard (empty for a fill, the run's after-image for a revert).
 * The options a write names are checked after this, by the engine (see SchemaWatch). Pure.
 */
export function liveVerdict(
  change: EngineChange,
  live: PropertyValue,
  page: PageObjectResponse,
  checks: LiveChecks = {},
): LiveVerdict {
  if (change.expected.kind === "value" && change.guard.kind === "equals") {
    if (holdsIntended(change, live))
      return { kind: "already-there", note: "already held the value to restore; nothing sent" };
  }
  if (
    change.guard.kind === "empty" &&
    !isEmptyValue(live) &&
    holdsIntended(change, live) &&
    writtenByUsSince(page, checks)
  ) {
    return {
      kind: "already-there",
      note: "already held the planned value, written by this integration since the plan (another copy of this project pushing the same run?); nothing sent",
    };
  }
  const kept = guardRefusal(change, live);
  return kept ? { kind: "keep", reason: kept } : { kind: "write" };
}

/** Last edited by this integration's bot, in or after the minute the plan was made. */
function writtenByUsSince(page: PageObjectResponse, checks: LiveChecks): boolean {
  if (!checks.botId || !checks.since || page.last_edited_by.id !== checks.botId) return false;
  // Notion rounds last_edited_time down to the minute: compare minutes.
  const minute = (iso: string) => Math.floor(Date.parse(iso) / 60_000);
  return minute(page.last_edited_time) >= minute(checks.since);
}
