import type { Completeness } from "./completeness.ts";
import { completenessReader } from "./completeness.ts";
import type { ProjectConfig } from "../config/project-config.ts";
import type { Mirror } from "./open-mirror.ts";
import { countPages } from "./pull.ts";

export interface DataSourceStatus {
  alias: string;
  id: string;
  title: string | null;
  livePages: number;
  trashedPages: number;
  gonePages: number;
  pulledAt: string | null;
  fullPulledAt: string | null;
  watermark: string | null;
  /** Whether the mirror holds every page Notion has for it. */
  completeness: Completeness;
  /** Schema changes recorded since `since` (the last plan; every recorded change before plans exist). */
  schemaChanges: Array<{
    kind: string;
    before: string | null;
    after: string | null;
    detectedAt: string;
  }>;
}

export interface MirrorStatus {
  mirrorPath: string;
  /** When the latest plan was made: schema changes are counted since then. */
  lastPlanAt: string | null;
  /** Runs planned or started but not finished (push or revert them to finish); discarded ones are not. */
  openRuns: Array<{ id: string; kind: string; status: string; createdAt: string }>;
  dataSources: DataSourceStatus[];
  lastPull: { finishedAt: string; mode: string; requests: number; pagesWritten: number } | null;
}

/** What the mirror holds per canonical data source; never touches the network. */
export function mirrorStatus(config: ProjectConfig, mirror: Mirror): MirrorStatus {
  const { sqlite } = mirror;
  const lastPlan = sqlite
    .prepare("SELECT max(created_at) AS at FROM runs WHERE kind = 'fill'")
    .get() as { at: string | null };
  const since = lastPlan.at ?? "";
  const openRuns = sqlite
    .prepare(
      "SELECT id, kind, status, created_at AS createdAt FROM runs WHERE status IN ('planned', 'applying', 'partial') ORDER BY created_at",
    )
    .all() as MirrorStatus["openRuns"];
  const row = sqlite.prepare(
    "SELECT title, pulled_at AS pulledAt, full_pulled_at AS fullPulledAt, watermark FROM data_sources WHERE id = ?",
  );
  const changes = sqlite.prepare(
    `SELECT kind, before, after, detected_at AS detectedAt FROM schema_changes
     WHERE data_source_id = ? AND detected_at > ? ORDER BY id`,
  );
  const completeness = completenessReader(sqlite);
  const dataSources = config.dataSources.map((source) => {
    const stored = row.get(source.id) as
      | {
          title: string;
          pulledAt: string | null;
          fullPulledAt: string | null;
          watermark: string | null;
        }
      | undefined;
    const counts = countPages(sqlite, source.id);
    return {
      alias: source.alias,
      id: source.id,
      title: stored?.title ?? null,
      livePages: counts.live,
      trashedPages: counts.trashed,
      gonePages: counts.gone,
      pulledAt: stored?.pulledAt ?? null,
      fullPulledAt: stored?.fullPulledAt ?? null,
      watermark: stored?.watermark ?? null,
      completeness: completeness(source.id),
      schemaChanges: changes.all(source.id, since) as DataSourceStatus["schemaChanges"],
    };
  });
  const lastPull =
    (sqlite
      .prepare(
        "SELECT finished_at AS finishedAt, mode, requests, pages_written AS pagesWritten FROM pulls ORDER BY id DESC LIMIT 1",
      )
      .get() as MirrorStatus["lastPull"] | undefined) ?? null;
  return { mirrorPath: mirror.path, lastPlanAt: lastPlan.at, openRuns, dataSources, lastPull };
}
