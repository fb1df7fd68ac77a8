/**
 * The Notion API versions notion-mirror can speak, chosen by the config's `notionVersion`:
 *
 * - `2025-09-03`: the data-source API (databases hold data sources); answers carry `archived`
 *   beside `in_trash`. Kept for workspaces that have not moved yet.
 * - `2026-03-11` (the default): `archived` is gone from answers and refused in request bodies
 *   (https://developers.notion.com/guides/get-started/upgrade-guide-2026-03-11). notion-mirror
 *   reads and writes only `in_trash`, so the two behave alike for it.
 * - `2026-12-01`: query and search answer each page with its title only unless the request
 *   names its properties with `filter_properties`, and a person's `name` may be null
 *   (https://developers.notion.com/guides/get-started/upgrade-guide-2026-12-01).
 */
export const NOTION_VERSIONS = ["2025-09-03", "2026-03-11", "2026-12-01"] as const;

export type NotionVersion = (typeof NOTION_VERSIONS)[number];

/** What notion-mirror speaks when the config names no version. */
export const DEFAULT_NOTION_VERSION: NotionVersion = "2026-03-11";
