import type { AddressInfo } from "node:net";
import type { Clock } from "./clock.ts";
import { systemClock } from "./clock.ts";
import { handleControl } from "./control.ts";
import type { PersonEdit } from "./faults.ts";
import { FaultInjector } from "./faults.ts";
import { IdSource } from "./ids.ts";
import type { JsonObject } from "./json.ts";
import { editAsPerson } from "./person-edits.ts";
import type { SchemaEdit } from "./schema-edits.ts";
import { editSchemaAsPerson } from "./schema-edits.ts";
import type { QueryLimits } from "./query-limits.ts";
import { checkCursorTtl, checkQueryResultLimit, defaultQueryLimits } from "./query-limits.ts";
import type { RateLimit, WorkspaceRateLimit } from "./rate-limit.ts";
import { checkRateLimit, checkWorkspaceRateLimit } from "./rate-limit.ts";
import { RateLimiter } from "./rate-limiter.ts";
import { RequestLog } from "./request-log.ts";
import type { SeedFile } from "./seed-file.ts";
import { createNotionServer } from "./server.ts";
import { Workspace } from "./workspace.ts";

export type {
  BucketRateLimit,
  RateLimit,
  WindowRateLimit,
  WorkspaceRateLimit,
} from "./rate-limit.ts";

/** The emulator's pace: latency and the two rate limits in force. */
export interface EmulatorSettings {
  latencyMs: number;
  rateLimit: RateLimit | false;
  workspaceRateLimit: WorkspaceRateLimit | false;
}

export interface EmulatorOptions {
  seed: SeedFile;
  /** TCP port; 0 (default) picks a free one. */
  port?: number;
  /** Default 127.0.0.1: the emulator is never reachable from other machines unless asked. */
  host?: string;
  /** The bearer token clients must send (default "emulator-token"). */
  token?: string;
  /**
   * More bearer tokens taken: other integrations (connections) of the same workspace, each with
   * its own per-connection limit and all sharing the workspace limit. Their writes are stamped
   * with the same bot as the main token's (one integration is modelled).
   */
  extraTokens?: string[];
  /**
   * The per-connection limit, off by default (most tests). Notion's (2026): a window of 180
   * requests per 60 s, or 600 on Business and Enterprise plans (`NOTION_BUDGETS` in
   * rate-limit.ts). A bucket (`{perSecond, burst?}`, the older model) is still taken.
   */
  rateLimit?: RateLimit | false;
  /**
   * The per-workspace limit shared by every token, off by default. Notion documents no figure
   * ("scaled to the workspace's plan") and says its Retry-After can exceed a minute.
   */
  workspaceRateLimit?: WorkspaceRateLimit | false;
  /** Added to every request before it is handled, ms (default 0). */
  latencyMs?: number;
  clock?: Clock;
  /** Seed of the generator for new ids and of probabilistic faults. */
  randomSeed?: number;
  /**
   * Results one query (data source query or search) walks through its cursors before Notion
   * stops it with `request_status: incomplete` (default 10,000, Notion's). Tests scale it down.
   */
  queryResultLimit?: number;
  /**
   * Age in ms (on `clock`, from issue) past which a query or search cursor is refused with
   * Notion's 400 (default 60,000); false: cursors never expire.
   */
  cursorTtlMs?: number | false;
}

export interface Emulator {
  /** Base URL for @notionhq/client's `baseUrl` (no trailing slash). */
  readonly url: string;
  readonly token: string;
  readonly faults: FaultInjector;
  readonly log: RequestLog;
  workspace(): Workspace;
  dump(): SeedFile;
  reseed(seed: SeedFile): void;
  editAsPerson(edit: PersonEdit): JsonObject;
  /** A schema edit as if a person made it in Notion's UI (rename, remove or add an option). */
  editSchemaAsPerson(edit: SchemaEdit): JsonObject;
  setLatency(ms: number): void;
  /** Sets the per-connection limit (window or bucket); every connection starts afresh. Throws on a bad one. */
  setRateLimit(limit: RateLimit | false): void;
  /** Sets the workspace limit shared by every token; its window opens afresh. Throws on a bad one. */
  setWorkspaceRateLimit(limit: WorkspaceRateLimit | false): void;
  /** Latency and rate limits in force (limits normalised: `kind` and a bucket's `burst` filled in). */
  settings(): EmulatorSettings;
  /** Sets the per-query result limit (a whole number ≥ 1) for the next requests. */
  setQueryResultLimit(limit: number): void;
  /** Sets the cursor TTL in ms (> 0), or false for cursors that never expire. */
  setCursorTtl(ms: number | false): void;
  /** The per-query result limit and cursor TTL in force. */
  limits(): QueryLimits;
  stop(): Promise<void>;
}

