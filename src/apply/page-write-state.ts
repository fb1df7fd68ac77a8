import type { PageObjectResponse } from "../notion/sdk-types.ts";
import type { EngineChange } from "./engine-types.ts";
import type { PageContext, PageLane } from "./page-context.ts";
import { postEntry } from "./page-context.ts";
import type { PageFate } from "./page-pool.ts";
import type { ReadBackCause } from "./read-back.ts";
import { judgeReadBack } from "./read-back.ts";

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
 * One page's write while it is being settled: what is left to send, and what its attempts so far
 * came to. The send loop (writePage) and what follows a failed send (afterRefusal,
 * afterLostAnswer) share it; only the functions of this file and those move it on.
 */
export interface PageWrite {
  readonly ctx: PageContext;
  readonly read: PageRead;
  readonly lane: PageLane;
  /** The changes' pre-images by change id, durable in the snapshot before anything is sent. */
  readonly befores: ReadonlyMap<number, unknown>;
  /** The changes still to send; a read-back settles the others. */
  toSend: EngineChange[];
  /** A read-back after a lost answer found some change applied: a write of the page landed. */
  landed: boolean;
  /** Answers lost so far. */
  lost: number;
  /** Refusals (429, 529) so far. */
  refused: number;
  /** When the page was last read live (performance.now()). */
  liveAt: number;
  /** A write of the page left this machine (its fate is then "sent" at least). */
  sentOnce: boolean;
}

/** A page write about to start: everything in `sending` to send, the page as `read` last. */
export function startPageWrite(
  ctx: PageContext,
  read: PageRead,
  sending: readonly EngineChange[],
  befores: ReadonlyMap<number, unknown>,
  lane: PageLane,
): PageWrite {
  return {
    ctx,
    read,
    lane,
    befores,
    toSend: [...sending],
    landed: false,
    lost: 0,
    refused: 0,
    liveAt: read.readAt,
    sentOnce: false,
  };
}

/**
 * Settles the changes still to send against `page`, the page read again just now (see
 * judgeReadBack): those holding the intended value are applied (after a `lost` answer, this
 * write landed), those changed by someone meanwhile are conflicts, those still holding their
 * pre-image stay in `toSend`, to be sent again. When any was settled, the mirror learns the page.
 */
export function settleReadBack(
  write: PageWrite,
  page: PageObjectResponse,
  cause: ReadBackCause,
): void {
  const { ctx, befores } = write;
  write.liveAt = performance.now();
  const again: EngineChange[] = [];
  for (const judged of judgeReadBack(write.toSend, befores, page, cause)) {
    const { change } = judged;
    const before = befores.get(change.changeId);
    if (judged.kind === "again") again.push(change);
    else if (judged.kind === "applied") {
      if (cause === "lost") write.landed = true;
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
  if (again.length < write.toSend.length) ctx.recorder.pageWritten(page, write.read.dataSourceId);
  write.toSend = again;
}

/**
 * Settles every change still to send as failed for `reason`, with its pre-image as `before`
 * when `withBefore` (the page is known to hold it).
 */
export function failRemaining(write: PageWrite, reason: string, withBefore = false): void {
  for (const change of write.toSend)
    write.ctx.settle(
      change,
      {
        status: "failed",
        reason,
        ...(withBefore ? { before: write.befores.get(change.changeId) } : {}),
      },
      postEntry(change, "failed", null, reason),
    );
}

/** The fate of a page whose changes are all settled: written if a write landed, else sent or not. */
export function settledFate(write: PageWrite): PageFate {
  return write.landed ? "written" : write.sentOnce ? "sent" : "no-write";
}
