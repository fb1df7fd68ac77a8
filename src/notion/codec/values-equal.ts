import { canonicalValue, sameJson } from "./canonical-value.ts";
import type { PropertyValue } from "./types.ts";

/** Whether Notion truncated this value (a relation past 25 items in a page object). */
function truncated(value: PropertyValue): boolean {
  return "has_more" in value && value.has_more === true;
}

/**
 * True when two API values of a property mean the same thing: the conflict check of push
 * (is the live value still what the plan saw?) and revert (is it still what the run wrote?).
 * Rendering-only differences are ignored (see {@link canonicalValue}); real ones are not: text,
 * annotations, links, mention targets, option identity, order of relations, people and
 * multi_select, a date's instant to the minute (Notion keeps no seconds), end or time zone.
 *
 * Values of different types are never equal, and a value Notion truncated (`has_more: true`)
 * equals nothing: it cannot be confirmed, so the caller must read it in full first. Never throws.
 */
export function valuesEqual(a: PropertyValue, b: PropertyValue): boolean {
  if (a.type !== b.type || truncated(a) || truncated(b)) return false;
  return sameJson(canonicalValue(a), canonicalValue(b));
}
