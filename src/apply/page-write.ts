import { NotionMirrorError } from "../errors.ts";
import { completePage } from "../notion/complete-page.ts";
import { pageUpdateProperties } from "../notion/codec/index.ts";
import { classifyFailure } from "../notion/failures.ts";
import type { RequestTicket } from "../notion/rate-gate.ts";
import type { EngineChange } from "./engine-types.ts";
import { afterLostAnswer } from "./lost-answer.ts";
import type { PageContext, PageLane } from "./page-context.ts";
import { postEntry } from "./page-context.ts";
import type { PageFate } from "./page-pool.ts";
import type { PageRead, PageWrite } from "./page-write-state.ts";
import { failRemaining, settleReadBack, settledFate, startPageWrite } from "./page-write-state.ts";
import { valueOf } from "./page-values.ts";
import { readPage } from "./read-back.ts";
import { afterRefusal } from "./write-refusal.ts";

/**
 * A write held back this long after its page's live read (a refusal's Retry-After, or the time it
 * waited) is sent again only after a fresh read: the overwrite window stays one round trip.
 */
const STALE_READ_MS = 1_000;

/**
 * Sends ONE PATCH of a page with every change in `sending` (their pre-images already durable in
 * the snapshot, `befores` by change id), and settles them from Notion's answer. A refusal (429,
 * 529) is sent again after its Retry-After (see afterRefusal); a write held back long after its
 * read, or whose answer is lost (see afterLostAnswer), is settled by reading the page back (see
 * judgeReadBack), never by sending blind; after `maxWriteAttempts` lost answers, what is left is
 * `unknown` (settled on resume). Throws only what must stop the run (token refused, Notion's
 * answer malformed, unreachable).
 */
export async function writePage(
  ctx: PageContext,
  read: PageRead,
  sending: readonly EngineChange[],
  befores: ReadonlyMap<number, unknown>,
  lane: PageLane,
): Promise<PageFate> {
  const write = startPageWrite(ctx, read, sending, befores, lane);
  while (write.toSend.length > 0) {
    const slot = await lane.writes.acquire();
    const next =
      performance.now() - write.liveAt >= STALE_READ_MS
        ? await readAgainHeldBack(write, slot)
        : await sendOnce(write, slot);
    if (next !== "again") return next;
  }
  return settledFate(write);
}

/**
 * The write was held back long after the page was read (a Retry-After, a window's reset): the
 * read is stale, and a value a person typed meanwhile would be overwritten. Gives `slot` back
 * and reads the page again (that read reserves the write's slot, so the write follows it by one
 * round trip), settling what it shows. "again" to go on; a page that cannot be read fails its
 * changes.
 */
async function readAgainHeldBack(
  write: PageWrite,
  slot: RequestTicket,
): Promise<PageFate | "again"> {
  const { ctx, lane, read } = write;
  slot.settle({ kind: "unsent" });
  lane.again();
  const back = await readPage(ctx.api, read.pageId, read.targets, lane.reads);
  if (!back.ok) {
    failRemaining(write, back.reason);
    return write.sentOnce ? "sent" : "no-write";
  }
  settleReadBack(write, back.page, "held");
  return "again";
}

/**
 * Sends the PATCH of every change left, in `slot`. Answered: each change is applied with the
 * value Notion answered (completed, see completePage), the mirror learns the page, "written".
 * Failed: what follows is afterRefusal's or afterLostAnswer's. Throws a NotionMirrorError (the
 * answer malformed, an error that must stop the run) as it comes.
 */
async function sendOnce(write: PageWrite, slot: RequestTicket): Promise<PageFate | "again"> {
  const { ctx, lane, read, befores } = write;
  ctx.sending();
  write.sentOnce = true;
  const properties = pageUpdateProperties(
    write.toSend.map((change) => [change.propertyId, change.payload]),
  );
  try {
    const answer = await ctx.api.send(
      "write",
      (client) => client.pages.update({ page_id: read.pageId, properties }),
      { acquire: async () => slot },
    );
    if (!("properties" in answer))
      throw new NotionMirrorError(
        "notion",
        `Notion answered the write of page ${read.pageId} without its properties.`,
      );
    const page = await completePage(ctx.api, answer, read.targets, lane.reads);
    for (const change of write.toSend) {
      const after = valueOf(page, change.propertyId);
      ctx.settle(
        change,
        { status: "applied", before: befores.get(change.changeId), after },
        postEntry(change, "applied", after),
      );
    }
    ctx.recorder.pageWritten(page, read.dataSourceId);
    return "written";
  } catch (error) {
    if (error instanceof NotionMirrorError) throw error;
    const failure = classifyFailure(error, `writing page ${read.pageId}`);
    return failure.kind === "transient"
      ? afterLostAnswer(write, failure)
      : afterRefusal(write, failure);
  }
}
