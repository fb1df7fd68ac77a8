import type { PageObjectResponse } from "../notion/sdk-types.ts";
import { NotionMirrorError } from "../errors.ts";
import { completePage } from "../notion/complete-page.ts";
import type { NotionApi } from "../notion/notion-api.ts";
import type { Pacer } from "../notion/rate-gate.ts";
import type { PropertyValue } from "../notion/codec/index.ts";
import type { EngineChange } from "./engine-types.ts";
import type { LiveRead } from "./page-decision.ts";
import { holdsIntended, stillBefore, valueOf } from "./page-values.ts";

/**
 * Reads a page live, with every target property whole (see completePage), paced by `pacer`.
 * A page gone or no longer shared is a read that failed, with the reason people see; any other
 * error is thrown (the run stops and resumes from the snapshot).
 */
export async function readPage(
  api: NotionApi,
  pageId: string,
  targets: ReadonlySet<string>,
  pacer: Pacer,
): Promise<LiveRead> {
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

/** Why the page was read again: a write's answer was `lost`, or the write was `held` back. */
export type ReadBackCause = "lost" | "held";

/** What the page read again says of one change still to send. */
export type ReadBackJudgement =
  | { kind: "applied"; change: EngineChange; value: PropertyValue; note: string }
  | { kind: "again"; change: EngineChange }
  | { kind: "conflict"; change: EngineChange; value: PropertyValue | undefined; reason: string };

/**
 * Settles the changes still to send against the page read again after a write's answer was lost
 * or Notion refused it (or it was held back long): those holding the intended value are applied
 * (after a lost answer, this write landed; otherwise someone else's did), those still holding
 * their pre-image (`befores`) go again, the others were changed by someone meanwhile. Pure; the
 * order of `toSend` is kept.
 */
export function judgeReadBack(
  toSend: readonly EngineChange[],
  befores: ReadonlyMap<number, unknown>,
  page: PageObjectResponse,
  cause: ReadBackCause,
): ReadBackJudgement[] {
  return toSend.map((change): ReadBackJudgement => {
    const value = valueOf(page, change.propertyId);
    if (value && holdsIntended(change, value))
      return {
        kind: "applied",
        change,
        value,
        note:
          cause === "lost"
            ? "confirmed by reading back"
            : "already there when read again after the write was held back",
      };
    if (value && stillBefore(befores.get(change.changeId), value)) return { kind: "again", change };
    return {
      kind: "conflict",
      change,
      value,
      reason: `changed by someone else ${
        cause === "lost" ? "while the write's outcome was unknown" : "while the write was held back"
      }`,
    };
  });
}
