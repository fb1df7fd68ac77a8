import { NotionMirrorError } from "../errors.ts";
import { completePage } from "../mirror/complete-page.ts";
import { pageUpdateProperties } from "../notion/codec/index.ts";
import { classifyFailure } from "../notion/failures.ts";
import type { NotionApi } from "../notion/notion-api.ts";
import type { Pacer } from "../notion/rate-gate.ts";
import { WaitAborted } from "../notion/rate-gate.ts";
import type { PostEntry, PreEntry } from "../snapshot/entries.ts";
import type { SnapshotWriter } from "../snapshot/snapshot-file.ts";
import type { ChangeOutcome, EngineChange, OutcomeRecorder } from "./engine-types.ts";
import type { ChangeDecision } from "./page-decision.ts";
import { decidePage } from "./page-decision.ts";
import type { PageFate } from "./page-pool.ts";
import type { LiveChecks } from "./page-values.ts";
import { valueOf } from "./page-values.ts";
import type { ReadBackCause } from "./read-back.ts";
import { judgeReadBack, readPage } from "./read-back.ts";

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

/** An outcome without what the change itself says (its ids and name). */
export type Settled = Omit<ChangeOutcome, "changeId" | "pageId" | "propertyName">;

/** What settling one page needs from the engine's invocation. */
export interface PageContext {
  api: NotionApi;
  snapshot: SnapshotWriter;
  recorder: OutcomeRecorder;
  /** Pre-images an earlier invocation appended (those changes may have been sent). */
  prior: ReadonlyMap<number, PreEntry>;
  checks?: LiveChecks;
  /** Lost answers per page write before its outcome is left unknown (settled on resume). */
  maxWriteAttempts: number;
  /** Settles a change: its post entry (when given) appended, its outcome recorded and counted. */
  settle(change: EngineChange, outcome: Settled, post?: PostEntry): void;
  /** A write is about to leave this machine. */
  sending(): void;
}

/** The requests of one page, paced under the rate limit (see NotionApi.lane). */
export interface PageLane {
  reads: Pacer;
  writes: Pacer;
  again(): void;
}

/** The snapshot's after-image entry of a change. */
export function postEntry(
  change: EngineChange,
  status: PostEntry["status"],
  after: unknown,
  note?: string,
): PostEntry {
  return {
    type: "post",
    changeId: change.changeId,
    pageId: change.pageId,
    propertyId: change.propertyId,
    status,
    after: after ?? null,
    ...(note ? { note } : {}),
    at: new Date().toISOString(),
  };
}

function preEntry(change: EngineChange, before: unknown): PreEntry {
  return {
    type: "pre",
    changeId: change.changeId,
    pageId: change.pageId,
    propertyId: change.propertyId,
    before,
    at: new Date().toISOString(),
  };
}

/**
 * Settles one page's changes: reads it live, decides each change (see decidePage), checks the
 * options a write names (see SchemaWatch), appends the pre-images and fsyncs, then sends ONE
 * PATCH with every change that goes ahead. A lost answer or a write held back is settled by
 * reading the page back (see judgeReadBack), never by sending blind. Throws only what must stop
 * the run (token refused, Notion's answer malformed, Notion unreachable).
 */
