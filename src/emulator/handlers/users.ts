import { objectNotFound } from "../errors.ts";
import { readPageRequest, slicePage, invalidCursor } from "../pagination.ts";
import { listEnvelope } from "../render.ts";
import type { ApiRequest, ApiResult } from "./context.ts";
import { ok, pathId } from "./context.ts";

/** GET /v1/users/me: the integration's bot user. */
export function getMe(request: ApiRequest): ApiResult {
  return ok({ ...request.workspace.botUser() });
}

/** GET /v1/users: every member and bot of the workspace, paginated by user id. */
export function listUsers(request: ApiRequest): ApiResult {
  const { pageSize, startCursor } = readPageRequest(
    request.query.get("page_size") ?? undefined,
    request.query.get("start_cursor") ?? undefined,
    "query",
  );
  const users = [...request.workspace.users.values()];
  const start = startCursor === undefined ? 0 : users.findIndex((user) => user.id === startCursor);
  if (start < 0) throw invalidCursor(startCursor ?? "");
  const page = slicePage(users, start, pageSize, (user) => String(user.id));
  return ok(listEnvelope("user", page.results, page.nextCursor, page.hasMore));
}

/** GET /v1/users/{id}. */
export function getUser(request: ApiRequest): ApiResult {
  const id = pathId(request, "user_id");
  const user = request.workspace.users.get(id);
  if (!user) throw objectNotFound("user", id, request.workspace.integration);
  return ok({ ...user });
}
