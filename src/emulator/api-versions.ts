import type { NotionApiError } from "./errors.ts";
import { bodyValidationError, validationError } from "./errors.ts";
import type { JsonObject } from "./json.ts";

/**
 * The Notion-Version values the emulator serves, oldest first. A request picks one with its
 * `Notion-Version` header; every answer is then shaped, and every body judged, as that version
 * of Notion does. The differences modelled, and the pages they come from:
 *
 * - **2025-09-03** (the data-source API): pages, databases and data sources carry both `in_trash`
 *   and its deprecated alias `archived` (every recorded 2025-09-03 response in
 *   test/fixtures/notion-recorded has both), and request bodies may say `archived` for
 *   `in_trash`.
 * - **2026-03-11** (https://developers.notion.com/guides/get-started/upgrade-guide-2026-03-11):
 *   "The archived field has been renamed to in_trash across all API responses and request
 *   parameters. This applies to pages, databases, blocks, and data sources." Answers carry no
 *   `archived` (the recorded 2026-03-11 responses confirm it, `is_archived` on pages stays), and a
 *   body holding it is refused as Notion refuses a key it does not know:
 *   `body failed validation: body.archived should be not present, instead was \`true\`.` (the
 *   wording developers quote from Notion's 400 answers). The version's two other changes (block
 *   `position`, `transcription` → `meeting_notes`) are about blocks, which are not emulated.
 * - **2026-12-01** (https://developers.notion.com/guides/get-started/upgrade-guide-2026-12-01,
 *   "changes seven behaviors"; only its first section could be read): "Search and Query a data
 *   source return only the title in each page's properties unless you pass filter_properties.
 *   … Other page fields, such as id, url, and last_edited_time, don't change." Retrieve a page
 *   still answers every property. A person's `name` may be `null` (issue 14; @notionhq/client
 *   types `UserObjectResponseCommon.name` as `string | null`); older versions show such a person
 *   with `name: ""`, an assumption: no page read says what they answer. Otherwise as 2026-03-11.
 */
export const SERVED_VERSIONS = ["2025-09-03", "2026-03-11", "2026-12-01"] as const;

export type ApiVersion = (typeof SERVED_VERSIONS)[number];

/** The served version a `Notion-Version` header names, or undefined for any other value. */
export function servedVersion(header: string): ApiVersion | undefined {
  return SERVED_VERSIONS.find((version) => version === header);
}

/** Whether answers of `version` carry `archived` beside `in_trash`, and bodies may send it. */
export function carriesArchived(version: ApiVersion): boolean {
  return version === "2025-09-03";
}

/** Whether query and search results of `version` hold only the title unless filter_properties. */
export function listsTitleOnly(version: ApiVersion): boolean {
  return version === "2026-12-01";
}

/** Whether `version` shows a person without a name as `name: null` (older ones: `""`). */
export function allowsNullNames(version: ApiVersion): boolean {
  return version === "2026-12-01";
}

/**
 * Notion's answer to a Notion-Version it does not serve: 400 with the accepted values listed in
 * Notion's own words, as its live API answered an invalid version in July 2026 (`Notion-Version
 * header failed validation: Notion-Version header should be "2021-05-11", …, or "2026-03-11"`),
 * here listing the versions the emulator serves, then `instead was` as in every other Notion
 * validation message. The code is `validation_error`: `missing_version` is documented for a
 * header that is absent, and no recording shows the code of this answer.
 */
export function unservedVersion(header: string): NotionApiError {
  const quoted = SERVED_VERSIONS.map((version) => JSON.stringify(version));
  const listed = `${quoted.slice(0, -1).join(", ")}, or ${quoted.at(-1) ?? ""}`;
  return validationError(
    `Notion-Version header failed validation: Notion-Version header should be ${listed}, instead was \`${JSON.stringify(header)}\`.`,
  );
}

/**
 * Refuses a body that says `archived` under a version that removed it, the way Notion refuses a
 * key it does not know. Under 2025-09-03 it is the deprecated alias of `in_trash` and passes.
 */
export function checkArchivedKey(body: JsonObject, version: ApiVersion): void {
  if (carriesArchived(version) || !Object.hasOwn(body, "archived")) return;
  throw bodyValidationError("archived", "should be not present", body.archived);
}
