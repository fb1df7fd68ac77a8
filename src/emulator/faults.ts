import type { NotionErrorCode } from "./errors.ts";
import type { JsonObject } from "./json.ts";
import { isObject } from "./json.ts";
import type { SchemaEdit } from "./schema-edits.ts";
import { validateSchemaEdit } from "./schema-edits.ts";
import { seededRandom } from "./seeded-random.ts";

/**
 * What a fault rule does to a request it matches.
 * - `status`: answer this HTTP status (Notion error body; optional Retry-After, repeated in the
 *   body as `additional_data.retry_after`) without handling it. The code defaults to Notion's for
 *   the status (529: `service_overload`); `rateLimitReason` goes in `additional_data` (a 429
 *   without one names no limit, as Notion's did before 2026).
 * - `delay`: wait, then handle normally.
 * - `hang`: never answer (the client's timeout ends it).
 * - `reset`: drop the connection before handling.
 * - `fail-before-apply`: answer an error (default 500) without applying the request.
 * - `apply-then-drop`: handle and apply the request, then drop the connection instead of answering.
 * - `truncate-body`: handle and apply, then send half the response body and close.
 * - `mutate`: before handling (or after answering), edit a page as a person would (`edit`), or
 *   the schema of a data source (`schemaEdit`: rename, remove or add an option).
 * - `expire-cursor`: refuse the request's `start_cursor` (body or query string) with Notion's 400
 *   `The start_cursor provided is invalid: …`, and forget it, as when Notion's cursor expires
 *   mid-walk. Only requests that carry a start_cursor count for this rule (`nth`, `from`,
 *   `times`, `probability`); others pass untouched.
 */
export type FaultAction =
  | {
      type: "status";
      status: number;
      code?: NotionErrorCode;
      message?: string;
      /** Whole seconds, sent as Retry-After. */
      retryAfter?: number;
      /** `additional_data.rate_limit_reason`, e.g. `public_api_space_request_rate_limit`. */
      rateLimitReason?: string;
    }
  | { type: "delay"; ms: number }
  | { type: "hang" }
  | { type: "reset" }
  | { type: "fail-before-apply"; status?: number }
  | { type: "apply-then-drop" }
  | { type: "truncate-body" }
  | { type: "expire-cursor" }
  | { type: "mutate"; edit: PersonEdit; when?: "before" | "after" }
  | { type: "mutate"; schemaEdit: SchemaEdit; when?: "before" | "after" };

/** An edit made as if by a person in the Notion UI: properties in the request format, or trash. */
export interface PersonEdit {
  pageId: string;
  properties?: JsonObject;
  inTrash?: boolean;
  /** The person's user id; the first person in the workspace when absent. */
  userId?: string;
  /**
   * Queries and search keep showing the page as it was before this edit until this many ms (on
   * the emulator's clock) have passed: a query index that trails the write. GET shows it at once.
   */
  visibleAfterMs?: number;
  /** The edit is stamped this many ms in the past (a clock behind, an edit that syncs late). */
  backdateMs?: number;
}

export interface FaultRule {
  /** HTTP method to match (any when absent). */
  method?: string;
  /** Path to match: `*` stands for one path segment, `**` for any rest (any path when absent). */
  path?: string;
  /** Act on the n-th matching request only (1-based). */
  nth?: number;
  /** Act on matching requests from the n-th on. */
  from?: number;
  /** How many times the rule acts before it retires (default: once with `nth`, else unlimited). */
  times?: number;
  /** Chance, 0..1, that a matching request is acted on (seeded, so runs repeat). */
  probability?: number;
  action: FaultAction;
}

interface LiveRule {
  id: string;
  rule: FaultRule;
  matcher: RegExp | undefined;
  seen: number;
  acted: number;
}

/** Holds the fault rules and decides, per request, which act. */
export class FaultInjector {
  private rules: LiveRule[] = [];
  private nextId = 1;
  private random: () => number;

  constructor(seed = 42) {
    this.random = seededRandom(seed);
  }

  /** Adds a rule; returns its id (for `remove`). Throws on a malformed rule. */
  add(rule: FaultRule): string {
    validateRule(rule);
    const id = `fault-${this.nextId++}`;
    this.rules.push({
      id,
      rule,
      matcher: rule.path ? globToRegExp(rule.path) : undefined,
      seen: 0,
      acted: 0,
    });
    return id;
  }

  remove(id: string): void {
    this.rules = this.rules.filter((live) => live.id !== id);
  }

  clear(): void {
    this.rules = [];
  }

