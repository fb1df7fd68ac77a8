import { validationError } from "../errors.ts";
import { isObject } from "../json.ts";
import { createPage, updatePage } from "../page-writes.ts";
import { renderPage } from "../render.ts";
import type { ApiRequest, ApiResult } from "./context.ts";
import { ok, pathId, requirePage } from "./context.ts";

/** GET /v1/pages/{id}. */
export function getPage(request: ApiRequest): ApiResult {
  const id = pathId(request, "page_id");
  return ok(renderPage(requirePage(request, id)));
}

/** PATCH /v1/pages/{id}: properties and in_trash, as the integration's bot. */
export function patchPage(request: ApiRequest): ApiResult {
  const id = pathId(request, "page_id");
  requirePage(request, id);
  const { workspace } = request;
  const page = updatePage(workspace, id, request.body, workspace.botUser());
  return ok(renderPage(page), true);
}

/** POST /v1/pages: a new page in a data source. */
export function postPage(request: ApiRequest): ApiResult {
  if (request.body.properties !== undefined && !isObject(request.body.properties)) {
    throw validationError("body failed validation: body.properties should be an object.");
  }
  const { workspace } = request;
  const page = createPage(workspace, request.body, workspace.botUser());
  return ok(renderPage(page), true);
}
