/**
 * The @notionhq/client types (and the type guards that narrow to them) that code outside
 * `src/notion/` uses. Everything above this layer imports Notion's shapes from here, so the SDK
 * stays behind one door: an upgrade that renames or reshapes a type is met in this file.
 *
 * @example
 * import type { PageObjectResponse } from "../notion/sdk-types.ts";
 */
export type {
  DataSourceObjectResponse,
  GetPagePropertyResponse,
  PageObjectResponse,
  QueryDataSourceParameters,
  QueryDataSourceResponse,
  UpdatePageParameters,
  UserObjectResponse,
} from "@notionhq/client";
export { isFullPage } from "@notionhq/client";
