import { existsSync, readdirSync } from "node:fs";
import { join } from "node:path";
import Database from "better-sqlite3";
import type { Emulator, JournalEntry } from "../../src/emulator/index.ts";
import type { PropertyValue } from "../../src/notion/codec/index.ts";
import { naturalValue, valuesEqual } from "../../src/notion/codec/index.ts";
import type { PreEntry, RunEntry, SnapshotEntry } from "../../src/snapshot/entries.ts";
import { readSnapshot } from "../../src/snapshot/snapshot-file.ts";
import type { ProjectConfig } from "../../src/config/project-config.ts";
import type { EmulatorSession } from "./emulator.ts";

/**
 * The promises, checked after a scenario over the emulator's journal and request log, the mirror
 * and the snapshots (DESIGN.md "Promises"):
 * - I1 no value that was non-empty before a fill run was changed by it;
 * - I2 every write the emulator applied for notion-mirror has a snapshot pre-image written before
 *   the request arrived;
 * - I3 after a revert, every field it restored (and nothing wrote since) equals its pre-image;
 * - I4 no field was written twice with different values in one run;
 * - I5 the mirror passes integrity_check and matches the emulator for every page it says is current
 *   (a row whose last_edited_time column is empty claims nothing: it waits for the next pull).
 * Returns the violations, one sentence each; empty when every promise held.
 */
export function checkInvariants(input: {
  emulator: Emulator;
  snapshotsDir: string;
  mirrorPath?: string;
  /** Journal entries before this sequence number are left out (an earlier scenario's). */
  sinceJournalSeq?: number;
}): string[] {
  const violations: string[] = [];
  const snapshots = loadSnapshots(input.snapshotsDir, violations);
  const journal = input.emulator
    .workspace()
    .journal.all()
    .filter((entry) => entry.seq >= (input.sinceJournalSeq ?? 0));
  const log = input.emulator.log.all();
  const writesByRun = new Map<string, Map<string, string[]>>();

  const patchesByPage = new Map<string, typeof log>();
  for (const request of log) {
    if (request.method !== "PATCH" || !request.path.startsWith("/v1/pages/")) continue;
    const pageId = request.path.slice("/v1/pages/".length).split(/[/?]/)[0] ?? "";
    patchesByPage.set(pageId, [...(patchesByPage.get(pageId) ?? []), request]);
  }
  const pres = indexPreEntries(snapshots);
  for (const entry of journal.filter((candidate) => candidate.actor === "bot")) {
    const arrival = (patchesByPage.get(entry.pageId) ?? [])
      .filter((request) => request.at <= entry.at)
      .at(-1);
    for (const change of entry.changes) {
      const owner = latestPre(pres, entry.pageId, change.id, entry.at);
      if (!owner) {
        violations.push(
          `I2: the emulator applied a write to ${change.name} of page ${entry.pageId} (journal ${entry.seq}) with no snapshot pre-image before it`,
        );
        continue;
      }
      if (arrival && Date.parse(owner.pre.at) > arrival.at) {
        violations.push(
          `I2: the pre-image of ${change.name} on page ${entry.pageId} (run ${owner.run.runId}) was written after the request arrived`,
        );
      }
      if (owner.run.kind === "fill" && !isEmptyContent(change.before)) {
        violations.push(
          `I1: fill run ${owner.run.runId} changed ${change.name} of page ${entry.pageId}, which held ${JSON.stringify(naturalOf(change.before))}`,
        );
      }
      const fields = writesByRun.get(owner.run.runId) ?? new Map<string, string[]>();
      const key = `${entry.pageId}/${change.id}`;
      fields.set(key, [...(fields.get(key) ?? []), JSON.stringify(canonicalOf(change.after))]);
      writesByRun.set(owner.run.runId, fields);
    }
  }
  for (const [runId, fields] of writesByRun) {
    for (const [field, values] of fields) {
      if (new Set(values).size > 1)
        violations.push(
          `I4: run ${runId} wrote ${field} with ${new Set(values).size} different values`,
        );
    }
  }
  violations.push(...revertedFieldsHoldPreImages(input.emulator, snapshots, journal));
  if (input.mirrorPath && existsSync(input.mirrorPath))
    violations.push(...mirrorMatches(input.emulator, input.mirrorPath));
  return violations;
}

interface LoadedSnapshot {
  run: RunEntry;
  entries: SnapshotEntry[];
}

function loadSnapshots(dir: string, violations: string[]): LoadedSnapshot[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((file) => file.endsWith(".snapshot.ndjson"))
    .flatMap((file) => {
      const read = readSnapshot(join(dir, file));
      const run = read.entries[0];
      if (read.problems.length > 0)
        violations.push(`snapshot ${file}: ${read.problems.join("; ")}`);
      return run?.type === "run" ? [{ run, entries: read.entries }] : [];
    });
}

type PreIndex = Map<string, Array<{ run: RunEntry; pre: PreEntry; at: number }>>;

/** Pre entries by page and property, oldest first. */
function indexPreEntries(snapshots: readonly LoadedSnapshot[]): PreIndex {
  const index: PreIndex = new Map();
  for (const snapshot of snapshots) {
    for (const entry of snapshot.entries) {
      if (entry.type !== "pre") continue;
      const key = `${entry.pageId}/${entry.propertyId}`;
      index.set(key, [
        ...(index.get(key) ?? []),
        { run: snapshot.run, pre: entry, at: Date.parse(entry.at) },
      ]);
    }
  }
  for (const list of index.values()) list.sort((a, b) => a.at - b.at);
  return index;
}

