import type { FailureKind } from "../notion/failures.ts";
import type { PageFate } from "./page-pool.ts";
import type { PageWrite } from "./page-write-state.ts";
import { failRemaining, settleReadBack } from "./page-write-state.ts";
import { readPage } from "./read-back.ts";

/** A failure after which a write may or may not have been applied (a 5xx, a timeout, a drop). */
export type LostAnswer = Extract<FailureKind, { kind: "transient" }>;

/**
 * What follows a page write whose answer was lost: never a blind resend. Waits as the failure
 * asks, reads the page back (that read reserves the slot of a write sent again, which then
 * follows it by one round trip) and settles what it shows (see settleReadBack). Returns:
 * - "again" when changes are left to send and fewer than `maxWriteAttempts` answers were lost;
 * - "sent" when the page could not be read back (the changes left fail with the read's reason);
 * - when `maxWriteAttempts` answers were lost, the changes left are `unknown` (settled on the
 *   next run): "written" if a read-back found this write landed, else "sent";
 * - the settled fate ("written" / "sent") when the read-back settled every change.
 * Throws what a read throws (the run stops and resumes from the snapshot).
 */
export async function afterLostAnswer(
  write: PageWrite,
  failure: LostAnswer,
): Promise<PageFate | "again"> {
  const { ctx, lane } = write;
  write.lost += 1;
  await ctx.api.waitBeforeRetry(failure, write.lost);
  lane.again();
  const back = await readPage(ctx.api, write.read.pageId, write.read.targets, lane.reads);
  if (!back.ok) {
    failRemaining(write, back.reason);
    return "sent";
  }
  settleReadBack(write, back.page, "lost");
  if (write.toSend.length === 0) return write.landed ? "written" : "sent";
  if (write.lost < ctx.maxWriteAttempts) return "again";
  for (const change of write.toSend) {
    ctx.settle(change, {
      status: "unknown",
      before: write.befores.get(change.changeId),
      reason: "Notion's answer was lost repeatedly; settled on the next run",
    });
  }
  return write.landed ? "written" : "sent";
}
