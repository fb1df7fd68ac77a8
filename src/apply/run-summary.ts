import type { RequestStats } from "../notion/notion-api.ts";
import type { ChangeRow } from "../runs/change-store.ts";

export interface PropertyTally {
  alias: string;
  dataSourceId: string;
  property: string;
  applied: number;
  protected: number;
  failed: number;
  pending: number;
}

/** What a run did, from its change rows: the figures of `runs show` and the tracker entry. */
export interface RunSummary {
  changes: number;
  applied: number;
  /** Targets found filled (or changed) when read live: kept, never overwritten. */
  protected: number;
  failed: number;
  /** Still planned or unknown: a resume finishes them. */
  pending: number;
  pagesAffected: number;
  successRate: number;
  perProperty: PropertyTally[];
  startedAt: string;
  finishedAt: string;
  durationMs: number;
  requests: RequestStats;
}

export function summarise(
  rows: readonly ChangeRow[],
  aliasOf: (dataSourceId: string) => string,
  timing: { startedAt: string; finishedAt: string; durationMs: number; requests: RequestStats },
): RunSummary {
  const tallies = new Map<string, PropertyTally>();
  let applied = 0;
  let isProtected = 0;
  let failed = 0;
  let pending = 0;
  const pages = new Set<string>();
  for (const row of rows) {
    const key = `${row.dataSourceId}/${row.propertyId}`;
    const tally = tallies.get(key) ?? {
      alias: aliasOf(row.dataSourceId),
      dataSourceId: row.dataSourceId,
      property: row.propertyName,
      applied: 0,
      protected: 0,
      failed: 0,
      pending: 0,
    };
    if (row.status === "applied" || row.status === "reverted") {
      applied += 1;
      tally.applied += 1;
      pages.add(row.pageId);
    } else if (row.status === "skipped_conflict") {
      isProtected += 1;
      tally.protected += 1;
    } else if (row.status === "failed") {
      failed += 1;
      tally.failed += 1;
    } else {
      pending += 1;
      tally.pending += 1;
    }
    tallies.set(key, tally);
  }
  const attempted = applied + failed;
  return {
    changes: rows.length,
    applied,
    protected: isProtected,
    failed,
    pending,
    pagesAffected: pages.size,
    successRate: attempted === 0 ? 1 : applied / attempted,
    perProperty: [...tallies.values()],
    ...timing,
  };
}
