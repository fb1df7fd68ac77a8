import type { PageUpdateProperties } from "../notion/codec/index.ts";
import { pageUpdateProperties } from "../notion/codec/index.ts";
import type { EngineChange } from "./engine-types.ts";

/** One request a push or revert would send: what `--dry-run` prints. */
export type PlannedRequest = PlannedPageWrite | PlannedTrackerEntry;

/** The write of one page's properties. */
export interface PlannedPageWrite {
  method: "PATCH";
  path: string;
  body: { properties: PageUpdateProperties };
  /** For people: which properties, by name. */
  properties: string[];
}

/**
 * The run's entry in the tracker data source, created once the run has finished. Its properties
 * (counts, date) are known only then, and are matched to the tracker's schema as it is read then:
 * the body lists the parent only.
 */
export interface PlannedTrackerEntry {
  method: "POST";
  path: "/v1/pages";
  body: { parent: { data_source_id: string } };
  /** For people: what the entry holds. */
  properties: string[];
}

/**
 * Exactly what the engine sends for these changes when every one of them goes ahead: one PATCH
 * per page (in the order pages first appear) with all of its properties, the body built as the
 * engine builds it (see pageUpdateProperties). Pure; no network.
 */
export function requestsFor(
  changes: ReadonlyArray<Pick<EngineChange, "pageId" | "propertyId" | "propertyName" | "payload">>,
): PlannedPageWrite[] {
  const byPage = new Map<string, Array<(typeof changes)[number]>>();
  for (const change of changes) {
    const list = byPage.get(change.pageId) ?? [];
    list.push(change);
    byPage.set(change.pageId, list);
  }
  return [...byPage].map(([pageId, list]) => ({
    method: "PATCH",
    path: `/v1/pages/${pageId}`,
    body: {
      properties: pageUpdateProperties(list.map((change) => [change.propertyId, change.payload])),
    },
    properties: list.map((change) => change.propertyName),
  }));
}

/**
 * The page writes, then the tracker's entry when a tracker is configured (see writeTrackerEntry):
 * every write the command makes, in the order it makes them. Pure.
 */
export function withTrackerEntry(
  pageWrites: PlannedPageWrite[],
  trackerId: string | undefined,
): PlannedRequest[] {
  if (!trackerId) return pageWrites;
  const entry: PlannedTrackerEntry = {
    method: "POST",
    path: "/v1/pages",
    body: { parent: { data_source_id: trackerId } },
    properties: ["the run's tracker entry (title, status, counts, notes, date), once it finishes"],
  };
  return [...pageWrites, entry];
}

/** One invocation's writes, as `--max-writes` cuts them. */
export interface InvocationRequests {
  requests: PlannedRequest[];
  /** Pages whose write is left for a later invocation (`--max-writes`). */
  leftForLater: number;
}

/**
 * One invocation's writes under `--max-writes` (the page pool starts pages in this order, each
 * with a write reserved for it): the first `maxWrites` page writes when every change goes ahead,
 * then the tracker's entry only when no page is left for later, as only a finished run writes
 * one. Pure.
 */
export function invocationRequests(
  writes: PlannedPageWrite[],
  trackerId: string | undefined,
  maxWrites: number | undefined,
): InvocationRequests {
  const sent = maxWrites === undefined ? writes : writes.slice(0, maxWrites);
  const leftForLater = writes.length - sent.length;
  return {
    requests: leftForLater > 0 ? sent : withTrackerEntry(sent, trackerId),
    leftForLater,
  };
}

/** The fields those writes put, by count (a page's write sends all of its fields at once). */
export function fieldsWritten(requests: readonly PlannedRequest[]): number {
  return pageWrites(requests).reduce((sum, write) => sum + write.properties.length, 0);
}

/** The pages a plan writes (its tracker entry aside). */
export function pageWrites(requests: readonly PlannedRequest[]): PlannedPageWrite[] {
  return requests.filter((request): request is PlannedPageWrite => request.method === "PATCH");
}
