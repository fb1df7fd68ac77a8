import { bodyValidationError } from "./errors.ts";
import type { JsonObject } from "./json.ts";

/**
 * The top-level body keys Notion takes on each endpoint the emulator serves that has a body
 * (API 2025-09-03): the same lists @notionhq/client sends (`bodyParams` of its endpoint
 * descriptors), so nothing a client sends is refused. Keys the emulator takes but does not model
 * (page content, templates, locks, `position`, `result_type`) are accepted and have no effect.
 * 2026-03-11 takes `in_trash` only: there `archived` is refused like any unknown key.
 */
export const BODY_KEYS = {
  search: ["sort", "query", "start_cursor", "page_size", "filter"],
  queryDataSource: [
    "archived",
    "sorts",
    "filter",
    "start_cursor",
    "page_size",
    "in_trash",
    "result_type",
  ],
  createPage: [
    "parent",
    "properties",
    "icon",
    "cover",
    "content",
    "children",
    "markdown",
    "allow_async",
    "template",
    "position",
  ],
  updatePage: [
    "archived",
    "properties",
    "icon",
    "cover",
    "is_locked",
    "template",
    "erase_content",
    "in_trash",
    "is_archived",
  ],
} as const satisfies Record<string, readonly string[]>;

/**
 * Throws Notion's 400 for the first key of `body` (in the order sent) that `allowed` does not
 * list, even one whose value is null: `body failed validation: body.foo should be not present,
 * instead was \`"bar"\`.` Returns quietly when every key is allowed.
 */
export function rejectUnknownBodyKeys(body: JsonObject, allowed: readonly string[]): void {
  for (const [key, value] of Object.entries(body)) {
    if (!allowed.includes(key)) throw bodyValidationError(key, "should be not present", value);
  }
}
