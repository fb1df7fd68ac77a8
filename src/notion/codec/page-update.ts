import type { CreatePageParameters, UpdatePageParameters } from "@notionhq/client";
import type { UpdatePropertyPayload } from "./types.ts";

/** The `properties` of a PATCH /v1/pages/{id} body: property id → its payload. */
export type PageUpdateProperties = NonNullable<UpdatePageParameters["properties"]>;

/** The `properties` of a POST /v1/pages body: property id or name → its value. */
export type PageCreateProperties = NonNullable<CreatePageParameters["properties"]>;

/**
 * The `properties` of one page's write, from its properties' payloads: what push and revert send,
 * and what their dry runs print, built by this one function so the two cannot differ.
 *
 * @example pageUpdateProperties([["%3AabC", { number: 3 }]]) // { "%3AabC": { number: 3 } }
 */
export function pageUpdateProperties(
  payloads: Iterable<readonly [propertyId: string, payload: UpdatePropertyPayload]>,
): PageUpdateProperties {
  const properties: PageUpdateProperties = {};
  for (const [propertyId, payload] of payloads) properties[propertyId] = payload;
  return properties;
}

/**
 * A payload as the mirror stored it (`changes.payload_json`, written from `fillPayload`'s
 * result). Throws when the text is not a JSON object: the mirror's row was damaged, and sending
 * it would write something no plan produced.
 */
export function storedPayload(json: string): UpdatePropertyPayload {
  const parsed = JSON.parse(json) as unknown;
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed))
    throw new Error(`a stored payload is a JSON object, not ${json.slice(0, 40)}`);
  // Written by fillPayload, whose result is an UpdatePropertyPayload: the shape is ours.
  return parsed as UpdatePropertyPayload;
}
