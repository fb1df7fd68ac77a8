import { databaseTime } from "../clock.ts";
import { compactId } from "../ids.ts";
import type { Json, JsonObject } from "../json.ts";
import { textItem } from "./rich-text.ts";
import { userRef } from "./users.ts";

/**
 * The envelopes of databases, data sources and pages, with exactly the keys Notion API 2025-09-03
 * answers (compare the recorded fixtures `py_database_retrieve.json`,
 * `un_data_source_all_property_types_2025-09-03.json`, `un_page_retrieve_2025-09-03.json`).
 */

export const WORKSPACE_PARENT: JsonObject = { type: "workspace", workspace: true };

export function emojiIcon(emoji: string): JsonObject {
  return { type: "emoji", emoji };
}

/** Notion's page address: the title as a slug, then the compact id. */
export function pageUrl(id: string, title: string): string {
  const slug = title.replace(/[^\p{L}\p{N}]+/gu, "-").replace(/^-+|-+$/g, "");
  return `https://www.notion.so/${slug === "" ? "" : `${slug}-`}${compactId(id)}`;
}

export interface ContainerMeta {
  id: string;
  title: string;
  createdTime: string;
  lastEditedTime: string;
  icon: Json;
}

/**
 * The instant a database was stamped, given the minute its data source shows: Notion stamps the
 * database to the millisecond (`+00:00`) and the data source made with it to that minute (Z).
 * The seconds are drawn from the id, so a workspace is the same on every build.
 */
export function databaseStamp(minute: string, databaseId: string): string {
  const withinMinute = Number.parseInt(compactId(databaseId).slice(-5), 16) % 60_000;
  return databaseTime(new Date(Date.parse(minute) + withinMinute).toISOString());
}

export function databaseObject(
  meta: ContainerMeta,
  parent: JsonObject,
  dataSources: readonly { id: string; name: string }[],
): JsonObject {
  return {
    object: "database",
    id: meta.id,
    title: [textItem(meta.title)],
    description: [],
    parent: { ...parent },
    is_inline: false,
    in_trash: false,
    is_locked: false,
    created_time: meta.createdTime,
    last_edited_time: meta.lastEditedTime,
    data_sources: dataSources.map((source) => ({ id: source.id, name: source.name })),
    icon: meta.icon,
    cover: null,
    url: `https://www.notion.so/${compactId(meta.id)}`,
    public_url: null,
    archived: false,
  };
}

export interface DataSourceMeta extends ContainerMeta {
  databaseId: string;
  databaseParent: JsonObject;
  description: JsonObject[];
  createdBy: string;
  lastEditedBy: string;
}

/** A data source; its `url` is the database's address, as Notion answers it. */
export function dataSourceObject(meta: DataSourceMeta, properties: JsonObject): JsonObject {
  return {
    object: "data_source",
    id: meta.id,
    cover: null,
    icon: meta.icon,
    created_time: meta.createdTime,
    created_by: userRef(meta.createdBy),
    last_edited_by: userRef(meta.lastEditedBy),
    last_edited_time: meta.lastEditedTime,
    title: [textItem(meta.title)],
    description: meta.description,
    is_inline: false,
    properties,
    parent: { type: "database_id", database_id: meta.databaseId },
    database_parent: { ...meta.databaseParent },
    url: `https://www.notion.so/${compactId(meta.databaseId)}`,
    public_url: null,
    in_trash: false,
    archived: false,
  };
}

export interface PageMeta {
  id: string;
  dataSourceId: string;
  databaseId: string;
  title: string;
  createdTime: string;
  lastEditedTime: string;
  createdBy: string;
  lastEditedBy: string;
  icon: Json;
}

export function pageObject(meta: PageMeta, properties: JsonObject): JsonObject {
  return {
    object: "page",
    id: meta.id,
    created_time: meta.createdTime,
    last_edited_time: meta.lastEditedTime,
    created_by: userRef(meta.createdBy),
    last_edited_by: userRef(meta.lastEditedBy),
    cover: null,
    icon: meta.icon,
    parent: {
      type: "data_source_id",
      data_source_id: meta.dataSourceId,
      database_id: meta.databaseId,
    },
    in_trash: false,
    is_archived: false,
    is_locked: false,
    properties,
    url: pageUrl(meta.id, meta.title),
    public_url: null,
    archived: false,
  };
}
