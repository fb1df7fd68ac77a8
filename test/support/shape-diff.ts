/**
 * Compares the SHAPE of two JSON values (key sets and value types, recursively), not their
 * values: ids, timestamps and texts differ between the emulator and a recorded Notion response,
 * the structure must not.
 */

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type JsonObject = { [key: string]: Json };

export interface ShapeOptions {
  /** Keys left out on both sides at every depth (default: request_id). */
  ignore?: readonly string[];
  /**
   * Keys ours may carry where the recording has none, e.g. `archived`, which Notion-Version
   * 2026-03-11 recordings no longer have but 2025-09-03 answers do.
   */
  extraAllowed?: readonly string[];
  /**
   * Report only what the recording has and ours lacks: for recordings older than the target API
   * version, which predate fields such as `time_zone`.
   */
  missingOnly?: boolean;
}

const isObject = (value: unknown): value is JsonObject =>
  typeof value === "object" && value !== null && !Array.isArray(value);

/**
 * What distinguishes shapes within one type: a property's or rich text's `type` plus its inner
 * `type` (formula result, rollup kind, mention kind, user type…).
 */
function variant(value: Json): string {
  if (!isObject(value)) return typeof value;
  const type = String(value.type ?? value.object ?? "");
  const inner = value[type];
  return `${type}:${isObject(inner) && typeof inner.type === "string" ? inner.type : ""}`;
}

/**
 * The differences in shape between `ours` and `recorded`, one line each with its path; empty when
 * they agree. Rules: null or missing on either side matches anything (an icon set on one side
 * only); each item of our arrays is compared with a recorded item of the same variant (items
 * with no recorded counterpart are not judged); a `properties` map (keyed by names, which differ)
 * is compared value by value against a recorded property of the same variant; two objects tagged
 * with different `type`s (and the same `object`, if any) are different members of a union (an
 * emoji icon and a file icon, a workspace parent and a page parent, a bot and a person) and are
 * not compared.
 *
 * @example expect(shapeDiff(await notion.pages.retrieve({page_id}), fixture("page.json"))).toEqual([])
 */
export function shapeDiff(ours: unknown, recorded: unknown, options: ShapeOptions = {}): string[] {
  const out: string[] = [];
  const ignore = new Set(options.ignore ?? ["request_id"]);
  const extra = new Set(options.extraAllowed ?? []);
  compare(ours as Json, recorded as Json, "$", {
    ignore,
    extra,
    missingOnly: options.missingOnly ?? false,
    out,
  });
  return out;
}

interface Walk {
  ignore: ReadonlySet<string>;
  extra: ReadonlySet<string>;
  missingOnly: boolean;
  out: string[];
}

function compare(ours: Json | undefined, theirs: Json | undefined, path: string, walk: Walk): void {
  if (ours === null || theirs === null || ours === undefined || theirs === undefined) return;
  if (Array.isArray(theirs)) {
    if (!Array.isArray(ours)) return void walk.out.push(`${path}: ${kind(ours)} vs recorded array`);
    for (const item of ours) {
      const match = theirs.find((candidate) => variant(candidate) === variant(item));
      if (match !== undefined) compare(item, match, `${path}[]`, walk);
    }
    return;
  }
  if (isObject(theirs)) {
    if (!isObject(ours)) return void walk.out.push(`${path}: ${kind(ours)} vs recorded object`);
    if (path.endsWith(".properties")) return compareByVariant(ours, theirs, path, walk);
    if (
      typeof ours.type === "string" &&
      typeof theirs.type === "string" &&
      ours.type !== theirs.type &&
      ours.object === theirs.object
    )
      return;
    const a = Object.keys(ours).filter((key) => !walk.ignore.has(key));
    const b = Object.keys(theirs).filter((key) => !walk.ignore.has(key));
    const missing = b.filter((key) => !(key in ours));
    const added = walk.missingOnly
      ? []
      : a.filter((key) => !(key in theirs) && !walk.extra.has(key));
    if (missing.length > 0) walk.out.push(`${path}: missing [${missing.sort().join(", ")}]`);
    if (added.length > 0) walk.out.push(`${path}: not recorded [${added.sort().join(", ")}]`);
    for (const key of b) compare(ours[key], theirs[key], `${path}.${key}`, walk);
    return;
  }
  if (kind(ours) !== kind(theirs))
    walk.out.push(`${path}: ${kind(ours)} vs recorded ${kind(theirs)}`);
}

function compareByVariant(ours: JsonObject, theirs: JsonObject, path: string, walk: Walk): void {
  const recorded = new Map(Object.values(theirs).map((value) => [variant(value), value]));
  for (const [name, value] of Object.entries(ours)) {
    compare(value, recorded.get(variant(value)), `${path}.${name}`, walk);
  }
}

function kind(value: Json): string {
  if (Array.isArray(value)) return "array";
  return value === null ? "null" : typeof value;
}

/** A copy of `object` without `keys` (for parts compared separately). */
export function withoutKeys<T extends Record<string, unknown>>(
  object: T,
  ...keys: string[]
): Record<string, unknown> {
  return Object.fromEntries(Object.entries(object).filter(([key]) => !keys.includes(key)));
}
