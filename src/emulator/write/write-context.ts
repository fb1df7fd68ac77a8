import type { JsonObject } from "../json.ts";

/**
 * What the write path needs from the workspace. Ids passed to the look-ups are already in the
 * dashed lowercase form of `normalizeId`.
 */
export interface WriteContext {
  /**
   * The data source's `properties` (keyed by property name, each `{id, name, description, type,
   * [type]: config}`). A write that names an unknown select / multi_select option adds it here,
   * as Notion does; nothing is added when the write fails.
   */
  schema: JsonObject;
  findUser(id: string): JsonObject | undefined;
  /** Any page of the workspace (relation targets and page mentions). */
  findPage(id: string): JsonObject | undefined;
  /** A database by id, for database mentions; without it database mentions are refused. */
  findDatabase?(id: string): JsonObject | undefined;
  pageDataSourceId(page: JsonObject): string | undefined;
  /** A fresh id for a new select option. */
  newId(): string;
  /** The integration's bot user: author of created_by / last_edited_by and verifications. */
  botUser: JsonObject;
}

/** The look-ups that rich text needs (mentions). */
export type RichTextLookups = Pick<WriteContext, "findUser" | "findPage" | "findDatabase">;
