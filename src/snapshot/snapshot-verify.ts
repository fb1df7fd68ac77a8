import type { CheckpointEntry, SnapshotEntry } from "./entries.ts";
import { SNAPSHOT_FORMAT } from "./entries.ts";
import type { SnapshotRead } from "./snapshot-lines.ts";

/**
 * What the mirror records of a run, to check its snapshot against. The mirror's rows are written
 * only after the snapshot entries they follow, so a sound snapshot is never behind them.
 */
export interface SnapshotWitness {
  /** Every change of the run, by id, with the status the mirror records for it. */
  changes: ReadonlyMap<number, string>;
}

export interface SnapshotVerdict {
  /** Lines lost, altered, out of place or contradicting the witness: the file cannot be trusted. */
  damage: string[];
  /**
   * Without a witness: why the file's end cannot be shown to be the end of what the run wrote
   * (empty when it can, or when a witness was given).
   */
  unproven: string[];
}

/** Statuses the mirror records only after the change's pre-image was durable. */
const SENT = new Set(["applied", "reverted", "unknown"]);
/** Statuses the mirror records only after the change's outcome (post entry) was durable. */
const SETTLED = new Set(["applied", "reverted", "skipped_conflict", "failed"]);

/**
 * Judges whether a snapshot holds everything its run wrote, so that a revert from it misses
 * nothing. Damage: every problem of the lines themselves, a run line whose change count is not
 * its change list, entries for changes it does not list, an applied change without its
 * pre-image, a checkpoint whose counts disagree with the lines before it, and, with a witness,
 * any change the mirror says was sent or settled that the file does not show. Without a witness
 * the file must also prove its own end: a run's last invocation ends with a checkpoint, and only a
 * final one (every change settled) shows that no later invocation appended more — a file whose
 * last lines were lost, a run that was killed, a run that stopped early and an older copy of a
 * file that went on look alike otherwise. Pure; never throws.
 *
 * @example
 * const verdict = verifySnapshot(readSnapshot(file), mirrorWitness(mirror, runId));
 * if (verdict.damage.length + verdict.unproven.length > 0) refuse(verdict);
 */
export function verifySnapshot(read: SnapshotRead, witness?: SnapshotWitness): SnapshotVerdict {
  const damage = [...read.problems];
  const run = read.entries[0];
  if (run?.type !== "run") return { damage, unproven: [] };
  const where = (index: number) => `line ${read.lines[index] ?? index + 1}`;

  const listed = new Set<number>();
  for (const change of run.changes) {
    if (listed.has(change.changeId))
      damage.push(`the run description lists change ${change.changeId} twice`);
    listed.add(change.changeId);
  }
  if (run.format !== undefined && run.format > SNAPSHOT_FORMAT)
    damage.push(
      `the snapshot is of format ${run.format}, newer than this version of notion-mirror reads (${SNAPSHOT_FORMAT})`,
    );
  if (run.changeCount !== undefined && run.changeCount !== run.changes.length)
    damage.push(
      `the run description counts ${run.changeCount} changes but lists ${run.changes.length}`,
    );

  const pre = new Set<number>();
  const post = new Map<number, string>();
  let settled = 0;
  read.entries.forEach((entry, index) => {
    if (index === 0) return;
    if (entry.type === "run") {
      damage.push(`${where(index)}: a second run description`);
    } else if (entry.type === "pre") {
      if (!listed.has(entry.changeId))
        damage.push(`a pre-image for change ${entry.changeId}, which the run does not list`);
      pre.add(entry.changeId);
    } else if (entry.type === "post") {
      if (!listed.has(entry.changeId))
        damage.push(`an outcome for change ${entry.changeId}, which the run does not list`);
      else if (!post.has(entry.changeId)) settled += 1;
      if (entry.status === "applied" && !pre.has(entry.changeId))
        damage.push(`change ${entry.changeId} was applied but its pre-image is missing`);
      post.set(entry.changeId, entry.status);
    } else if (entry.type === "checkpoint") {
      const problem = checkpointProblem(entry, settled, listed.size);
      if (problem) damage.push(`${where(index)}: ${problem}`);
    }
  });

  if (witness) {
    damage.push(...witnessProblems(witness, listed, pre, post));
    return { damage, unproven: [] };
  }
  return { damage, unproven: endProblems(read.entries, read.lines, settled, listed.size) };
}

function checkpointProblem(entry: CheckpointEntry, settled: number, total: number): string | null {
  if (entry.settled === settled && entry.total === total && entry.final === (settled === total))
    return null;
  return `the checkpoint counts ${entry.settled} of ${entry.total} changes settled${entry.final ? " (final)" : ""}, but the lines before it settle ${settled} of ${total} (lines missing or altered)`;
}

function witnessProblems(
  witness: SnapshotWitness,
  listed: ReadonlySet<number>,
  pre: ReadonlySet<number>,
  post: ReadonlyMap<number, string>,
): string[] {
  const problems: string[] = [];
  for (const [id, status] of witness.changes) {
    if (!listed.has(id)) {
      problems.push(`the mirror's run has change ${id}, which the snapshot does not list`);
      continue;
    }
    if (SENT.has(status) && !pre.has(id))
      problems.push(
        `the mirror records change ${id} as ${status}, but the snapshot has no pre-image for it`,
      );
    const outcome = post.get(id);
    if (SETTLED.has(status) && outcome === undefined)
      problems.push(
        `the mirror records change ${id} as ${status}, but the snapshot has no outcome for it`,
      );
    else if ((status === "applied" || status === "reverted") && outcome && outcome !== "applied")
      problems.push(
        `the mirror records change ${id} as ${status}, but the snapshot says it was ${outcome}`,
      );
  }
  for (const id of listed)
    if (!witness.changes.has(id))
      problems.push(`the snapshot lists change ${id}, which the mirror's run does not have`);
  return problems;
}

const STOPPED: Record<CheckpointEntry["reason"], string> = {
  end: "changes were left in doubt",
  "max-writes": "--max-writes was reached",
  interrupted: "it was interrupted",
  error: "it stopped on an error",
};

/** Without a witness: does the file show that nothing was (or will be) appended after its end? */
function endProblems(
  entries: readonly SnapshotEntry[],
  lines: readonly number[],
  settled: number,
  total: number,
): string[] {
  const last = entries.at(-1);
  const run = entries[0];
  if (last?.type === "checkpoint") {
    if (last.final) return [];
    return [
      `the snapshot ends at a checkpoint of an unfinished run (${settled} of ${total} changes settled; ${STOPPED[last.reason]}): without the mirror, a run that stopped there cannot be told from an older copy of a file the run went on writing`,
    ];
  }
  if (run?.type === "run" && run.format === undefined && !entries.some(isCheckpoint)) {
    return [
      "the snapshot was written by an earlier version of notion-mirror, which did not mark where a run's writing ended: without the mirror, lines lost from its end would go unnoticed",
    ];
  }
  return [
    `the snapshot does not end with a checkpoint (its last whole line, ${lines.at(-1) ?? 1}, is a ${last?.type ?? "run"} entry): its last lines were lost, or the run was killed while writing; without the mirror the two cannot be told apart`,
  ];
}

function isCheckpoint(entry: SnapshotEntry): boolean {
  return entry.type === "checkpoint";
}
