import { readFileSync } from "node:fs";
import { locateRevertTarget } from "../../../src/apply/revert.ts";
import type { SnapshotEntry } from "../../../src/snapshot/entries.ts";
import { readSnapshot } from "../../../src/snapshot/snapshot-file.ts";
import { encodeLine } from "../../../src/snapshot/snapshot-lines.ts";
import type { TestProject } from "../../support/project.ts";

/**
 * Whether revert would trust the snapshot of `runId` as it is on disk: "trusted", or the refusal's
 * message and hint. `alone`: from the file only (`revert --snapshot FILE` with no mirror);
 * otherwise with the project's mirror, by run id.
 */
export function trustOf(
  project: TestProject,
  runId: string,
  file: string,
  route: "alone" | "mirror",
): string {
  const mirror = route === "mirror" ? project.openMirror() : undefined;
  try {
    if (route === "alone") locateRevertTarget(undefined, undefined, { snapshotFile: file });
    else locateRevertTarget(project.config.snapshotsDir, mirror, { runId });
    return "trusted";
  } catch (error) {
    const { message, hint } = error as Error & { hint?: string };
    return `${message}\nhint: ${hint ?? ""}`;
  } finally {
    mirror?.close();
  }
}

/** The snapshot's lines, without the final newline. */
export function linesOf(file: string): string[] {
  return readFileSync(file, "utf8").trimEnd().split("\n");
}

/** The entries written again as a snapshot, numbered 1… (checksums right: damage that passes them). */
export function encodeAll(entries: readonly SnapshotEntry[]): string {
  return entries.map((entry, index) => encodeLine(index + 1, entry)).join("");
}

export function entriesIn(file: string): SnapshotEntry[] {
  return readSnapshot(file).entries;
}
