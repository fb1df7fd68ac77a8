import type { PageObjectResponse } from "@notionhq/client";
import type { PropertyValue } from "../notion/codec/index.ts";
import { isEmptyValue, payloadMatches, valuesEqual } from "../notion/codec/index.ts";
import type { EngineChange } from "./engine-types.ts";

/** A page's value of a property, by id (ids survive renames). */
export function valueOf(page: PageObjectResponse, propertyId: string): PropertyValue | undefined {
  return Object.values(page.properties).find((value) => value.id === propertyId);
}

/** Does the live value let the change go ahead? Returns why not, or undefined. */
export function guardRefusal(change: EngineChange, live: PropertyValue): string | undefined {
  switch (change.guard.kind) {
    case "any":
      return undefined;
    case "empty":
      return isEmptyValue(live) ? undefined : "filled since the plan (the value there now is kept)";
    case "equals":
      return valuesEqual(live, change.guard.value)
        ? undefined
        : "changed since the run wrote it (the value there now is kept)";
    case "holds":
      return payloadMatches(live, change.guard.payload)
        ? undefined
        : "the interrupted run's write is not there (never landed, or changed since): nothing to undo";
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
