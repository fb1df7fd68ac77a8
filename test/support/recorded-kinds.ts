/**
 * The recorded Notion responses (test/fixtures/notion-recorded), grouped by the kind of
 * answer the emulator must match. Every file of the folder is either here or in NOT_EMULATED, so
 * a new recording fails the conformance test until someone says what it is.
 */
export const RECORDED_KINDS = {
  pageRetrieve: [
    "un_page_retrieve_2025-09-03.json",
    "py_page_retrieve_minimal.json",
    "un_page_relation_truncated_25_has_more.json",
    "un_page_rich_text_100_items_with_user_mentions.json",
  ],
  pageUpdate: [
    "un_page_update_select_2025-09-03.json",
    "py_page_update_icon.json",
    "un_page_update_status_by_name.json",
    "un_page_update_date_with_time_zone.json",
    // POST /v1/pages answers the same page object as an update.
    "un_page_create_date_seconds_cut.json",
  ],
  dataSourceRetrieve: [
    "py_data_source_retrieve_minimal.json",
    "un_data_source_retrieve_select_2025-09-03.json",
    "un_data_source_formula_2025-09-03.json",
    "un_data_source_all_property_types.json",
    "un_data_source_all_property_types_2025-09-03.json",
  ],
  databaseRetrieve: ["py_database_retrieve.json"],
  dataSourceQuery: [
    "un_ds_query_2025-09-03.json",
    "py_data_source_query_empty.json",
    "un_ds_query_all_property_types_page.json",
    "un_ds_query_compound_and_with_sorts.json",
    "un_ds_query_filter_last_edited_time_empty_result.json",
    "un_ds_query_filter_last_edited_time_on_or_before.json",
    "un_ds_query_page1_has_more.json",
    "un_ds_query_page2_last.json",
  ],
  search: ["py_search_list_page.json", "un_search_filter_data_source_2025-09-03.json"],
  /** Property items: the type is in the file name (see propertyTypeOf). */
  propertyItem: [] as string[],
  errors: [
    "py_error_400_invalid_request_url.json",
    "py_error_401_unauthorized.json",
    "py_error_404_object_not_found.json",
    "un_error_404_page_not_found.json",
    "un_error_404_user_not_found.json",
    "un_error_400_validation_invalid_uuid.json",
  ],
};

/** Recordings of endpoints notion-mirror does not use, so the emulator does not serve them. */
export const NOT_EMULATED: Record<string, string> = {
  "py_block_children_list_paginated_last.json": "block children are not emulated",
  "py_block_children_list_paginated_page1.json": "block children are not emulated",
  "py_block_delete_child_database.json": "DELETE /v1/blocks is not emulated",
  "un_block_delete_database_2025-09-03.json": "DELETE /v1/blocks is not emulated",
  "py_data_source_update.json": "PATCH /v1/data_sources is not emulated",
  "un_database_create_2025-09-03.json": "POST /v1/databases is not emulated",
  "un_database_create_2026-03-11.json": "POST /v1/databases is not emulated",
};

/** The property type a property-item recording is about, from its name; undefined for others. */
export function propertyTypeOf(name: string): string | undefined {
  if (name === "py_page_property_item_list_title.json") return "title";
  const match = /^un_property_item_(?:item|list)_(.+?)(?:__.*|_\d+)\.json$/.exec(name);
  return match?.[1];
}
