import { NotionMirrorError } from "../errors.ts";

/** A field a revert could not put back: changed since the run (a conflict), or a failed write. */
export interface UnrestoredField {
  pageId: string;
  propertyName: string;
  reason: string;
  /** For a conflict: the value in Notion now, and the value the run wrote. */
  now?: unknown;
  runWrote?: unknown;
}

/**
 * A revert that restored nothing: every field it meant to put back was changed since the run or
 * failed. No run is recorded for it (nothing was written); the fields are listed so that the
 * person can decide (`--force`, or leave them). A usage error (exit 2), as the CLI's other
 * refusals of a revert that would change nothing.
 */
export class NothingRestoredError extends NotionMirrorError {
  constructor(
    readonly revertedRunId: string,
    readonly conflicts: readonly UnrestoredField[],
    readonly failures: readonly UnrestoredField[],
  ) {
    super(
      "usage",
      `Nothing of run ${revertedRunId} can be restored: ${[
        conflicts.length > 0 ? `${conflicts.length} changed since the run` : "",
        failures.length > 0 ? `${failures.length} failed` : "",
      ]
        .filter(Boolean)
        .join(", ")}; no revert was recorded:\n${[...conflicts, ...failures]
        .map((field) => `  - page ${field.pageId}, ${field.propertyName}: ${field.reason}`)
        .join("\n")}`,
      conflictHint(revertedRunId, conflicts.length),
    );
    this.name = "NothingRestoredError";
  }
}

/** What to do about fields people changed since the run. */
export function conflictHint(revertedRunId: string, conflicts: number): string | undefined {
  if (conflicts === 0) return undefined;
  return `To restore ${conflicts === 1 ? "it" : "them"} anyway, overwriting the newer ${conflicts === 1 ? "value" : "values"}: notion-mirror revert ${revertedRunId} --force`;
}
