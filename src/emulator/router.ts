import type { Handler } from "./handlers/context.ts";
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

const route = (method: string, pattern: string, handler: Handler): Route => ({
  method,
  segments: pattern.split("/").filter(Boolean),
  handler,
});

/** The Notion endpoints the emulator serves (the data-source API, every served version). */
const ROUTES: Route[] = [
  route("POST", "/v1/search", search),
  route("GET", "/v1/databases/:database_id", getDatabase),
  route("GET", "/v1/data_sources/:data_source_id", getDataSource),
  route("POST", "/v1/data_sources/:data_source_id/query", queryDataSource),
  route("GET", "/v1/pages/:page_id", getPage),
  route("PATCH", "/v1/pages/:page_id", patchPage),
  route("POST", "/v1/pages", postPage),
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
