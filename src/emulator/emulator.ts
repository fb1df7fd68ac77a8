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
import { TokenBucket } from "./rate-limit.ts";
import { RequestLog } from "./request-log.ts";
import type { SeedFile } from "./seed-file.ts";
import { createNotionServer } from "./server.ts";
import { Workspace } from "./workspace.ts";

export interface RateLimit {
  /** Average requests per second; Notion's is about 3. */
  perSecond: number;
  /** Requests allowed at once above the average. */
  burst?: number;
}

export interface EmulatorOptions {
  seed: SeedFile;
  /** TCP port; 0 (default) picks a free one. */
  port?: number;
  /** Default 127.0.0.1: the emulator is never reachable from other machines unless asked. */
  host?: string;
  /** The bearer token clients must send (default "emulator-token"). */
  token?: string;
  /** Off by default (most tests); Notion's realistic limit is {perSecond: 3}. */
  rateLimit?: RateLimit | false;
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
  setRateLimit(limit: RateLimit | false): void;
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
 * Starts a Notion API emulator on loopback, serving the seeded workspace in each of
 * SERVED_VERSIONS (2025-09-03, 2026-03-11, 2026-12-01), as each request's Notion-Version asks.
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
  const faults = new FaultInjector(options.randomSeed ?? 42);
  const log = new RequestLog();
  let latencyMs = options.latencyMs ?? 0;
  const makeBucket = (limit: RateLimit | false | undefined) =>
    limit
      ? new TokenBucket(limit.perSecond, limit.burst ?? Math.max(1, Math.ceil(limit.perSecond)))
      : undefined;
  let bucket = makeBucket(options.rateLimit);
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
      bucket = makeBucket(limit);
    },
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
    token,
    latencyMs: () => latencyMs,
    bucket: () => bucket,
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
