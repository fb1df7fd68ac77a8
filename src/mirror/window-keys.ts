import type { PageObjectResponse, QueryDataSourceParameters } from "../notion/sdk-types.ts";

type QueryFilter = NonNullable<QueryDataSourceParameters["filter"]>;
/** One condition of a window's filter (they are joined with `and`). */
export type Condition =
  Extract<QueryFilter, { timestamp: string }> | Extract<QueryFilter, { property: string }>;
export type Sort = NonNullable<QueryDataSourceParameters["sorts"]>[number];

/**
 * Something a walk can order a data source by and cut into windows: Notion answers at most 10,000
 * results per query (one filter and sort), and a query with another lower bound gets a fresh
 * budget. Values fall into buckets (a minute for timestamps, which Notion keeps to the minute;
 * one number for a unique id); a bucket is the smallest window the key can make.
 */
export interface WindowKey {
  /** How the key is named in messages: "created_time", "unique id property ID". */
  readonly label: string;
  readonly sort: Sort;
  /** The bucket a page falls in, or undefined when the page has no value for this key. */
  bucketOf(page: PageObjectResponse): string | undefined;
  /** Pages in this bucket or a later one. */
  atLeast(bucket: string): Condition;
  /** Pages in a later bucket than this one. */
  beyond(bucket: string): Condition;
  /** Pages in exactly this bucket. */
  within(bucket: string): Condition[];
}

const MINUTE_MS = 60_000;

/** Floors an ISO time to its minute, as Notion stores page timestamps. */
export function minuteOf(iso: string): string {
  return new Date(Math.floor(Date.parse(iso) / MINUTE_MS) * MINUTE_MS).toISOString();
}

function nextMinute(minute: string): string {
  return new Date(Date.parse(minute) + MINUTE_MS).toISOString();
}

/**
 * `created_time` (never changes, so windows stay put while pages are edited: Notion's own advice
 * for walking large data sources) or `last_edited_time` (for incremental pulls). Bounds are whole
 * minutes written as `on_or_after` / `before`, so they mean the same whether Notion compares at
 * the minute or finer.
 */
export function timestampKey(timestamp: "created_time" | "last_edited_time"): WindowKey {
  const bound = (condition: { on_or_after: string } | { before: string }): Condition =>
    timestamp === "created_time"
      ? { timestamp, created_time: condition }
      : { timestamp, last_edited_time: condition };
  return {
    label: timestamp,
    sort: { timestamp, direction: "ascending" },
    bucketOf: (page) => minuteOf(page[timestamp]),
    atLeast: (minute) => bound({ on_or_after: minute }),
    beyond: (minute) => bound({ on_or_after: nextMinute(minute) }),
    within: (minute) => [bound({ on_or_after: minute }), bound({ before: nextMinute(minute) })],
  };
}

/**
 * A `unique_id` property: every page has its own number, so it splits any crowd of pages that
 * share a created_time minute (a bulk import).
 */
export function uniqueIdKey(propertyId: string, propertyName: string): WindowKey {
  const condition = (
    test: { greater_than_or_equal_to: number } | { greater_than: number } | { equals: number },
  ): Condition => ({ property: propertyId, unique_id: test });
  return {
    label: `unique id property ${propertyName}`,
    sort: { property: propertyId, direction: "ascending" },
    bucketOf: (page) => {
      const value = Object.values(page.properties).find((item) => item.id === propertyId);
      return value?.type === "unique_id" && value.unique_id.number !== null
        ? String(value.unique_id.number)
        : undefined;
    },
    atLeast: (number) => condition({ greater_than_or_equal_to: Number(number) }),
    beyond: (number) => condition({ greater_than: Number(number) }),
    within: (number) => [condition({ equals: Number(number) })],
  };
}

/**
 * A property whose values cut a data source into parts that together hold every page once. Only
 * a checkbox does so for certain (every page is checked or not): a select's or status's options
 * miss a value whose option was since renamed or removed, and Notion's text filters have no range,
 * so a title cannot split. Each part is a query of its own, with its own 10,000-result budget, so
 * a crowd no window key can split may still be read part by part.
 */
export interface Partition {
  readonly parts: ReadonlyArray<{ readonly label: string; readonly condition: Condition }>;
}

/** The checkbox properties of a data source, as partitions (checked, unchecked). */
export function checkboxPartitions(
  properties: Record<string, { id: string; type: string }>,
): Partition[] {
  return Object.entries(properties)
    .filter(([, property]) => property.type === "checkbox")
    .map(([name, property]) => ({
      parts: [true, false].map((checked) => ({
        label: `${name} ${checked ? "checked" : "unchecked"}`,
        condition: { property: property.id, checkbox: { equals: checked } },
      })),
    }));
}
