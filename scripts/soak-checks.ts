import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Emulator } from "../src/emulator/index.ts";
import { checkInvariants } from "../test/support/invariants.ts";

/** The checker's verdict on one phase: what broke a promise, and what a person's edit explains. */
export interface PhaseCheck {
  violations: string[];
  /**
   * I5 reports on pages a person edited after the mirror took its copy but within the same minute:
   * Notion's last_edited_time has minute precision, so such a mirror row still "says it is
   * current". Counted, not failed; the check after the follow-up pull has no such allowance.
   */
  staleWithinTheMinute: number;
}

/**
 * Runs the invariant checker over the state the phase left, forgiving only the I5 reports a
 * same-minute person edit explains; then, after `pull` (an incremental `sync pull`, as a person
 * would run before looking at the mirror again), checks I5 alone and forgives nothing. (I1–I4 read
 * only the journal and the snapshots, which a pull does not change; the checker is quadratic in
 * the run's size, so they are not checked twice.)
 */
export async function checkPhase(
  emulator: Emulator,
  paths: { snapshotsDir: string; mirrorPath: string },
  pull: () => Promise<unknown>,
): Promise<PhaseCheck> {
  const check = () => checkInvariants({ emulator, ...paths });
  const personMinutes = personEditMinutes(emulator);
  let staleWithinTheMinute = 0;
  const violations = check().filter((violation) => {
    const match = /^I5: .* of page (\S+) differs .* last edited (\S+)$/.exec(violation);
    if (match && personMinutes.get(match[1] ?? "")?.has(match[2] ?? "")) {
      staleWithinTheMinute += 1;
      return false;
    }
    return true;
  });
  await pull();
  // No snapshots and no journal: the checker then compares the mirror with the emulator only.
  const none = mkdtempSync(join(tmpdir(), "notion-mirror-soak-"));
  try {
    const mirrorOnly = checkInvariants({
      emulator,
      snapshotsDir: none,
      mirrorPath: paths.mirrorPath,
      sinceJournalSeq: Number.MAX_SAFE_INTEGER,
    });
    for (const violation of mirrorOnly) violations.push(`after a pull: ${violation}`);
  } finally {
    rmSync(none, { recursive: true, force: true });
  }
  return { violations, staleWithinTheMinute };
}

/** Page id → the minutes (ISO, as last_edited_time shows them) in which a person edited it. */
function personEditMinutes(emulator: Emulator): Map<string, Set<string>> {
  const minutes = new Map<string, Set<string>>();
  for (const entry of emulator.workspace().journal.all()) {
    if (entry.actor !== "person") continue;
    const minute = new Date(Math.floor(entry.at / 60_000) * 60_000).toISOString();
    const set = minutes.get(entry.pageId) ?? new Set<string>();
    set.add(minute);
    minutes.set(entry.pageId, set);
  }
  return minutes;
}
