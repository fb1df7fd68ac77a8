import type { ProjectConfig } from "../config/project-config.ts";
import { NotionMirrorError } from "../errors.ts";
import { didYouMean, suggest } from "../util/suggest.ts";
import type { NotionApi } from "../notion/notion-api.ts";
import type { Mirror } from "./open-mirror.ts";
import type { SchemaChange } from "./schema-diff.ts";
import { needsFullRepull } from "./schema-diff.ts";
import { WATERMARK_OVERLAP_MS, pullPages } from "./pull-data-source.ts";
import { recordDataSourcePulled, recordPull } from "./pull-records.ts";
import { readStoredDataSource, rebuildView, storeSchema } from "./store-schema.ts";
import { plainText } from "../notion/codec/index.ts";
import { settleEach } from "../util/settle-each.ts";

/**
 * Data sources pulled at once, per request the API sends at once. A data source's requests mostly
 * follow each other (its schema, then its query, then its values past 25 references), so twice
 * as many data sources as requests in flight keep every request slot busy while some of them do
 * their local work. Not all at once: with hundreds begun together, every schema was read first,
 * then every query, then every value, and each stretch was bound by one side's CPU (the client's
 * writes wait for the last), not by the budget; nor did their pages wait in memory together.
 */
const SOURCES_PER_REQUEST_SLOT = 2;

export interface PullOptions {
  /** Re-read every page and reconcile deletions, even where an incremental pull would do. */
  full?: boolean;
  /** Only these aliases (default: every canonical data source). */
  only?: readonly string[];
  /** Called as pages arrive, per data source. */
  onProgress?: (event: PullProgress) => void;
  /** Clock, for tests. */
  now?: () => Date;
}

export interface PullProgress {
  alias: string;
  pages: number;
  /** Pages expected (the mirror's count from the last pull), when known. */
  expected: number | undefined;
  done: boolean;
}

export interface DataSourcePullResult {
  alias: string;
  id: string;
  title: string;
  mode: "full" | "incremental";
  /** Why a full pull was chosen ("first pull", "--full", "schema changed"). */
  reason: string;
  pagesWritten: number;
  livePages: number;
  trashedPages: number;
  gonePages: number;
  /** Pages an incremental pull found trashed since the previous pull. */
  newlyTrashed: number;
  /**
   * Queries walked to read every page: more than one when Notion's per-query cap (10,000
   * results) was reached or a refused cursor restarted a window.
   */
  windows: number;
  /** Windows Notion cut at its per-query cap. */
  cappedWindows: number;
  /** Windows restarted because Notion refused their cursor. */
  cursorRestarts: number;
  /**
   * Slices of created_time a full pull walked side by side: a big data source is not bound by
   * one cursor chain's latency (1 for a data source of a few thousand pages or fewer).
   */
  slices: number;
  schemaChanges: SchemaChange[];
  watermark: string | null;
}

export interface PullSummary {
  dataSources: DataSourcePullResult[];
  requests: number;
  durationMs: number;
}

/**
 * `sync pull`: brings the mirror up to date with Notion. All of it happens in one SQLite
 * transaction, so a pull that dies at any instant leaves the previous consistent mirror and the
 * next pull starts over cleanly. Data sources are pulled side by side (a few dozen at a time:
 * {@link SOURCES_PER_REQUEST_SLOT}); the API paces them together under the rate limit.
 */
