import type { PageObjectResponse } from "../notion/sdk-types.ts";
import type { PropertyValue } from "../notion/codec/index.ts";
import type { PreEntry } from "../snapshot/entries.ts";
import type { EngineChange } from "./engine-types.ts";
import type { LiveChecks } from "./page-values.ts";
import { holdsIntended, liveVerdict, stillBefore, valueOf } from "./page-values.ts";

/** A page as read live right before its write, or why it could not be read. */
export type LiveRead = { ok: true; page: PageObjectResponse } | { ok: false; reason: string };

/**
 * What becomes of one change of a page, decided from the page as read live:
 * - `send`: it goes in the page's write; `before` is its pre-image, and `resumed` says the
 *   snapshot holds it already (an interrupted write going again) — else it is appended first;
 * - `already-there`: nothing to send, the value is there (settled applied with `note`);
 *   `resumed`: an interrupted write that had landed, whose pre entry the snapshot holds;
 * - `protected`: a fill kept from overwriting a value filled since the plan;
 * - `conflict`: a value changed by someone else since the run (or the interrupted write);
 * - `failed`: it cannot be written (page gone or in the trash, property gone or retyped).
 * `protected` and `conflict` are both recorded as skipped_conflict.
 */
export type ChangeDecision =
  | { kind: "send"; change: EngineChange; before: unknown; resumed: boolean }
  | {
      kind: "already-there";
      change: EngineChange;
      before: unknown;
      value: PropertyValue;
      note: string;
      resumed: boolean;
    }
  | {
      kind: "protected" | "conflict";
      change: EngineChange;
      before: unknown;
      /** The value kept, when it is part of the outcome (a resumed write's conflict). */
      after?: PropertyValue;
      /** The value there now, for the snapshot's post entry. */
      value: PropertyValue;
      reason: string;
    }
  | { kind: "failed"; change: EngineChange; reason: string };

/**
 * Decides, for each change of one page in order, what becomes of it, from the live read and the
 * pre-images an earlier invocation left in the snapshot (`prior`: a change with one may have been
 * sent before that invocation died, so it is judged by what the page holds, never sent blind).
 * Pure: the options a `send` of a fresh change names are checked after this (see SchemaWatch).
 *
 * @example decidePage(changes, { ok: false, reason: "gone" }, new Map()) // every change failed
 */
export function decidePage(
  changes: readonly EngineChange[],
  live: LiveRead,
  prior: ReadonlyMap<number, PreEntry>,
  checks: LiveChecks = {},
): ChangeDecision[] {
  if (!live.ok) return changes.map((change) => ({ kind: "failed", change, reason: live.reason }));
  const page = live.page;
  if (page.in_trash)
    return changes.map((change) => ({
      kind: "failed",
      change,
      reason: "the page is in the trash",
    }));
  return changes.map((change): ChangeDecision => {
    const value = valueOf(page, change.propertyId);
    if (!value || value.type !== change.propertyType) {
      const reason = !value
        ? `property ${change.propertyName} no longer exists`
        : `property ${change.propertyName} is now a ${value.type}, not a ${change.propertyType}`;
      return { kind: "failed", change, reason };
    }
    const pre = prior.get(change.changeId);
    if (pre) {
      if (holdsIntended(change, value))
        return {
          kind: "already-there",
          change,
          before: pre.before,
          value,
          note: "settled on resume",
          resumed: true,
        };
      if (stillBefore(pre.before, value))
        return { kind: "send", change, before: pre.before, resumed: true };
      return {
        kind: "conflict",
        change,
        before: pre.before,
        after: value,
        value,
        reason: "changed by someone else since an interrupted write",
      };
    }
    const verdict = liveVerdict(change, value, page, checks);
    if (verdict.kind === "already-there")
      return {
        kind: "already-there",
        change,
        before: value,
        value,
        note: verdict.note,
        resumed: false,
      };
    if (verdict.kind === "keep")
      return {
        kind: change.guard.kind === "empty" ? "protected" : "conflict",
        change,
        before: value,
        value,
        reason: verdict.reason,
      };
    return { kind: "send", change, before: value, resumed: false };
  });
}
