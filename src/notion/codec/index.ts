/**
 * The property codec: converts a property value between Notion's API form, the NATURAL form
 * that views show and fill rules return, and the PATCH payload that writes it.
 */
export type {
  NaturalValue,
  PropertyContent,
  PayloadResult,
  PropertyType,
  PropertyValue,
  SchemaProperty,
  UpdatePropertyPayload,
} from "./types.ts";
export type { FillOptions, FillTargetProperty, SchemaOption } from "./fill-context.ts";
export { naturalValue, plainText } from "./natural-value.ts";
export { isEmptyValue } from "./is-empty-value.ts";
export { WRITABLE_TYPES, isWritableType } from "./writable-types.ts";
export { restorePayload } from "./restore-payload.ts";
export { fillPayload } from "./fill-payload.ts";
export { canonicalValue } from "./canonical-value.ts";
export { valuesEqual } from "./values-equal.ts";
export { normalizeNotionId } from "./notion-id.ts";
export { NOTION_LIMITS } from "./limits.ts";
export { payloadMatches } from "./payload-matches.ts";
export type { PageCreateProperties, PageUpdateProperties } from "./page-update.ts";
export { pageUpdateProperties, storedPayload } from "./page-update.ts";