function latestPre(
  index: PreIndex,
  pageId: string,
  propertyId: string,
  before: number,
): { run: RunEntry; pre: PreEntry } | undefined {
  const list = index.get(`${pageId}/${propertyId}`) ?? [];
  let best: { run: RunEntry; pre: PreEntry } | undefined;
  for (const candidate of list) {
    if (candidate.at > before) break;
    best = candidate;
  }
  return best;
}

/** I3: each field a revert restored, and nothing wrote since, equals the reverted run's pre-image. */
function revertedFieldsHoldPreImages(
  emulator: Emulator,
  snapshots: readonly LoadedSnapshot[],
  journal: readonly JournalEntry[],
): string[] {
  const violations: string[] = [];
  const byRun = new Map(snapshots.map((snapshot) => [snapshot.run.runId, snapshot]));
  const workspace = emulator.workspace();
  for (const revert of snapshots.filter((snapshot) => snapshot.run.kind === "revert")) {
    const original = revert.run.revertsRunId ? byRun.get(revert.run.revertsRunId) : undefined;
    if (!original) continue;
    for (const entry of revert.entries) {
      if (entry.type !== "post" || entry.status !== "applied") continue;
      // The revert's own write of this field, as the emulator journaled it, and anything after it.
      const pre = revert.entries.find(
        (candidate): candidate is PreEntry =>
          candidate.type === "pre" && candidate.changeId === entry.changeId,
      );
      const writes = journal.filter(
        (write) =>
          write.pageId === entry.pageId &&
          write.changes.some((change) => change.id === entry.propertyId),
      );
      const ours = writes.findIndex(
        (write) =>
          write.actor === "bot" &&
          pre !== undefined &&
          write.at >= Date.parse(pre.at) &&
          write.at <= Date.parse(entry.at) + 1000,
      );
      if (ours >= 0 && ours < writes.length - 1) continue; // written again since: not this revert's to answer for
      if (ours < 0 && writes.some((write) => pre !== undefined && write.at >= Date.parse(pre.at)))
        continue;
      const preImage = original.entries.find(
        (candidate): candidate is PreEntry =>
          candidate.type === "pre" &&
          candidate.pageId === entry.pageId &&
          candidate.propertyId === entry.propertyId,
      );
      const page = workspace.pages.get(entry.pageId) as
        { properties?: Record<string, PropertyValue> } | undefined;
      const now = Object.values(page?.properties ?? {}).find(
        (value) => value.id === entry.propertyId,
      );
      if (!preImage || !now || !valuesEqual(now, preImage.before as PropertyValue)) {
        violations.push(
          `I3: revert ${revert.run.runId} restored ${entry.propertyId} of page ${entry.pageId}, but it does not equal the pre-image now`,
        );
      }
    }
  }
  return violations;
}

/** I5: integrity, and every page whose last edit the mirror has seen holds the same values. */
function mirrorMatches(emulator: Emulator, mirrorPath: string): string[] {
  const violations: string[] = [];
  const sqlite = new Database(mirrorPath, { readonly: true });
  try {
    const integrity = sqlite.pragma("integrity_check", { simple: true });
    if (integrity !== "ok") violations.push(`I5: integrity_check says ${String(integrity)}`);
    const workspace = emulator.workspace();
    // Who last wrote each page; what Notion changed by itself after a write is that writer's.
    const bot = workspace.integration.bot_user_id;
    const lastActor = new Map(
      workspace.journal
        .all()
        .map((write) => [
          write.pageId,
          write.actor !== "notion" ? write.actor : write.userId === bot ? "bot" : "person",
        ]),
    );
    for (const row of sqlite
      .prepare("SELECT id, raw_json AS raw FROM pages WHERE gone = 0 AND last_edited_time <> ''")
      .iterate() as IterableIterator<{ id: string; raw: string }>) {
      // An empty last_edited_time is the mirror saying the row is not current: no claim to check.
      const mirrored = JSON.parse(row.raw) as {
        last_edited_time: string;
        in_trash: boolean;
        properties: Record<string, PropertyValue>;
      };
      const live = workspace.pages.get(row.id) as typeof mirrored | undefined;
      if (!live) continue;
      if (live.last_edited_time !== mirrored.last_edited_time) continue; // edited since the mirror saw it
      // Notion's minute precision cannot tell a person's edit in the same minute from the version
      // the mirror holds: pages a person touched last are judged by the next pull, not here.
      if (lastActor.get(row.id) === "person") continue;
      for (const value of Object.values(live.properties)) {
        if (value.type === "last_edited_time" || value.type === "last_edited_by") continue;
        const other = Object.values(mirrored.properties).find(
          (candidate) => candidate.id === value.id,
        );
        if (!other || JSON.stringify(naturalValue(other)) !== JSON.stringify(naturalValue(value))) {
          violations.push(
            `I5: the mirror's ${value.id} of page ${row.id} differs from the emulator's though both say last edited ${live.last_edited_time}`,
          );
        }
      }
    }
  } finally {
    sqlite.close();
  }
  return violations;
}

function isEmptyContent(value: unknown): boolean {
  if (!value || typeof value !== "object") return true;
  const property = value as Record<string, unknown>;
  return naturalOf(property) === null;
}

function naturalOf(value: unknown): unknown {
  return value && typeof value === "object" && "type" in value
    ? naturalValue(value as PropertyValue)
    : value;
}

function canonicalOf(value: unknown): unknown {
  return naturalOf(value);
}

/**
 * {@link checkInvariants} over a project's snapshots and mirror as its config names them at the
 * call (a config rewritten since counts) and the emulator `session` that serves it.
 */
export function projectViolations(
  session: EmulatorSession,
  project: { config: Pick<ProjectConfig, "snapshotsDir" | "mirrorPath"> },
): string[] {
  return checkInvariants({
    emulator: session.emulator,
    snapshotsDir: project.config.snapshotsDir,
    mirrorPath: project.config.mirrorPath,
  });
}