export const DEFAULT_TOKEN = "emulator-token";

/**
 * Starts a Notion API (2025-09-03) emulator on loopback, serving the seeded workspace.
 *
 * @example
 * const emulator = await startEmulator({ seed: demoWorkspace() });
 * const notion = new Client({ auth: emulator.token, baseUrl: emulator.url });
 * await notion.search({ filter: { property: "object", value: "data_source" } });
 * await emulator.stop();
 */
export async function startEmulator(options: EmulatorOptions): Promise<Emulator> {
  const clock = options.clock ?? systemClock;
  const ids = new IdSource(options.randomSeed ?? 0x0e3);
  const limits = defaultQueryLimits();
  if (options.queryResultLimit !== undefined)
    limits.queryResultLimit = checkQueryResultLimit(options.queryResultLimit);
  if (options.cursorTtlMs !== undefined) limits.cursorTtlMs = checkCursorTtl(options.cursorTtlMs);
  let workspace = new Workspace(options.seed, clock, ids, limits);
  const token = options.token ?? DEFAULT_TOKEN;
  const tokens = [token, ...(options.extraTokens ?? [])];
  if (new Set(tokens).size !== tokens.length || tokens.some((one) => one.length === 0))
    throw new Error("the emulator's tokens must be distinct and not empty");
  const faults = new FaultInjector(options.randomSeed ?? 42);
  const log = new RequestLog();
  let latencyMs = options.latencyMs ?? 0;
  const limiter = new RateLimiter(
    checkRateLimit(options.rateLimit ?? false),
    checkWorkspaceRateLimit(options.workspaceRateLimit ?? false),
    () => clock.now().getTime(),
  );
  let url = "";

  const emulator: Emulator = {
    get url() {
      return url;
    },
    token,
    faults,
    log,
    workspace: () => workspace,
    dump: () => workspace.dump(),
    reseed: (seed) => {
      workspace = new Workspace(seed, clock, ids, limits);
    },
    editAsPerson: (edit) => editAsPerson(workspace, edit),
    editSchemaAsPerson: (edit) => editSchemaAsPerson(workspace, edit),
    setLatency: (ms) => {
      latencyMs = ms;
    },
    setRateLimit: (limit) => {
      limiter.setConnectionLimit(checkRateLimit(limit));
    },
    setWorkspaceRateLimit: (limit) => {
      limiter.setWorkspaceLimit(checkWorkspaceRateLimit(limit));
    },
    settings: () => ({ latencyMs, ...limiter.limits() }),
    setQueryResultLimit: (limit) => {
      limits.queryResultLimit = checkQueryResultLimit(limit);
    },
    setCursorTtl: (ms) => {
      limits.cursorTtlMs = checkCursorTtl(ms);
    },
    limits: () => ({ ...limits }),
    stop: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };

  const server = createNotionServer({
    workspace: () => workspace,
    tokens,
    latencyMs: () => latencyMs,
    limiter,
    faults,
    log,
    baseUrl: () => url,
    control: (method, path, body) => handleControl(emulator, method, path, body),
  });
  server.keepAliveTimeout = 5_000;
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, options.host ?? "127.0.0.1", () => resolve());
  });
  const address = server.address() as AddressInfo;
  const host = address.family === "IPv6" ? `[${address.address}]` : address.address;
  url = `http://${host}:${address.port}`;
  return emulator;
}
