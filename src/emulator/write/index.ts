/** The emulator's write path: page property values from request form to stored response form. */
export { applyPropertyInput, newPageProperties } from "./property-input.ts";
export type { ApplyResult, EditStamp } from "./property-input.ts";
export type { RichTextLookups, WriteContext } from "./write-context.ts";
export { dateFromInput } from "./date-input.ts";
export { emptyPropertyValue, isEmptyPropertyValue } from "./empty-values.ts";
export type { NewPageMeta } from "./empty-values.ts";
export { ARCHIVED_BLOCK_MESSAGE } from "./messages.ts";
export { pageTitle } from "./mention-input.ts";
export { LIMITS } from "./property-limits.ts";
export { findSchemaProperty } from "./property-key.ts";
export { richTextFromInput } from "./rich-text-input.ts";
export { userAsPropertyValue } from "./user-values.ts";
