const DASHED = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const PLAIN = /^[0-9a-f]{32}$/;
const NIL = "00000000-0000-0000-0000-000000000000";

/**
 * Notion accepts ids with or without dashes; returns the dashed lowercase form, or null when the
 * text is not a valid uuid (which Notion answers with 400 validation_error, not 404). Valid means
 * 32 hex digits whose variant digit (the first of the fourth group) is 8, 9, a or b, or the nil
 * uuid: Notion refused `12345678-1234-1234-1234-123456789abc` and took the nil uuid (both
 * recorded). The version digit is not checked: Notion's own ids carry 4 and 8.
 */
export function normalizeId(raw: string): string | null {
  const lower = raw.trim().toLowerCase();
  const dashed = DASHED.test(lower)
    ? lower
    : PLAIN.test(lower)
      ? `${lower.slice(0, 8)}-${lower.slice(8, 12)}-${lower.slice(12, 16)}-${lower.slice(16, 20)}-${lower.slice(20)}`
      : null;
  if (dashed === null) return null;
  return dashed === NIL || "89ab".includes(dashed.charAt(19)) ? dashed : null;
}

/** The id without dashes, as Notion puts it in page URLs. */
export function compactId(id: string): string {
  return id.replaceAll("-", "");
}

/**
 * Deterministic id source: the same seed and sequence of calls gives the same ids, so demo
 * workspaces and test runs are reproducible. Ids look like Notion's (version-4 layout).
 */
export class IdSource {
  private counter = 0;
  constructor(private readonly seed: number = 0x5eed) {}

  next(): string {
    this.counter += 1;
    const hex = (n: number, width: number) => n.toString(16).padStart(width, "0").slice(-width);
    const mixed = Math.imul(this.counter ^ this.seed, 0x9e3779b1) >>> 0;
    const mixed2 = Math.imul(mixed ^ (mixed >>> 15), 0x85ebca6b) >>> 0;
    return `${hex(mixed, 8)}-${hex(this.seed, 4)}-4${hex(this.counter >>> 16, 3)}-8${hex(mixed2 >>> 20, 3)}-${hex(this.counter, 12)}`;
  }
}