export async function pullMirror(
  config: ProjectConfig,
  mirror: Mirror,
  api: NotionApi,
  options: PullOptions = {},
): Promise<PullSummary> {
  const selected = selectDataSources(config, options.only);
  const now = options.now ?? (() => new Date());
  const started = performance.now();
  const requestsBefore = api.stats.requests;
  const stamp = `${now().toISOString()}#${process.pid}`;
  const { sqlite } = mirror;

  // One failing data source stops the others at their next batch, so that no write lands
  // after the rollback below.
  const abort = new AbortController();
  sqlite.exec("BEGIN IMMEDIATE");
  try {
    const settled = await settleEach(
      selected,
      api.concurrency * SOURCES_PER_REQUEST_SLOT,
      async ({ id, alias }) => {
        try {
          const source = await api.retrieveDataSource(id, `reading the schema of ${alias}`);
          const before = readStoredDataSource(sqlite, id);
          const changes = storeSchema(sqlite, source, alias, now().toISOString());
          const reason = !before?.watermark
            ? "first pull"
            : options.full
              ? "--full"
              : needsFullRepull(changes)
                ? "schema changed"
                : "";
          const since = reason
            ? undefined
            : new Date(Date.parse(before?.watermark ?? "") - WATERMARK_OVERLAP_MS).toISOString();
          const expected = countPages(sqlite, id).live || undefined;
          const pulled = await pullPages({
            api,
            sqlite,
            source,
            alias,
            since,
            previousWatermark: before?.watermark ?? null,
            stamp,
            signal: abort.signal,
            onPage: (pages) => options.onProgress?.({ alias, pages, expected, done: false }),
          });
          const pulledAt = now().toISOString();
          recordDataSourcePulled(sqlite, id, {
            watermark: pulled.watermark,
            pulledAt,
            full: since === undefined,
            walk: pulled.walk,
          });
          rebuildView(sqlite, id, before?.alias);
          options.onProgress?.({ alias, pages: pulled.pagesWritten, expected, done: true });
          const counts = countPages(sqlite, id);
          return {
            alias,
            id,
            title: plainText(source.title),
            mode: since === undefined ? "full" : "incremental",
            reason: reason || "watermark",
            pagesWritten: pulled.pagesWritten,
            livePages: counts.live,
            trashedPages: counts.trashed,
            gonePages: counts.gone,
            newlyTrashed: pulled.newlyTrashed,
            windows: pulled.walk.windows,
            cappedWindows: pulled.walk.capped,
            cursorRestarts: pulled.walk.cursorRestarts,
            slices: pulled.slices,
            schemaChanges: changes,
            watermark: pulled.watermark,
          } satisfies DataSourcePullResult;
        } catch (error) {
          abort.abort(error);
          throw error;
        }
      },
      abort.signal,
    );
    const failed = settled.find((outcome) => outcome.status === "rejected");
    if (failed) throw failed.reason;
    const results = settled.flatMap((outcome) =>
      outcome.status === "fulfilled" ? [outcome.value] : [],
    );
    const summary: PullSummary = {
      dataSources: results,
      requests: api.stats.requests - requestsBefore,
      durationMs: performance.now() - started,
    };
    recordPull(sqlite, {
      startedAt: stamp.split("#")[0] ?? stamp,
      finishedAt: now().toISOString(),
      mode: results.every((result) => result.mode === "incremental") ? "incremental" : "full",
      requests: summary.requests,
      pagesWritten: results.reduce((sum, result) => sum + result.pagesWritten, 0),
      summaryJson: JSON.stringify(
        results.map(({ alias, mode, pagesWritten }) => ({ alias, mode, pagesWritten })),
      ),
    });
    sqlite.exec("COMMIT");
    return summary;
  } catch (error) {
    if (sqlite.inTransaction) sqlite.exec("ROLLBACK");
    throw error;
  }
}

function selectDataSources(
  config: ProjectConfig,
  only: readonly string[] | undefined,
): ProjectConfig["dataSources"] {
  if (!only || only.length === 0) return config.dataSources;
  const known = new Set(config.dataSources.map((source) => source.alias));
  const unknown = only.filter((alias) => !known.has(alias));
  if (unknown.length > 0) {
    const candidates = config.dataSources.map((source) => ({
      names: source.name ? [source.alias, source.name] : [source.alias],
      label: source.name ? `${source.alias} (${source.name})` : source.alias,
    }));
    const named = unknown.map((alias) => {
      const nearest = didYouMean(suggest(alias, candidates));
      return nearest ? `${alias} (${nearest})` : alias;
    });
    throw new NotionMirrorError(
      "usage",
      `Unknown alias${unknown.length > 1 ? "es" : ""}: ${named.join(", ")}.`,
      `Try one of: ${[...known].join(", ")}`,
    );
  }
  return config.dataSources.filter((source) => only.includes(source.alias));
}

export function countPages(
  sqlite: Mirror["sqlite"],
  dataSourceId: string,
): { live: number; trashed: number; gone: number } {
  return sqlite
    .prepare(
      `SELECT COALESCE(SUM(in_trash = 0 AND gone = 0), 0) AS live, COALESCE(SUM(in_trash = 1 AND gone = 0), 0) AS trashed,
              COALESCE(SUM(gone = 1), 0) AS gone FROM pages WHERE data_source_id = ?`,
    )
    .get(dataSourceId) as { live: number; trashed: number; gone: number };
}
