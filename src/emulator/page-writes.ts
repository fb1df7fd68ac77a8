import { objectNotFound, validationError } from "./errors.ts";
import { normalizeId } from "./ids.ts";
import type { Json, JsonObject } from "./json.ts";
import { isObject } from "./json.ts";
import type { WriteContext } from "./write/write-context.ts";
import { applyPropertyInput, newPageProperties } from "./write/property-input.ts";
import { ARCHIVED_BLOCK_MESSAGE, notAnObject } from "./write/messages.ts";
import { iconOrCoverFromInput } from "./write/icon-cover.ts";
import type { Workspace } from "./workspace.ts";
import { changedProperties } from "./write-journal.ts";
import { followUpWrite } from "./side-effects/follow-up.ts";

/**
 * Updates a page as PATCH /v1/pages/{id} does, acting as `actor` (the integration's bot, or a
 * person for simulated edits): properties and/or in_trash, stamped `time` (an ISO minute; now by
 * default), then what Notion does by itself (two-way relations, formulas, rollups: see
 * followUpWrite). All-or-nothing: a validation error leaves the page and schema untouched.
 * Returns the stored page.
 */
export function updatePage(
  workspace: Workspace,
  pageId: string,
  body: JsonObject,
  actor: JsonObject,
  time = workspace.nowMinute(),
): JsonObject {
  const page = workspace.pages.get(pageId);
  if (!page) throw objectNotFound("page", pageId, workspace.integration);
  const inTrash = readTrashFlag(body);
  const looks = readLooks(body);
  const stayTrashed = page.in_trash === true && inTrash !== false;
  const source = dataSourceOf(workspace, page);

  const editsProperties = body.properties !== undefined && body.properties !== null;
  if (stayTrashed && (editsProperties || hasOtherEdits(body))) {
    throw validationError(ARCHIVED_BLOCK_MESSAGE);
  }
  // Every write moves the page's last_edited_* properties, even one that only trashes it.
  const schema = structuredClone(source.properties) as JsonObject;
  const { properties, schemaChanged } = applyPropertyInput(
    page.properties as JsonObject,
    editsProperties ? (body.properties ?? {}) : {},
    writeContext(workspace, schema),
    { time, by: workspace.userRef(actor) },
  );
  if (schemaChanged) {
    source.properties = schema;
    workspace.touch(source, actor);
  }
  const before = page.properties as JsonObject;
  const changes = changedProperties(before, properties);
  page.properties = properties;
  const trashChanged = inTrash !== undefined && (page.in_trash === true) !== inTrash;
  if (inTrash !== undefined) {
    page.in_trash = inTrash;
    if ("archived" in page) page.archived = inTrash;
  }
  Object.assign(page, looks);
  workspace.touch(page, actor, time);
  workspace.journal.record({
    pageId,
    actor: actor.type === "bot" ? "bot" : "person",
    userId: String(actor.id),
    changes,
    ...(trashChanged ? { trashed: inTrash } : {}),
  });
  followUpWrite(workspace, page, before, { actor, time });
  return page;
}

/**
 * Creates a page in a data source as POST /v1/pages does, its formulas and rollups computed and
 * the other side of its two-way relations following. Returns the stored page.
 */
export function createPage(workspace: Workspace, body: JsonObject, actor: JsonObject): JsonObject {
  const { dataSourceId, source } = parentOf(workspace, body.parent);
  const looks = readLooks(body);
  const schema = structuredClone(source.properties) as JsonObject;
  const id = workspace.newId();
  const now = workspace.nowMinute();
  const { properties, schemaChanged } = newPageProperties(
    body.properties ?? {},
    writeContext(workspace, schema),
    {
      createdTime: now,
      createdBy: workspace.userRef(actor),
    },
  );
  if (schemaChanged) {
    source.properties = schema;
    workspace.touch(source, actor);
  }
  const page: JsonObject = {
    object: "page",
    id,
    created_time: now,
    last_edited_time: now,
    created_by: workspace.userRef(actor),
    last_edited_by: workspace.userRef(actor),
    cover: looks.cover ?? null,
    icon: looks.icon ?? null,
    parent: {
      type: "data_source_id",
      data_source_id: dataSourceId,
      database_id: parentDatabaseId(source),
    },
    in_trash: false,
    is_archived: false,
    is_locked: false,
    properties,
    url: "",
    public_url: null,
    archived: false,
  };
  page.url = workspace.pageUrl(workspace.pageTitle(page), id);
  workspace.insertPage(page);
  followUpWrite(workspace, page, undefined, { actor, time: now });
  return page;
}

