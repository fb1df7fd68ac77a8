import { randomUUID } from "node:crypto";
import type { IncomingMessage, Server, ServerResponse } from "node:http";
import { createServer } from "node:http";
import type { NotionApiError } from "./errors.ts";
import {
  NotionApiError as ApiError,
  RATE_LIMITED_MESSAGE,
  invalidJson,
  invalidRequestUrl,
  missingVersion,
  rateLimited,
  unauthorized,
  validationError,
} from "./errors.ts";
import type { FaultAction, FaultInjector } from "./faults.ts";
import type { ApiResult } from "./handlers/context.ts";
import type { JsonObject } from "./json.ts";
import { isObject } from "./json.ts";
import { invalidCursor } from "./pagination.ts";
import { editAsPerson } from "./person-edits.ts";
import { editSchemaAsPerson } from "./schema-edits.ts";
import type { RateLimiter } from "./rate-limiter.ts";
import type { RequestLog, RequestLogEntry } from "./request-log.ts";
import { findRoute } from "./router.ts";
import type { Workspace } from "./workspace.ts";

export const NOTION_VERSION = "2025-09-03";
export const CONTROL_PREFIX = "/__emulator";

export interface ServerParts {
  workspace: () => Workspace;
  /** The bearer tokens it takes, one per connection: the main one first, then the extra ones. */
  tokens: readonly string[];
  latencyMs: () => number;
  limiter: RateLimiter;
  faults: FaultInjector;
  log: RequestLog;
  baseUrl: () => string;
  control: (method: string, path: string, body: unknown) => { status: number; body: unknown };
}

/** The HTTP side: Notion's headers, auth, version check, rate limit, faults, routing and the log. */
export function createNotionServer(parts: ServerParts): Server {
  return createServer((req, res) => {
    handle(parts, req, res).catch((error: unknown) => {
      // A bug in the emulator itself: answer 500 like Notion would, and keep serving.
      console.error("emulator internal error", error);
      if (!res.headersSent)
        send(
          res,
          errorBody(new ApiError(500, "internal_server_error", "Unexpected error."), randomUUID()),
          500,
          randomUUID(),
        );
    });
  });
}

