import type { FailureKind } from "../notion/failures.ts";
import type { PageFate } from "./page-pool.ts";
import type { PageWrite } from "./page-write-state.ts";
import { failRemaining } from "./page-write-state.ts";

/**
 * Refusals (429, 529) accepted for one page write before it is left for the next run. A refusal
 * says the write was not applied, so it does not count as a lost answer however long Notion asks
 * to wait: it is sent again once the Retry-After has passed.
 */
const MAX_REFUSALS_PER_WRITE = 10;

/** A failure that says Notion did not apply the write. */
export type WriteRefusal = Extract<FailureKind, { kind: "refused" } | { kind: "fatal" }>;

/**
 * What follows Notion refusing a page write without applying it:
 * - a 429 or 529 (`refused`): waits its Retry-After, however long, and returns "again" (the
 *   caller sends again; the wait makes the read stale, so the page is read again first). After
 *   MAX_REFUSALS_PER_WRITE it returns "sent" with the changes left planned: their pre entries
 *   make the next run read first.
 * - any other refusal (`fatal`: a validation error, a page Notion will not write): the changes
 *   still to send fail, the mirror learns the page as read (nothing was applied), "sent".
 * Throws the refusal of the token itself (`auth`): it stops the run.
 */
export async function afterRefusal(
  write: PageWrite,
  failure: WriteRefusal,
): Promise<PageFate | "again"> {
  const { ctx } = write;
  if (failure.kind === "refused") {
    write.refused += 1;
    if (write.refused > MAX_REFUSALS_PER_WRITE) return "sent";
    await ctx.api.waitBeforeRetry(failure, write.refused);
    return "again";
  }
  if (failure.error.code === "auth") throw failure.error;
  failRemaining(write, failure.error.message, true);
  ctx.recorder.pageWritten(write.read.live, write.read.dataSourceId);
  return "sent";
}
