import { naturalValue } from "./natural-value.ts";
import type { PropertyContent } from "./types.ts";

/**
 * True when a property value is EMPTY as notion-mirror defines it, the one test behind "zero
 * overwrite": a fill may only target a value for which this is true.
 *
 * - text (title / rich_text): no items, or items whose plain text is all "" (Notion shows
 *   nothing). Whitespace is NOT empty: someone typed it, and a fill must not replace it.
 * - select / status / date / number / url / email / phone_number / place / verification: null.
 * - multi_select / people / relation / files: no items.
 * - checkbox: NEVER empty (unchecked is a value).
 * - button: never empty (it holds no value, so there is nothing to fill).
 * - computed types (formula, rollup, unique_id, created_*, last_edited_*): empty when they
 *   compute nothing (null, or an empty array rollup); useful for counts, never fillable
 *   (see {@link isWritableType}).
 *
 * Equivalent to `naturalValue(value) === null` except for button. Never throws.
 */
export function isEmptyValue(value: PropertyContent): boolean {
  if (value.type === "button") return false;
  return naturalValue(value) === null;
}
