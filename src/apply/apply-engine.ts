import type { NotionApi } from "../notion/notion-api.ts";
import type { PostEntry, PreEntry } from "../snapshot/entries.ts";
import type { SnapshotWriter } from "../snapshot/snapshot-file.ts";
import type {
  ChangeOutcome,
  EngineChange,
  EngineProgress,
  EngineResult,
  OutcomeRecorder,
} from "./engine-types.ts";
import { applyPage } from "./apply-page.ts";
import type { PageContext } from "./page-context.ts";
import { runPagePool } from "./page-pool.ts";
import type { LiveChecks } from "./page-values.ts";

export interface EngineInput {
  snapshot: SnapshotWriter;
  /** Entries already in the snapshot (a resumed run): a change with a pre and no post is in doubt. */
  prior: { pre: ReadonlyMap<number, PreEntry>; post: ReadonlyMap<number, PostEntry> };
  changes: readonly EngineChange[];
  api: NotionApi;
  recorder: OutcomeRecorder;
  /** At most this many page writes in this invocation; the rest stay planned. */
  maxWrites?: number;
  /**
   * Pages in progress at once (default: the API's concurrency, so that every page in progress
   * has a request slot; the API paces their requests under Notion's limits).
   */
  concurrency?: number;
  /**
   * Aborted on Ctrl-C: no page is started any more — one still waiting for its live read gives up
   * its turn and stays planned — and the pages whose read was sent finish their write.
   */
  signal?: AbortSignal;
  /** Called after each page is settled, and once more when the engine ends (final counts). */
  onProgress?: (progress: EngineProgress) => void;
  /** Lost answers per page write before its outcome is left unknown (settled on resume). */
  maxWriteAttempts?: number;
  /** What the per-page checks know beyond each change (see liveVerdict). */
  checks?: LiveChecks;
}

/**
 * The one engine that applies changes, for push and revert alike. Per page (see applyPage): read
 * it live, decide each change against its guard (see decidePage), append the pre-images to the
 * snapshot and fsync, send ONE PATCH with all of the page's changes, record the after-images.
 * The write's slot under the rate limit is reserved with the read, so the write follows its own
 * read by one round trip, not queued behind other pages' reads (the overwrite window). A write
 * whose answer is lost is settled by reading the page back (see judgeReadBack), never by sending
 * it blind. Pages are settled by a pool of workers (see runPagePool). Returns per-change
 * outcomes; throws only when the whole run must stop (token refused, snapshot not writable,
 * Notion unreachable) — the run then resumes from the snapshot.
 */
export async function applyChanges(input: EngineInput): Promise<EngineResult> {
  const started = performance.now();
  const pages = groupByPage(
    input.changes.filter((change) => !input.prior.post.has(change.changeId)),
  );
  const outcomes: ChangeOutcome[] = [];
  const progress: EngineProgress = {
    pagesDone: 0,
    pagesTotal: pages.length,
    applied: 0,
    protected: 0,
    failed: 0,
    pagesWritten: 0,
  };
  let writesSent = 0;
  const ctx: PageContext = {
    api: input.api,
    snapshot: input.snapshot,
    recorder: input.recorder,
    prior: input.prior.pre,
    checks: input.checks,
    maxWriteAttempts: input.maxWriteAttempts ?? 5,
    settle: (change, outcome, post) => {
      const full: ChangeOutcome = {
        changeId: change.changeId,
        pageId: change.pageId,
        propertyName: change.propertyName,
        ...outcome,
      };
      if (post) input.snapshot.append([post]);
      input.recorder.record(full);
      outcomes.push(full);
      if (full.status === "applied") progress.applied += 1;
      else if (full.status === "skipped_conflict") progress.protected += 1;
      else if (full.status === "failed") progress.failed += 1;
    },
    sending: () => {
      writesSent += 1;
    },
  };
  let deferredPages: number;
  try {
    ({ deferred: deferredPages } = await runPagePool({
      pages,
      workers: Math.min(input.concurrency ?? input.api.concurrency, Math.max(1, pages.length)),
      // A page is started only with a write reserved for it (--max-writes), so pages beyond the
      // cap are not even read; a page that ends up needing no write gives its reservation back.
      maxWrites: input.maxWrites,
      signal: input.signal,
      settle: async ([pageId, changes]) => {
        const lane = input.api.lane(input.signal);
        try {
          return await applyPage(ctx, pageId, changes, lane);
        } finally {
          lane.close();
        }
      },
      settled: (fate) => {
        if (fate === "written") progress.pagesWritten += 1;
        progress.pagesDone += 1;
        input.onProgress?.({ ...progress });
      },
    }));
  } finally {
    input.onProgress?.({ ...progress });
  }
  return { outcomes, deferredPages, writesSent, durationMs: performance.now() - started };
}

function groupByPage(changes: readonly EngineChange[]): Array<[string, EngineChange[]]> {
  const pages = new Map<string, EngineChange[]>();
  for (const change of changes) {
    const list = pages.get(change.pageId) ?? [];
    list.push(change);
    pages.set(change.pageId, list);
  }
  return [...pages];
}
