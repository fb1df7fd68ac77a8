import type { PageObjectResponse } from "../notion/sdk-types.ts";
import { NotionMirrorError } from "../errors.ts";
import { completePage } from "../notion/complete-page.ts";
import { classifyFailure } from "../notion/failures.ts";
import type { NotionApi } from "../notion/notion-api.ts";
import type { Pacer } from "../notion/rate-gate.ts";
import { WaitAborted } from "../notion/rate-gate.ts";
import type { PostEntry, PreEntry } from "../snapshot/entries.ts";
import type { SnapshotWriter } from "../snapshot/snapshot-file.ts";
import type {
  ChangeOutcome,
  EngineChange,
  EngineProgress,
  EngineResult,
  OutcomeRecorder,
} from "./engine-types.ts";
import type { LiveChecks } from "./page-values.ts";
import { holdsIntended, liveVerdict, stillBefore, valueOf } from "./page-values.ts";

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
 * Refusals (429, 529) accepted for one page write before it is left for the next run. A refusal
 * says the write was not applied, so it does not count as a lost answer however long Notion asks
 * to wait: it is sent again once the Retry-After has passed.
 */
const MAX_REFUSALS_PER_WRITE = 10;

/**
 * A write held back this long after its page's live read (a refusal's Retry-After, or the time it
 * waited) is sent again only after a fresh read: the overwrite window stays one round trip.
 */
const STALE_READ_MS = 1_000;

/**
 * What became of one page: not started (its read gave up its turn on Ctrl-C), settled with no
 * write, written (Notion applied it), or its write sent without landing (failed, refused, unknown).
 */
type PageFate = "not-started" | "no-write" | "written" | "sent";

