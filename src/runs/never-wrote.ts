import { NotionMirrorError } from "../errors.ts";
import type { RunRow } from "./run-store.ts";

/**
 * The refusal of a command that needs a run to have written to Notion (revert, verify, discard of
 * one already set aside), for a run that never did: a fill run still planned, superseded by a
 * newer plan, or discarded (a revert run planned is a revert that never started, which `revert`
 * continues: not refused here). Undefined when the run may have written. A usage error (exit 2);
 * nothing is recorded.
 *
 * @example neverWroteError(run, "revert") // "Run … never wrote to Notion (status planned): nothing to revert."
 */
export function neverWroteError(
  run: Pick<RunRow, "id" | "kind" | "status">,
  action: "revert" | "verify" | "discard",
): NotionMirrorError | undefined {
  const { id, status } = run;
  if (status === "planned" && (run.kind === "revert" || action === "discard")) return undefined;
  if (status !== "planned" && status !== "superseded" && status !== "discarded") return undefined;
  const instead =
    status === "planned"
      ? `Try: notion-mirror push ${id}, to write it, or notion-mirror runs discard ${id}, to drop it.`
      : status === "superseded"
        ? "A newer plan replaced it: notion-mirror runs lists the current one, and notion-mirror push sends it."
        : "It was discarded: notion-mirror plan makes a new plan to push.";
  return new NotionMirrorError(
    "usage",
    `Run ${id} never wrote to Notion (status ${status}): nothing to ${action}.`,
    instead,
  );
}
