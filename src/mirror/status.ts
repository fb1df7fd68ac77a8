import type { Completeness } from "./completeness.ts";
import { completenessReader } from "./completeness.ts";
import type { ProjectConfig } from "../config/project-config.ts";
import type { Mirror } from "./open-mirror.ts";
import { lastPull, pullState, schemaChangesSince } from "./pull-records.ts";
import { countPages } from "./pull.ts";
import { lastPlanAt, openRuns } from "../runs/run-store.ts";

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
  const planAt = lastPlanAt(sqlite);
  const since = planAt ?? "";
  const completeness = completenessReader(sqlite);
  const dataSources = config.dataSources.map((source) => {
    const stored = pullState(sqlite, source.id);
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
      schemaChanges: schemaChangesSince(sqlite, source.id, since),
    };
  });
  return {
    mirrorPath: mirror.path,
    lastPlanAt: planAt,
    openRuns: openRuns(sqlite),
    dataSources,
    lastPull: lastPull(sqlite),
  };
}