/**
 * The one engine that applies changes, for push and revert alike. Per page: read it live, check
 * each change's guard, append the pre-images to the snapshot and fsync, send ONE PATCH with all of
 * the page's changes, record the after-images. The write's slot under the rate limit is reserved
 * with the read, so the write follows its own read by one round trip, not queued behind other
 * pages' reads (the overwrite window). A write whose answer is lost is settled by reading the page
 * back, never by sending it blind. Returns per-change outcomes; throws only when the whole run
 * must stop (token refused, snapshot not writable, Notion unreachable) — the run then resumes from
 * the snapshot.
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
  // A page is started only with a write reserved for it (--max-writes), so pages beyond the cap
  // are not even read; a page that ends up needing no write gives its reservation back.
  let writesLeft = input.maxWrites ?? Infinity;
  let writesSent = 0;

  const settle = (
    change: EngineChange,
    outcome: Omit<ChangeOutcome, "changeId" | "pageId" | "propertyName">,
    post?: PostEntry,
  ) => {
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
  };
  const post = (
    change: EngineChange,
    status: PostEntry["status"],
    after: unknown,
    note?: string,
  ): PostEntry => ({
    type: "post",
    changeId: change.changeId,
    pageId: change.pageId,
    propertyId: change.propertyId,
    status,
    after: after ?? null,
    ...(note ? { note } : {}),
    at: new Date().toISOString(),
  });
  const failAll = (changes: readonly EngineChange[], reason: string) => {
    for (const change of changes) {
      settle(change, { status: "failed", reason }, post(change, "failed", null, reason));
    }
  };

  /** Settles one page's changes, its requests paced by `lane` (see NotionApi.lane). */
  const applyPage = async (
    pageId: string,
    changes: EngineChange[],
    lane: { reads: Pacer; writes: Pacer; again(): void },
  ): Promise<PageFate> => {
    const targets = new Set(changes.map((change) => change.propertyId));
    const dataSourceId = changes[0]?.dataSourceId ?? "";
    let live: Awaited<ReturnType<typeof readPage>>;
    try {
      live = await readPage(input.api, pageId, targets, lane.reads);
    } catch (error) {
      if (error instanceof WaitAborted) return "not-started";
      throw error;
    }
    const readAt = performance.now();
    if (!live.ok) {
      failAll(changes, live.reason);
      return "no-write";
    }
    if (live.page.in_trash) {
      failAll(changes, "the page is in the trash");
      return "no-write";
    }
    let settledFromLive = false;
    let toSend: EngineChange[] = [];
    const befores = new Map<number, unknown>();
    const newPre: PreEntry[] = [];
    for (const change of changes) {
      const value = valueOf(live.page, change.propertyId);
      if (!value || value.type !== change.propertyType) {
        const reason = !value
          ? `property ${change.propertyName} no longer exists`
          : `property ${change.propertyName} is now a ${value.type}, not a ${change.propertyType}`;
        settle(change, { status: "failed", reason }, post(change, "failed", null, reason));
        continue;
      }
      const pre = input.prior.pre.get(change.changeId);
      if (pre) {
        // An earlier invocation may have sent this write before it died: read, don't resend blindly.
        if (holdsIntended(change, value)) {
          settle(
            change,
            { status: "applied", before: pre.before, after: value },
            post(change, "applied", value, "settled on resume"),
          );
          settledFromLive = true;
        } else if (stillBefore(pre.before, value)) {
          befores.set(change.changeId, pre.before);
          toSend.push(change);
        } else {
          const reason = "changed by someone else since an interrupted write";
          settle(
            change,
            { status: "skipped_conflict", before: pre.before, after: value, reason },
            post(change, "skipped_conflict", value, reason),
          );
        }
        continue;
      }
      const verdict = await liveVerdict(change, value, live.page, input.checks);
      if (verdict.kind === "already-there") {
        // Nothing to send. Its pre and post entries keep the snapshot complete for a revert of
        // this run, which leaves it alone (the run wrote nothing there).
        input.snapshot.append([
          {
            type: "pre",
            changeId: change.changeId,
            pageId,
            propertyId: change.propertyId,
            before: value,
            at: new Date().toISOString(),
          },
        ]);
        settle(
          change,
          { status: "applied", before: value, after: value, reason: verdict.note },
          post(change, "applied", value, verdict.note),
        );
        settledFromLive = true; // the mirror learns the value Notion holds
        continue;
      }
      if (verdict.kind !== "write") {
        const status = verdict.kind === "keep" ? "skipped_conflict" : "failed";
        settle(
          change,
          { status, before: value, reason: verdict.reason },
          post(change, status, status === "failed" ? null : value, verdict.reason),
        );
        continue;
      }
      befores.set(change.changeId, value);
      newPre.push({
        type: "pre",
        changeId: change.changeId,
        pageId,
        propertyId: change.propertyId,
        before: value,
        at: new Date().toISOString(),
      });
      toSend.push(change);
    }
    // The page as read holds what an interrupted run wrote: the mirror learns it now.
    if (settledFromLive) input.recorder.pageWritten(live.page, dataSourceId);
    if (toSend.length === 0) return "no-write";
    input.snapshot.append(newPre); // durable before the write leaves this machine
    input.recorder.writing(pageId);

    const lostBudget = input.maxWriteAttempts ?? 5;
    /** Some of the page's changes were confirmed applied by reading back. */
    let landed = false;
    /**
     * Judges the changes still to send against the page read again after a write's answer was
     * `lost` or Notion `refused` it: those holding the intended value are applied (after a lost
     * answer, this write landed; after a refusal, someone else's did), those still holding the
     * pre-image go again, the others were changed by someone meanwhile (conflicts).
     */
    const rejudge = (page: PageObjectResponse, after: "lost" | "held"): EngineChange[] => {
      const again: EngineChange[] = [];
      for (const change of toSend) {
        const value = valueOf(page, change.propertyId);
        if (value && holdsIntended(change, value)) {
          if (after === "lost") landed = true;
          const note =
            after === "lost"
              ? "confirmed by reading back"
              : "already there when read again after the write was held back";
          settle(
            change,
            { status: "applied", before: befores.get(change.changeId), after: value },
            post(change, "applied", value, note),
          );
        } else if (value && stillBefore(befores.get(change.changeId), value)) {
          again.push(change);
        } else {
          const reason = `changed by someone else ${
            after === "lost"
              ? "while the write's outcome was unknown"
              : "while the write was held back"
          }`;
          settle(
            change,
            {
              status: "skipped_conflict",
              before: befores.get(change.changeId),
              after: value,
              reason,
            },
            post(change, "skipped_conflict", value ?? null, reason),
          );
        }
      }
      if (again.length < toSend.length) input.recorder.pageWritten(page, dataSourceId);
      return again;
    };
    let lost = 0;
    let refused = 0;
    /** When the page was last read live: a write held back long after it is read again first. */
    let liveAt = readAt;
    /** A write of the page left this machine (its fate is then "sent" at least). */
    let sentOnce = false;
    while (toSend.length > 0) {
      const slot = await lane.writes.acquire();
      if (performance.now() - liveAt >= STALE_READ_MS) {
        // Held back long after the page was read (a Retry-After, a window's reset): the read
        // is stale, and a value a person typed meanwhile would be overwritten. Read it again;
        // that read reserves the write's slot, so the write follows it by one round trip.
        slot.settle({ kind: "unsent" });
        lane.again();
        const back = await readPage(input.api, pageId, targets, lane.reads);
        if (!back.ok) {
          failAll(toSend, back.reason);
          return sentOnce ? "sent" : "no-write";
        }
        liveAt = performance.now();
        toSend = rejudge(back.page, "held");
        continue;
      }
      writesSent += 1;
      sentOnce = true;
      try {
        const answer = await input.api.send(
          "write",
          (client) =>
            client.pages.update({
              page_id: pageId,
              properties: Object.fromEntries(
                toSend.map((change) => [change.propertyId, change.payload]),
              ) as never,
            }),
          { acquire: async () => slot },
        );
        if (!("properties" in answer))
          throw new NotionMirrorError(
            "notion",
            `Notion answered the write of page ${pageId} without its properties.`,
          );
        const page = await completePage(input.api, answer, targets, lane.reads);
        for (const change of toSend) {
          const after = valueOf(page, change.propertyId);
          settle(
            change,
            { status: "applied", before: befores.get(change.changeId), after },
            post(change, "applied", after),
          );
        }
        input.recorder.pageWritten(page, dataSourceId);
        return "written";
      } catch (error) {
        if (error instanceof NotionMirrorError) throw error;
        const failure = classifyFailure(error, `writing page ${pageId}`);
        if (failure.kind === "refused") {
          // Refused before applying (429, 529): safe to send again after Retry-After, however
          // long, and never a lost answer (the wait makes the read stale: it is read again at
          // the top of the loop). After too many, the changes stay planned; their pre entries
          // make the next run read first.
          refused += 1;
          if (refused > MAX_REFUSALS_PER_WRITE) return "sent";
          await input.api.waitBeforeRetry(failure, refused);
          continue;
        }
        if (failure.kind === "fatal") {
          if (failure.error.code === "auth") throw failure.error;
          for (const change of toSend) {
            settle(
              change,
              {
                status: "failed",
                before: befores.get(change.changeId),
                reason: failure.error.message,
              },
              post(change, "failed", null, failure.error.message),
            );
          }
          // Refused before applying: the page is as read, and the mirror may say so again.
          if (live.ok) input.recorder.pageWritten(live.page, dataSourceId);
          return "sent";
        }
        // The outcome is unknown: read the page back to learn what happened (that read reserves
        // the slot of a write sent again, which then follows it by one round trip).
        lost += 1;
        await input.api.waitBeforeRetry(failure, lost);
        lane.again();
        const back = await readPage(input.api, pageId, targets, lane.reads);
        if (!back.ok) {
          failAll(toSend, back.reason);
          return "sent";
        }
        liveAt = performance.now();
        toSend = rejudge(back.page, "lost");
        if (toSend.length > 0 && lost >= lostBudget) {
          for (const change of toSend) {
            settle(change, {
              status: "unknown",
              before: befores.get(change.changeId),
              reason: "Notion's answer was lost repeatedly; settled on the next run",
            });
          }
          return landed ? "written" : "sent";
        }
      }
    }
    return landed ? "written" : sentOnce ? "sent" : "no-write";
  };

  const queue = [...pages];
  // The first error that must stop the run. Workers then start no new page, and the error is
  // thrown only once every page in flight has finished and been recorded: nothing is still being
  // sent when the caller closes the snapshot and releases the writer lock.
  let stop: { error: unknown } | undefined;
  const worker = async () => {
    while (!stop && !input.signal?.aborted && writesLeft > 0) {
      const next = queue.shift();
      if (!next) return;
      writesLeft -= 1;
      const lane = input.api.lane(input.signal);
      let fate: PageFate;
      try {
        fate = await applyPage(next[0], next[1], lane);
      } catch (error) {
        stop ??= { error };
        return;
      } finally {
        lane.close();
      }
      if (fate === "not-started") {
        // Its read gave up its turn (Ctrl-C): the page is as it was, left for the next run.
        queue.unshift(next);
        writesLeft += 1;
        return;
      }
      if (fate === "no-write") writesLeft += 1;
      if (fate === "written") progress.pagesWritten += 1;
      progress.pagesDone += 1;
      input.onProgress?.({ ...progress });
    }
  };
  await Promise.all(
    Array.from(
      { length: Math.min(input.concurrency ?? input.api.concurrency, Math.max(1, pages.length)) },
      worker,
    ),
  );
  input.onProgress?.({ ...progress });
  if (stop) throw stop.error;
  return {
    outcomes,
    deferredPages: queue.length,
    writesSent,
    durationMs: performance.now() - started,
  };
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

async function readPage(
  api: NotionApi,
  pageId: string,
  targets: ReadonlySet<string>,
  pacer: Pacer,
): Promise<{ ok: true; page: PageObjectResponse } | { ok: false; reason: string }> {
  try {
    const page = await api.retrievePage(pageId, undefined, pacer);
    return { ok: true, page: await completePage(api, page, targets, pacer) };
  } catch (error) {
    if (error instanceof NotionMirrorError && error.code === "not_found") {
      return {
        ok: false,
        reason: "the page no longer exists or is no longer shared with the integration",
      };
    }
    throw error;
  }
}
