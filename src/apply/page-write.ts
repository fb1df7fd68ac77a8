import type { PageObjectResponse } from "../notion/sdk-types.ts";
import { NotionMirrorError } from "../errors.ts";
import { completePage } from "../notion/complete-page.ts";
import { pageUpdateProperties } from "../notion/codec/index.ts";
import { classifyFailure } from "../notion/failures.ts";
import type { EngineChange } from "./engine-types.ts";
import type { PageContext, PageLane } from "./page-context.ts";
import { postEntry } from "./page-context.ts";
import type { PageFate } from "./page-pool.ts";
import { valueOf } from "./page-values.ts";
import type { LiveRead } from "./page-decision.ts";
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

/** The page being written: as read live (at `readAt`, performance.now()), and what to read back. */
export interface PageRead {
  pageId: string;
  dataSourceId: string;
  /** The properties written, completed in every read of the page (see completePage). */
  targets: ReadonlySet<string>;
  live: PageObjectResponse;
  readAt: number;
}

/**
 * Sends ONE PATCH of a page with every change in `sending` (their pre-images already durable in
 * the snapshot, `befores` by change id), and settles them from Notion's answer. A refusal (429,
 * 529) is sent again after its Retry-After; a write held back long after its read, or whose
 * answer is lost, is settled by reading the page back (see judgeReadBack), never by sending
 * blind; after `maxWriteAttempts` lost answers, what is left is `unknown` (settled on resume).
 * Throws only what must stop the run (token refused, Notion's answer malformed, unreachable).
 */
export async function writePage(
  ctx: PageContext,
  read: PageRead,
  sending: readonly EngineChange[],
  befores: ReadonlyMap<number, unknown>,
  lane: PageLane,
): Promise<PageFate> {
  const { pageId, dataSourceId, targets } = read;
  let toSend = [...sending];
  /** Some of the page's changes were confirmed applied by reading back. */
  let landed = false;
  /** Settles what the page read again says; returns the changes to send again. */
  const settleReadBack = (page: LiveRead & { ok: true }, cause: ReadBackCause) => {
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
  let liveAt = read.readAt;
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
        ctx.recorder.pageWritten(read.live, dataSourceId);
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
