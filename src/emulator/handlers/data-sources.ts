import { databaseTime } from "../clock.ts";
import { objectNotFound } from "../errors.ts";
import type { Json } from "../json.ts";
import type { ApiRequest, ApiResult } from "./context.ts";
import { ok, pathId, requireDataSource } from "./context.ts";

/**
 * GET /v1/databases/{id}: the database container with its list of data sources, its timestamps
 * in Notion's database form whatever form the seed gave them (a seed made from a mirror copies
 * its data source's).
 */
export function getDatabase(request: ApiRequest): ApiResult {
  const id = pathId(request, "database_id");
  const database = request.workspace.databases.get(id);
  if (!database) throw objectNotFound("database", id, request.workspace.integration);
  return ok({
    ...database,
    created_time: asDatabaseTime(database.created_time),
    last_edited_time: asDatabaseTime(database.last_edited_time),
  });
}

const asDatabaseTime = (value: Json | undefined): Json =>
  typeof value === "string" ? databaseTime(value) : (value ?? null);

/** GET /v1/data_sources/{id}: the schema (properties) and metadata of one data source. */
export function getDataSource(request: ApiRequest): ApiResult {
  const id = pathId(request, "data_source_id");
  return ok({ ...requireDataSource(request, id) });
}
