import { WaitAborted } from "../notion/rate-gate.ts";
import type { PreEntry } from "../snapshot/entries.ts";
import type { EngineChange } from "./engine-types.ts";
import type { PageContext, PageLane } from "./page-context.ts";
import { postEntry, preEntry } from "./page-context.ts";
import type { ChangeDecision } from "./page-decision.ts";
import { decidePage } from "./page-decision.ts";
import type { PageFate } from "./page-pool.ts";
import { readPage } from "./read-back.ts";
import { writePage } from "./page-write.ts";

/**
 * Settles one page's changes: reads it live, decides each change (see decidePage), checks the
 * options a write names (see SchemaWatch), appends the pre-images and fsyncs, then writes the
 * changes that go ahead in one PATCH (see writePage). Returns "not-started" when its read gave
 * up its turn (Ctrl-C), the page then as it was. Throws only what must stop the run (token
 * refused, Notion's answer malformed, Notion unreachable).
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
  const toSend: EngineChange[] = [];
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
  // (A page that could not be read has nothing to send: its changes failed.)
  if (toSend.length === 0 || !live.ok) return "no-write";
  ctx.snapshot.append(newPre); // durable before the write leaves this machine
  ctx.recorder.writing(pageId);

  return writePage(
    ctx,
    { pageId, dataSourceId, targets, live: live.page, readAt },
    toSend,
    befores,
    lane,
  );
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