  list(): Array<{ id: string; rule: FaultRule; seen: number; acted: number }> {
    return this.rules.map(({ id, rule, seen, acted }) => ({ id, rule, seen, acted }));
  }

  /**
   * The actions that apply to this request, in rule order, with the ids of their rules. A request
   * without `startCursor` is not seen by `expire-cursor` rules.
   */
  match(
    method: string,
    path: string,
    startCursor?: string,
  ): Array<{ id: string; action: FaultAction }> {
    const bare = path.split("?")[0] ?? path;
    const hits: Array<{ id: string; action: FaultAction }> = [];
    for (const live of this.rules) {
      const { rule } = live;
      if (rule.method && rule.method.toUpperCase() !== method.toUpperCase()) continue;
      if (live.matcher && !live.matcher.test(bare)) continue;
      if (rule.action.type === "expire-cursor" && startCursor === undefined) continue;
      live.seen += 1;
      if (rule.nth !== undefined && live.seen !== rule.nth) continue;
      if (rule.from !== undefined && live.seen < rule.from) continue;
      const limit = rule.times ?? (rule.nth !== undefined ? 1 : Infinity);
      if (live.acted >= limit) continue;
      if (rule.probability !== undefined && this.random() >= rule.probability) continue;
      live.acted += 1;
      hits.push({ id: live.id, action: rule.action });
    }
    return hits;
  }
}

const ACTIONS = new Set([
  "status",
  "delay",
  "hang",
  "reset",
  "fail-before-apply",
  "apply-then-drop",
  "truncate-body",
  "mutate",
  "expire-cursor",
]);

/** Checks a rule that came over HTTP (or from a test) before it is armed. */
export function validateRule(rule: unknown): asserts rule is FaultRule {
  if (!isObject(rule)) throw new Error("a fault rule must be an object");
  const action = rule.action;
  if (!isObject(action) || typeof action.type !== "string" || !ACTIONS.has(action.type)) {
    throw new Error(`fault rule action.type must be one of ${[...ACTIONS].join(", ")}`);
  }
  if (action.type === "status" && typeof action.status !== "number") {
    throw new Error("a status fault needs a numeric status");
  }
  if (
    action.type === "status" &&
    action.retryAfter !== undefined &&
    (typeof action.retryAfter !== "number" ||
      !Number.isSafeInteger(action.retryAfter) ||
      action.retryAfter < 0)
  ) {
    throw new Error(
      "a status fault's retryAfter must be whole seconds ≥ 0 (Notion sends integers)",
    );
  }
  if (
    action.type === "status" &&
    action.rateLimitReason !== undefined &&
    typeof action.rateLimitReason !== "string"
  ) {
    throw new Error("a status fault's rateLimitReason must be a string");
  }
  if (action.type === "delay" && typeof action.ms !== "number") {
    throw new Error("a delay fault needs ms");
  }
  if (action.type === "mutate") {
    if (action.schemaEdit !== undefined) validateSchemaEdit(action.schemaEdit);
    else {
      if (!isObject(action.edit) || typeof action.edit.pageId !== "string")
        throw new Error("a mutate fault needs edit.pageId or a schemaEdit");
      validatePersonEdit(action.edit);
    }
  }
  for (const key of ["nth", "from", "times"] as const) {
    const value = rule[key];
    if (
      value !== undefined &&
      (typeof value !== "number" || !Number.isInteger(value) || value < 1)
    ) {
      throw new Error(`fault rule ${key} must be a whole number ≥ 1`);
    }
  }
  const probability = rule.probability;
  if (
    probability !== undefined &&
    (typeof probability !== "number" || probability < 0 || probability > 1)
  ) {
    throw new Error("fault rule probability must be between 0 and 1");
  }
}

/** Checks an edit that came over HTTP (control API or a mutate rule); throws saying what is wrong. */
export function validatePersonEdit(edit: unknown): asserts edit is PersonEdit {
  if (!isObject(edit) || typeof edit.pageId !== "string") throw new Error("an edit needs pageId");
  for (const key of ["visibleAfterMs", "backdateMs"] as const) {
    const value = edit[key];
    if (value !== undefined && (typeof value !== "number" || !Number.isFinite(value) || value < 0))
      throw new Error(`an edit's ${key} must be a number of ms ≥ 0`);
  }
}

function globToRegExp(glob: string): RegExp {
  const escaped = glob
    .split("**")
    .map((part) =>
      part
        .split("*")
        .map((piece) => piece.replace(/[.+?^${}()|[\]\\]/g, "\\$&"))
        .join("[^/]*"),
    )
    .join(".*");
  return new RegExp(`^${escaped}$`);
}
