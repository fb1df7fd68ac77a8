import type { PageUpdateProperties } from "../notion/codec/index.ts";
import { pageUpdateProperties } from "../notion/codec/index.ts";
import type { EngineChange } from "./engine-types.ts";

/** One request a push or revert would send: what `--dry-run` prints. */
export interface PlannedRequest {
  method: "PATCH";
  path: string;
  body: { properties: PageUpdateProperties };
  /** For people: which properties, by name. */
  properties: string[];
}

/**
 * Exactly what the engine sends for these changes when every one of them goes ahead: one PATCH
 * per page (in the order pages first appear) with all of its properties, the body built as the
 * engine builds it (see pageUpdateProperties). Pure; no network.
 */
export function requestsFor(
  changes: ReadonlyArray<Pick<EngineChange, "pageId" | "propertyId" | "propertyName" | "payload">>,
): PlannedRequest[] {
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
