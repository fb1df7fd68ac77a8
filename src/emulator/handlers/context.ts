import type { ApiVersion } from "../api-versions.ts";
import type { JsonObject } from "../json.ts";
import type { Workspace } from "../workspace.ts";
import { objectNotFound, validationError } from "../errors.ts";
import { normalizeId } from "../ids.ts";

/** What a route handler is given: the parsed request and the workspace it acts on. */
export interface ApiRequest {
  method: string;
  /** The path as received, without the query string. */
  path: string;
  params: Record<string, string>;
  query: URLSearchParams;
  body: JsonObject;
  workspace: Workspace;
  /** The Notion-Version the request asked for: its answer is shaped, its body judged, as that. */
  version: ApiVersion;
  /** The emulator's own base URL, for `next_url` links. */
  baseUrl: string;
}

/** A handler's answer. `applied` marks a write that changed the workspace. */
export interface ApiResult {
  status: number;
  body: JsonObject;
  applied?: boolean;
}

export type Handler = (request: ApiRequest) => ApiResult;

/** A path id, validated as Notion does (400 for a malformed id). */
export function pathId(request: ApiRequest, name: string): string {
  const raw = request.params[name] ?? "";
  const id = normalizeId(raw);
  if (!id) {
    throw validationError(
      `path failed validation: path.${name} should be a valid uuid, instead was \`${JSON.stringify(raw)}\`.`,
    );
  }
  return id;
}

export function requirePage(request: ApiRequest, id: string): JsonObject {
  const page = request.workspace.pages.get(id);
  if (!page) throw objectNotFound("page", id, request.workspace.integration);
  return page;
}

export function requireDataSource(request: ApiRequest, id: string): JsonObject {
  const source = request.workspace.dataSources.get(id);
  if (!source) throw objectNotFound("data_source", id, request.workspace.integration);
  return source;
}

export const ok = (body: JsonObject, applied?: boolean): ApiResult => ({
  status: 200,
  body,
  applied,
});