export async function applyPage(
  ctx: PageContext,
  pageId: string,
  changes: readonly EngineChange[],
  lane: PageLane,
): Promise<PageFate> {
  const targets = new Set(changes.map((change) => change.propertyId));
  const dataSourceId = changes[0]?.dataSourceId ?? "";
  let live: Awaited<ReturnType<typeof readPage>>;
  try {
    live = await readPage(ctx.api, pageId, targets, lane.reads);
  } catch (error) {
    if (error instanceof WaitAborted) return "not-started";
    throw error;
  }
  const readAt = performance.now();
  let settledFromLive = false;
  let toSend: EngineChange[] = [];
  const befores = new Map<number, unknown>();
  const newPre: PreEntry[] = [];
  for (const decision of decidePage(changes, live, ctx.prior, ctx.checks)) {
    const taken = await withOptionsChecked(ctx, decision);
    const { change } = taken;
    switch (taken.kind) {
      case "failed":
        ctx.settle(
          change,
          {
            status: "failed",
            reason: taken.reason,
            ...("before" in taken ? { before: taken.before } : {}),
          },
          postEntry(change, "failed", null, taken.reason),
        );
        break;
      case "already-there":
        // Nothing to send. A fresh one's pre and post entries keep the snapshot complete for a
        // revert of this run, which leaves it alone (the run wrote nothing there).
        if (!taken.resumed) ctx.snapshot.append([preEntry(change, taken.value)]);
        ctx.settle(
          change,
          {
            status: "applied",
            before: taken.before,
            after: taken.value,
            ...(taken.resumed ? {} : { reason: taken.note }),
          },
          postEntry(change, "applied", taken.value, taken.note),
        );
        settledFromLive = true; // the mirror learns the value Notion holds
        break;
      case "protected":
      case "conflict":
        ctx.settle(
          change,
          {
            status: "skipped_conflict",
            before: taken.before,
            ...(taken.after ? { after: taken.after } : {}),
            reason: taken.reason,
          },
          postEntry(change, "skipped_conflict", taken.value, taken.reason),
        );
        break;
      case "send":
        befores.set(change.changeId, taken.before);
        if (!taken.resumed) newPre.push(preEntry(change, taken.before));
        toSend.push(change);
        break;
    }
  }
  // The page as read holds what an interrupted run wrote: the mirror learns it now.
  if (settledFromLive && live.ok) ctx.recorder.pageWritten(live.page, dataSourceId);
  if (toSend.length === 0) return "no-write";
  ctx.snapshot.append(newPre); // durable before the write leaves this machine
  ctx.recorder.writing(pageId);

  /** Some of the page's changes were confirmed applied by reading back. */
  let landed = false;
  /** Settles what the page read again says; returns the changes to send again. */
  const settleReadBack = (page: typeof live & { ok: true }, cause: ReadBackCause) => {
    const again: EngineChange[] = [];
    for (const judged of judgeReadBack(toSend, befores, page.page, cause)) {
      const { change } = judged;
      const before = befores.get(change.changeId);
      if (judged.kind === "again") again.push(change);
      else if (judged.kind === "applied") {
        if (cause === "lost") landed = true;
        ctx.settle(
          change,
          { status: "applied", before, after: judged.value },
          postEntry(change, "applied", judged.value, judged.note),
        );
      } else
        ctx.settle(
          change,
          { status: "skipped_conflict", before, after: judged.value, reason: judged.reason },
          postEntry(change, "skipped_conflict", judged.value ?? null, judged.reason),
        );
    }
    if (again.length < toSend.length) ctx.recorder.pageWritten(page.page, dataSourceId);
    return again;
  };
  const failAll = (reason: string, before?: boolean) => {
    for (const change of toSend)
      ctx.settle(
        change,
        { status: "failed", reason, ...(before ? { before: befores.get(change.changeId) } : {}) },
        postEntry(change, "failed", null, reason),
      );
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
      const back = await readPage(ctx.api, pageId, targets, lane.reads);
      if (!back.ok) {
        failAll(back.reason);
        return sentOnce ? "sent" : "no-write";
      }
      liveAt = performance.now();
      toSend = settleReadBack(back, "held");
      continue;
    }
    ctx.sending();
    sentOnce = true;
    const properties = pageUpdateProperties(
      toSend.map((change) => [change.propertyId, change.payload]),
    );
    try {
      const answer = await ctx.api.send(
        "write",
        (client) => client.pages.update({ page_id: pageId, properties }),
        { acquire: async () => slot },
      );
      if (!("properties" in answer))
        throw new NotionMirrorError(
          "notion",
          `Notion answered the write of page ${pageId} without its properties.`,
        );
      const page = await completePage(ctx.api, answer, targets, lane.reads);
      for (const change of toSend) {
        const after = valueOf(page, change.propertyId);
        ctx.settle(
          change,
          { status: "applied", before: befores.get(change.changeId), after },
          postEntry(change, "applied", after),
        );
      }
      ctx.recorder.pageWritten(page, dataSourceId);
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
        await ctx.api.waitBeforeRetry(failure, refused);
        continue;
      }
      if (failure.kind === "fatal") {
        if (failure.error.code === "auth") throw failure.error;
        failAll(failure.error.message, true);
        // Refused before applying: the page is as read, and the mirror may say so again.
        if (live.ok) ctx.recorder.pageWritten(live.page, dataSourceId);
        return "sent";
      }
      // The outcome is unknown: read the page back to learn what happened (that read reserves
      // the slot of a write sent again, which then follows it by one round trip).
      lost += 1;
      await ctx.api.waitBeforeRetry(failure, lost);
      lane.again();
      const back = await readPage(ctx.api, pageId, targets, lane.reads);
      if (!back.ok) {
        failAll(back.reason);
        return "sent";
      }
      liveAt = performance.now();
      toSend = settleReadBack(back, "lost");
      if (toSend.length > 0 && lost >= ctx.maxWriteAttempts) {
        for (const change of toSend) {
          ctx.settle(change, {
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
}

/**
 * A fresh change about to be sent, with the options it names checked against Notion's schema
 * (see SchemaWatch): one that moved since the plan fails instead. Checked in the page's order,
 * after the changes before it were settled, since their outcomes teach the watch.
 */
async function withOptionsChecked(
  ctx: PageContext,
  decision: ChangeDecision,
): Promise<
  ChangeDecision | { kind: "failed"; change: EngineChange; reason: string; before: unknown }
> {
  if (decision.kind !== "send" || decision.resumed) return decision;
  const moved = await ctx.checks?.watch?.refusal(decision.change);
  return moved
    ? { kind: "failed", change: decision.change, reason: moved, before: decision.before }
    : decision;
}
