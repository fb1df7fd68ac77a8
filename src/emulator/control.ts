import type { FaultInjector } from "./faults.ts";
import { validatePersonEdit, validateRule } from "./faults.ts";
import { NotionApiError } from "./errors.ts";
import { isObject } from "./json.ts";
import type { QueryLimits } from "./query-limits.ts";
import { checkCursorTtl, checkQueryResultLimit } from "./query-limits.ts";
import type { RateLimit, WorkspaceRateLimit } from "./rate-limit.ts";
import { checkRateLimit, checkWorkspaceRateLimit } from "./rate-limit.ts";
import type { RequestLog } from "./request-log.ts";
import type { SeedFile } from "./seed-file.ts";
import { parseSeed } from "./seed.ts";
import type { PersonEdit } from "./faults.ts";
import type { SchemaEdit } from "./schema-edits.ts";
import { validateSchemaEdit } from "./schema-edits.ts";

export interface ControlTarget {
  faults: FaultInjector;
  log: RequestLog;
  dump(): SeedFile;
  reseed(seed: SeedFile): void;
  editAsPerson(edit: PersonEdit): unknown;
  editSchemaAsPerson(edit: SchemaEdit): unknown;
  setLatency(ms: number): void;
  setRateLimit(limit: RateLimit | false): void;
  setWorkspaceRateLimit(limit: WorkspaceRateLimit | false): void;
  settings(): unknown;
  setQueryResultLimit(limit: number): void;
  setCursorTtl(ms: number | false): void;
  limits(): QueryLimits;
}

/**
 * The control API under /__emulator (a path Notion does not use), for tests and rehearsals run
 * from another process:
 * - GET /state → the full state in the seed format; PUT /state (seed) → replace the state
 * - GET /requests → the request log; DELETE /requests → clear it
 * - GET /faults; POST /faults (rule) → {id}; DELETE /faults; DELETE /faults/{id}
 * - POST /edits ({pageId, properties?, inTrash?, userId?, visibleAfterMs?, backdateMs?}) → an
 *   edit as if by a person (see PersonEdit)
 * - POST /schema-edits ({dataSourceId, property, renameOption | removeOption | addOption,
 *   userId?}) → a schema edit as if by a person (see {@link SchemaEdit})
 * - PUT /settings ({latencyMs?, rateLimit?: {kind: "window", requests, windowMs} |
 *   {kind?: "bucket", perSecond, burst?} | false, workspaceRateLimit?: {requests, windowMs} |
 *   false}) → the settings in force (a bad value changes nothing); GET /settings → the same
 * - GET /limits; POST /limits ({queryResultLimit?, cursorTtlMs?: ms | false}) → the limits in
 *   force (a bad value changes nothing)
 */
export function handleControl(
  target: ControlTarget,
  method: string,
  path: string,
  body: unknown,
): { status: number; body: unknown } {
  try {
    const key = `${method} ${path.replace(/^\/faults\/[^/]+$/, "/faults/:id")}`;
    switch (key) {
      case "GET /state":
        return { status: 200, body: target.dump() };
      case "PUT /state":
        target.reseed(parseSeed(body));
        return { status: 200, body: { ok: true } };
      case "GET /requests":
        return { status: 200, body: target.log.all() };
      case "DELETE /requests":
        target.log.clear();
        return { status: 200, body: { ok: true } };
      case "GET /faults":
        return { status: 200, body: target.faults.list() };
      case "POST /faults":
        validateRule(body);
        return { status: 200, body: { id: target.faults.add(body) } };
      case "DELETE /faults":
        target.faults.clear();
        return { status: 200, body: { ok: true } };
      case "DELETE /faults/:id":
        target.faults.remove(path.slice("/faults/".length));
        return { status: 200, body: { ok: true } };
      case "POST /edits":
        validatePersonEdit(body);
        return { status: 200, body: target.editAsPerson(body) };
      case "POST /schema-edits":
        validateSchemaEdit(body);
        return { status: 200, body: target.editSchemaAsPerson(body) };
      case "GET /settings":
        return { status: 200, body: target.settings() };
      case "PUT /settings":
        applySettings(target, body);
        return { status: 200, body: target.settings() };
      case "GET /limits":
        return { status: 200, body: target.limits() };
      case "POST /limits":
        applyLimits(target, body);
        return { status: 200, body: target.limits() };
      default:
        return { status: 404, body: { error: `no control endpoint ${method} ${path}` } };
    }
  } catch (error) {
    const message =
      error instanceof NotionApiError
        ? `${error.code}: ${error.message}`
        : (error as Error).message;
    return { status: 400, body: { error: message } };
  }
}

/** Checks every value before setting any, so a refused request changes nothing. */
function applySettings(target: ControlTarget, body: unknown): void {
  if (!isObject(body)) throw new Error("settings must be an object");
  const latency = body.latencyMs;
  if (latency !== undefined && (typeof latency !== "number" || !(latency >= 0)))
    throw new Error("latencyMs must be a number ≥ 0");
  const limit = body.rateLimit === undefined ? undefined : checkRateLimit(body.rateLimit);
  const shared =
    body.workspaceRateLimit === undefined
      ? undefined
      : checkWorkspaceRateLimit(body.workspaceRateLimit);
  if (latency !== undefined) target.setLatency(latency);
  if (limit !== undefined) target.setRateLimit(limit);
  if (shared !== undefined) target.setWorkspaceRateLimit(shared);
}

/** Checks both values before setting either, so a refused request changes nothing. */
function applyLimits(target: ControlTarget, body: unknown): void {
  if (!isObject(body)) throw new Error("limits must be an object");
  const limit =
    body.queryResultLimit === undefined ? undefined : checkQueryResultLimit(body.queryResultLimit);
  const ttl = body.cursorTtlMs === undefined ? undefined : checkCursorTtl(body.cursorTtlMs);
  if (limit !== undefined) target.setQueryResultLimit(limit);
  if (ttl !== undefined) target.setCursorTtl(ttl);
}