async function handle(
  parts: ServerParts,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<void> {
  const method = (req.method ?? "GET").toUpperCase();
  const url = new URL(req.url ?? "/", "http://emulator");
  const rawBody = await readBody(req);

  if (url.pathname.startsWith(`${CONTROL_PREFIX}/`)) {
    let parsed: unknown;
    try {
      parsed = rawBody ? JSON.parse(rawBody) : undefined;
    } catch {
      return sendJson(res, 400, { error: "the control body is not JSON" });
    }
    const answer = parts.control(method, url.pathname.slice(CONTROL_PREFIX.length), parsed);
    return sendJson(res, answer.status, answer.body);
  }

  const seq = parts.log.arrive();
  const arrivedAt = Date.now();
  const started = performance.now();
  const requestId = randomUUID();
  const entry: RequestLogEntry = {
    seq,
    method,
    path: url.pathname + url.search,
    status: 0,
    at: arrivedAt,
    durationMs: 0,
    requestId,
  };
  const finish = (status: number, code?: string) => {
    entry.status = status;
    if (code) entry.code = code;
    entry.durationMs = performance.now() - started;
    parts.log.record(entry);
  };

  const latency = parts.latencyMs();
  if (latency > 0) await sleep(latency);

  const preflight = checkHeaders(req, parts, entry);
  if (preflight) {
    finish(preflight.error.status, preflight.error.code);
    return send(
      res,
      errorBody(preflight.error, requestId),
      preflight.error.status,
      requestId,
      preflight.retryAfter,
    );
  }

  const startCursor = startCursorOf(url, rawBody);
  const actions = parts.faults.match(method, url.pathname, startCursor);
  if (actions.length > 0) entry.fault = actions.map((hit) => hit.id).join(",");
  let after: FaultAction | undefined;
  for (const { action } of actions) {
    switch (action.type) {
      case "delay":
        await sleep(action.ms);
        break;
      case "mutate":
        if (action.when === "after") after = action;
        else safeEdit(parts, action);
        break;
      case "hang":
        finish(0, "hang");
        res.on("close", () => undefined);
        return; // never answered; the client's timeout (or stop()) ends it
      case "reset":
        finish(0, "reset");
        req.socket.destroy();
        return;
      case "status":
      case "fail-before-apply": {
        const status = action.status ?? 500;
        const error = faultError(status, action.type === "status" ? action : undefined);
        const reason = error.additionalData?.rate_limit_reason;
        if (reason !== undefined) entry.rateLimitReason = reason;
        finish(status, error.code);
        const retryAfter = action.type === "status" ? action.retryAfter : undefined;
        return send(res, errorBody(error, requestId), status, requestId, retryAfter);
      }
      case "expire-cursor": {
        // Only requests with a cursor reach here (see FaultInjector.match).
        const cursor = startCursor ?? "";
        parts.workspace().cursors.forget(cursor);
        const error = invalidCursor(cursor);
        finish(error.status, error.code);
        return send(res, errorBody(error, requestId), error.status, requestId);
      }
      default:
        break;
    }
  }

  const routed = route(parts, method, url, rawBody);
  if (routed.ok && routed.result.applied) entry.applied = true;
  const body = routed.ok
    ? { ...routed.result.body, request_id: requestId }
    : errorBody(routed.error, requestId);
  const status = routed.ok ? routed.result.status : routed.error.status;
  const drop = actions.find(
    (hit) => hit.action.type === "apply-then-drop" || hit.action.type === "truncate-body",
  );
  if (drop?.action.type === "apply-then-drop") {
    finish(0, "apply-then-drop");
    req.socket.destroy();
  } else if (drop?.action.type === "truncate-body") {
    finish(status, "truncate-body");
    const text = JSON.stringify(body);
    res.writeHead(status, headers(requestId, Buffer.byteLength(text)));
    res.write(text.slice(0, Math.floor(text.length / 2)));
    res.socket?.destroy();
  } else {
    finish(status, routed.ok ? undefined : routed.error.code);
    send(res, body, status, requestId);
  }
  if (after?.type === "mutate") safeEdit(parts, after);
}

/** The start_cursor a request carries, in its query string or its JSON body; else undefined. */
function startCursorOf(url: URL, rawBody: string): string | undefined {
  const inQuery = url.searchParams.get("start_cursor");
  if (inQuery !== null) return inQuery;
  if (!rawBody.includes("start_cursor")) return undefined;
  try {
    const parsed: unknown = JSON.parse(rawBody);
    if (isObject(parsed) && typeof parsed.start_cursor === "string") return parsed.start_cursor;
  } catch {
    // Not JSON: routing answers invalid_json.
  }
  return undefined;
}

type Routed = { ok: true; result: ApiResult } | { ok: false; error: NotionApiError };

function route(parts: ServerParts, method: string, url: URL, rawBody: string): Routed {
  try {
    const found = findRoute(method, url.pathname);
    if (!found) throw invalidRequestUrl();
    let body: JsonObject = {};
    if (rawBody.trim().length > 0) {
      let parsed: unknown;
      try {
        parsed = JSON.parse(rawBody);
      } catch {
        throw invalidJson();
      }
      if (!isObject(parsed))
        throw validationError("body failed validation: body should be an object.");
      body = parsed;
    }
    const result = found.handler({
      method,
      path: url.pathname,
      params: found.params,
      query: url.searchParams,
      body,
      workspace: parts.workspace(),
      baseUrl: parts.baseUrl(),
    });
    return { ok: true, result };
  } catch (error) {
    if (error instanceof ApiError) return { ok: false, error };
    throw error;
  }
}

/**
 * Auth and the version first, then the rate limits: a request refused for its token or its
 * version spends no budget (Notion does not say; the emulator's choice). Notes on `entry` which
 * connection sent it and how the limits took it.
 */
function checkHeaders(
  req: IncomingMessage,
  parts: ServerParts,
  entry: RequestLogEntry,
): { error: NotionApiError; retryAfter?: number } | undefined {
  const auth = req.headers.authorization ?? "";
  const connection = parts.tokens.findIndex((token) => auth === `Bearer ${token}`);
  if (connection < 0) return { error: unauthorized() };
  entry.connection = connection;
  const version = req.headers["notion-version"];
  if (version === undefined) return { error: missingVersion() };
  if (version !== NOTION_VERSION) {
    return {
      error: validationError(
        `Notion-Version header failed validation: this emulator serves ${NOTION_VERSION}, instead was \`${JSON.stringify(version)}\`.`,
      ),
    };
  }
  const admission = parts.limiter.admit(connection);
  if (admission.window !== undefined) entry.rateLimitWindow = admission.window;
  if (!admission.ok) {
    entry.rateLimitReason = admission.reason;
    return {
      error: rateLimited(admission.reason, admission.retryAfterSeconds),
      retryAfter: admission.retryAfterSeconds,
    };
  }
  return undefined;
}

/**
 * The error a status fault answers. Its body carries what Notion's would: a Retry-After is
 * repeated as `retry_after`, and the rule's `rateLimitReason` names the limit. A 429 without one
 * names none, like the answers recorded before Notion named its limits: clients must cope.
 */
function faultError(
  status: number,
  action?: {
    code?: NotionApiError["code"];
    message?: string;
    retryAfter?: number;
    rateLimitReason?: string;
  },
): NotionApiError {
  const code = action?.code ?? defaultCode(status);
  const message = action?.message ?? defaultMessage(status);
  const additional: Record<string, string> = {};
  if (action?.rateLimitReason !== undefined) additional.rate_limit_reason = action.rateLimitReason;
  if (action?.retryAfter !== undefined) additional.retry_after = String(action.retryAfter);
  return new ApiError(
    status,
    code,
    message,
    Object.keys(additional).length > 0 ? additional : undefined,
  );
}

function defaultCode(status: number): NotionApiError["code"] {
  if (status === 429) return "rate_limited";
  if (status === 529) return "service_overload";
  if (status === 409) return "conflict_error";
  if (status === 404) return "object_not_found";
  if (status === 401) return "unauthorized";
  if (status === 503 || status === 504) return "service_unavailable";
  if (status === 400) return "validation_error";
  return "internal_server_error";
}

function defaultMessage(status: number): string {
  if (status === 429) return RATE_LIMITED_MESSAGE;
  // Notion's wording of a 529 is not recorded; its docs say it "means Notion is temporarily
  // overloaded".
  if (status === 529) return "Notion is temporarily overloaded. Please try again later.";
  if (status === 409) return "Conflict occurred while saving. Please try again.";
  if (status === 503 || status === 504) return "Notion is unavailable, please try again later.";
  return "Unexpected error occurred.";
}

function safeEdit(parts: ServerParts, action: Extract<FaultAction, { type: "mutate" }>): void {
  try {
    if ("schemaEdit" in action) editSchemaAsPerson(parts.workspace(), action.schemaEdit);
    else editAsPerson(parts.workspace(), action.edit);
  } catch (error) {
    console.error("emulator: a mutate fault could not make its edit:", (error as Error).message);
  }
}

function errorBody(error: NotionApiError, requestId: string): JsonObject {
  const body: JsonObject = {
    object: "error",
    status: error.status,
    code: error.code,
    message: error.message,
  };
  if (error.additionalData) body.additional_data = { ...error.additionalData };
  body.request_id = requestId;
  return body;
}

function headers(
  requestId: string,
  length: number,
  retryAfter?: number,
): Record<string, string | number> {
  const result: Record<string, string | number> = {
    "content-type": "application/json; charset=utf-8",
    "content-length": length,
    "x-notion-request-id": requestId,
  };
  if (retryAfter !== undefined) result["retry-after"] = String(retryAfter);
  return result;
}

function send(
  res: ServerResponse,
  body: JsonObject,
  status: number,
  requestId: string,
  retryAfter?: number,
): void {
  const text = JSON.stringify(body);
  res.writeHead(status, headers(requestId, Buffer.byteLength(text), retryAfter));
  res.end(text);
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body ?? null);
  res.writeHead(status, {
    "content-type": "application/json; charset=utf-8",
    "content-length": Buffer.byteLength(text),
  });
  res.end(text);
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    req.on("error", reject);
  });
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