function writeContext(workspace: Workspace, schema: JsonObject): WriteContext {
  return {
    schema,
    findUser: (id) => workspace.users.get(id),
    findPage: (id) => workspace.pages.get(id),
    findDatabase: (id) => workspace.databases.get(id),
    pageDataSourceId: (page) => workspace.dataSourceIdOf(page),
    newId: () => workspace.newId(),
    botUser: workspace.botUser(),
  };
}

function dataSourceOf(workspace: Workspace, page: JsonObject): JsonObject {
  const id = workspace.dataSourceIdOf(page);
  const source = id ? workspace.dataSources.get(id) : undefined;
  if (!source)
    throw validationError(
      "This page is not in a data source; only data source pages are emulated.",
    );
  return source;
}

function parentOf(
  workspace: Workspace,
  parent: Json | undefined,
): { dataSourceId: string; source: JsonObject } {
  if (!isObject(parent)) throw notAnObject("parent", parent);
  const dataSourceId =
    typeof parent.data_source_id === "string" ? normalizeId(parent.data_source_id) : null;
  if (dataSourceId) {
    const source = workspace.dataSources.get(dataSourceId);
    if (!source) throw objectNotFound("data_source", dataSourceId, workspace.integration);
    return { dataSourceId, source };
  }
  const databaseId =
    typeof parent.database_id === "string" ? normalizeId(parent.database_id) : null;
  if (databaseId) {
    const database = workspace.databases.get(databaseId);
    if (!database) throw objectNotFound("database", databaseId, workspace.integration);
    const sources = Array.isArray(database.data_sources) ? database.data_sources : [];
    const first = sources[0];
    if (sources.length !== 1 || !isObject(first)) {
      throw validationError(
        "Databases with multiple data sources are not supported in this API version. Use a data_source_id parent instead.",
      );
    }
    const sourceId = String(first.id);
    const source = workspace.dataSources.get(sourceId);
    if (!source) throw objectNotFound("data_source", sourceId, workspace.integration);
    return { dataSourceId: sourceId, source };
  }
  if (typeof parent.page_id === "string" && normalizeId(parent.page_id)) {
    throw validationError(
      "The emulator creates pages in data sources only: use a data_source_id parent.",
    );
  }
  throw parentFixOne(parent);
}

/**
 * Notion's answer to a parent that is none of its four forms (recorded: a database_id that is not
 * a uuid): one line per alternative, saying what is wrong with each.
 */
function parentFixOne(parent: JsonObject) {
  const lines = ["page_id", "database_id", "data_source_id", "workspace"].map((key) => {
    const value = parent[key];
    if (value === undefined)
      return `body.parent.${key} should be defined, instead was \`undefined\`.`;
    const expectation = key === "workspace" ? "should be `true`" : "should be a valid uuid";
    return `body.parent.${key} ${expectation}, instead was \`${JSON.stringify(value)}\`.`;
  });
  return validationError(`body failed validation. Fix one:\n${lines.join("\n")}`);
}

function parentDatabaseId(source: JsonObject): string {
  const parent = source.parent;
  return isObject(parent) && typeof parent.database_id === "string" ? parent.database_id : "";
}

function readTrashFlag(body: JsonObject): boolean | undefined {
  const value = body.in_trash ?? body.archived;
  if (value === undefined || value === null) return undefined;
  if (typeof value !== "boolean") {
    throw validationError(
      `body failed validation: body.in_trash should be a boolean, instead was \`${JSON.stringify(value)}\`.`,
    );
  }
  return value;
}

/** The icon and cover a request sets, validated before anything is changed. */
function readLooks(body: JsonObject): { icon?: Json; cover?: Json } {
  const looks: { icon?: Json; cover?: Json } = {};
  for (const key of ["icon", "cover"] as const) {
    const raw = body[key];
    if (raw !== undefined) looks[key] = iconOrCoverFromInput(raw, key);
  }
  return looks;
}

function hasOtherEdits(body: JsonObject): boolean {
  return body.icon !== undefined || body.cover !== undefined;
}
