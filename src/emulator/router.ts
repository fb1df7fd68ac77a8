import { BODY_KEYS, rejectUnknownBodyKeys } from "./body-keys.ts";
import type { Handler } from "./handlers/context.ts";
import { pathId } from "./handlers/context.ts";
import { getDatabase, getDataSource } from "./handlers/data-sources.ts";
import { getPageProperty } from "./handlers/page-property.ts";
import { getPage, patchPage, postPage } from "./handlers/pages.ts";
import { queryDataSource } from "./handlers/query.ts";
import { search } from "./handlers/search.ts";
import { getMe, getUser, listUsers } from "./handlers/users.ts";

interface Route {
  method: string;
  segments: string[];
  handler: Handler;
}

const route = (
  method: string,
  pattern: string,
  handler: Handler,
  bodyKeys?: readonly string[],
): Route => ({
  method,
  segments: pattern.split("/").filter(Boolean),
  handler: bodyKeys ? withBodyKeys(handler, bodyKeys) : handler,
});

/** The Notion endpoints the emulator serves (the data-source API, every served version). */
const ROUTES: Route[] = [
  route("POST", "/v1/search", search, BODY_KEYS.search),
  route("GET", "/v1/databases/:database_id", getDatabase),
  route("GET", "/v1/data_sources/:data_source_id", getDataSource),
  route(
    "POST",
    "/v1/data_sources/:data_source_id/query",
    queryDataSource,
    BODY_KEYS.queryDataSource,
  ),
  route("GET", "/v1/pages/:page_id", getPage),
  route("PATCH", "/v1/pages/:page_id", patchPage, BODY_KEYS.updatePage),
  route("POST", "/v1/pages", postPage, BODY_KEYS.createPage),
  route("GET", "/v1/pages/:page_id/properties/:property_id", getPageProperty),
  route("GET", "/v1/users/me", getMe),
  route("GET", "/v1/users", listUsers),
  route("GET", "/v1/users/:user_id", getUser),
];

/** Finds the handler for a request; undefined when Notion would answer invalid_request_url. */
export function findRoute(
  method: string,
  path: string,
): { handler: Handler; params: Record<string, string> } | undefined {
  const segments = path.split("/").filter(Boolean);
  for (const candidate of ROUTES) {
    if (candidate.method !== method || candidate.segments.length !== segments.length) continue;
    const params: Record<string, string> = {};
    const fits = candidate.segments.every((part, index) => {
      const actual = segments[index] ?? "";
      if (part.startsWith(":")) {
        params[part.slice(1)] = actual;
        return true;
      }
      return part === actual;
    });
    if (fits) return { handler: candidate.handler, params };
  }
  return undefined;
}

/**
 * A handler whose body may carry only `bodyKeys` at its top level. The path's ids are checked
 * first, so a request wrong in both is refused for its path, as the handler alone would.
 */
function withBodyKeys(handler: Handler, bodyKeys: readonly string[]): Handler {
  return (request) => {
    for (const name of Object.keys(request.params)) pathId(request, name);
    rejectUnknownBodyKeys(request.body, bodyKeys);
    return handler(request);
  };
}
