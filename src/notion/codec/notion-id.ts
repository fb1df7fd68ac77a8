const DASHED = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const COMPACT = /^[0-9a-f]{32}$/;

/**
 * A Notion id in its dashed lowercase form, from either form Notion accepts (dashed or the 32
 * hex digits of page URLs). Returns null when the text is not an id. Notion's ids are not always
 * RFC 4122 version 4, so only the shape is checked.
 *
 * @example normalizeNotionId("38B9CE7B60A4810AA3E0D0C7FDE33F0C") // "38b9ce7b-60a4-810a-a3e0-d0c7fde33f0c"
 */
export function normalizeNotionId(raw: string): string | null {
  const lower = raw.trim().toLowerCase();
  if (DASHED.test(lower)) return lower;
  if (!COMPACT.test(lower)) return null;
  return `${lower.slice(0, 8)}-${lower.slice(8, 12)}-${lower.slice(12, 16)}-${lower.slice(16, 20)}-${lower.slice(20)}`;
}
