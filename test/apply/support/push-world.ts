import { join } from "node:path";
import type { RequestLogEntry, SeedFile } from "../../../src/emulator/index.ts";
import type { PushOptions, PushResult } from "../../../src/apply/push.ts";
import { pushRun, selectPushRun } from "../../../src/apply/push.ts";
import type { NotionApi, NotionApiOptions } from "../../../src/notion/notion-api.ts";
import type { PlannedTarget, PlannedWorld } from "../../support/planned-world.ts";
import { openPlannedWorld } from "../../support/planned-world.ts";
import type { SnapshotEntry } from "../../../src/snapshot/entries.ts";
import type { SnapshotRead } from "../../../src/snapshot/snapshot-file.ts";
import { runChanges } from "../../../src/runs/change-store.ts";
import { readSnapshot, snapshotPath } from "../../../src/snapshot/snapshot-file.ts";

/**
 * A distinctive token: the emulator only accepts it and the tests look for it everywhere the
 * token must never be (snapshot, mirror, stdout, stderr).
 */
export const CANARY_TOKEN = "secret_nmCanary7f3a9c1e5b2d40680d1e";

type Obj = Record<string, unknown>;

/** The planned demo world, spoken to with the canary token, and where its run's snapshot goes. */
export interface PushWorld extends PlannedWorld {
  snapshotFile: string;
}

export async function plannedDemo(): Promise<PushWorld> {
  const world = await openPlannedWorld({ token: CANARY_TOKEN });
  return { ...world, snapshotFile: snapshotPath(world.project.config.snapshotsDir, world.runId) };
}

/** The first of the demo plan's targets. */
export function firstTarget(world: PushWorld): PlannedTarget {
  const [first] = world.targets;
  if (!first) throw new Error("the demo plan has no target");
  return first;
}

/** `push` of the world's run in this process, as the CLI would call it. */
export async function pushInProcess(
  world: PushWorld,
  options: PushOptions & { api?: NotionApi; apiOptions?: NotionApiOptions } = {},
): Promise<PushResult> {
  const mirror = world.project.openMirror();
  try {
    const run = selectPushRun(mirror, world.runId);
    const api = options.api ?? world.project.api(options.apiOptions);
    return await pushRun(world.project.config, mirror, api, run, options);
  } finally {
    mirror.close();
  }
}

/** A page as Notion holds it now. */
export function livePage(world: PushWorld, pageId: string): Obj {
  return pageIn(world.session.emulator.dump(), pageId);
}

export function pageIn(seed: SeedFile, pageId: string): Obj {
  const page = (seed.pages as Obj[]).find((candidate) => candidate.id === pageId);
  if (!page) throw new Error(`no page ${pageId}`);
  return page;
}

/** A page's property value, by property id. */
export function propertyOf(page: Obj, propertyId: string): Obj {
  const found = Object.values(page.properties as Record<string, Obj>).find(
    (value) => value.id === propertyId,
  );
  if (!found) throw new Error(`page ${String(page.id)} has no property ${propertyId}`);
  return found;
}

/** The name of a status/select value, or null when empty. */
export function optionName(value: Obj): string | null {
  const option = value[String(value.type)] as { name?: string } | null;
  return option?.name ?? null;
}

/** The requests the emulator logged against one page (GET and PATCH /v1/pages/{id}). */
export function pageRequests(world: PushWorld, pageId: string, method?: string): RequestLogEntry[] {
  return world.session.emulator.log
    .all()
    .filter(
      (entry) => entry.path === `/v1/pages/${pageId}` && (!method || entry.method === method),
    );
}

/** PATCHes of a page that Notion applied (answered or not). */
export function appliedPatches(world: PushWorld, pageId: string): RequestLogEntry[] {
  return pageRequests(world, pageId, "PATCH").filter((entry) => entry.applied === true);
}

export function allPatches(world: PushWorld): RequestLogEntry[] {
  return world.session.emulator.log
    .all()
    .filter((entry) => entry.method === "PATCH" && entry.path.startsWith("/v1/pages/"));
}

export function snapshotOf(world: PushWorld): SnapshotRead {
  return readSnapshot(world.snapshotFile);
}

export function entriesOf<T extends SnapshotEntry["type"]>(
  read: SnapshotRead,
  type: T,
): Array<Extract<SnapshotEntry, { type: T }>> {
  return read.entries.filter(
    (entry): entry is Extract<SnapshotEntry, { type: T }> => entry.type === type,
  );
}

/** The run's status and its changes' statuses, from the mirror. */
export function runState(world: PushWorld): {
  status: string;
  changes: Array<{ pageId: string; status: string; error: string | null }>;
} {
  const mirror = world.project.openMirror();
  try {
    const run = selectPushRun(mirror, world.runId);
    return {
      status: run.status,
      changes: runChanges(mirror.sqlite, world.runId).map((row) => ({
        pageId: row.pageId,
        status: row.status,
        error: row.error,
      })),
    };
  } finally {
    mirror.close();
  }
}

/** Polls until `check` returns true; fails with `what` after `timeoutMs`. */
export async function waitFor(
  check: () => boolean,
  what: string,
  timeoutMs = 20_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

const STAMP_TYPES = new Set(["last_edited_time", "last_edited_by"]);

/**
 * A page as a person sees its content: without the edit stamps a write moves (page and property
 * stamps) and without the properties named in `except` (by id).
 */
export function contentOf(page: Obj, except: ReadonlySet<string> = new Set()): Obj {
  const { last_edited_time: _time, last_edited_by: _by, properties, ...rest } = page;
  const kept: Record<string, Obj> = {};
  for (const [name, value] of Object.entries(properties as Record<string, Obj>)) {
    if (STAMP_TYPES.has(String(value.type)) || except.has(String(value.id))) continue;
    kept[name] = value;
  }
  return { ...rest, properties: kept };
}

/** The writer lock file push and revert share. */
export function lockFile(world: PushWorld): string {
  return join(world.project.config.snapshotsDir, ".writer.lock");
}

/** How many requests a fault rule has acted on so far. */
export function actedOn(world: PushWorld, ruleId: string): number {
  return world.session.emulator.faults.list().find((rule) => rule.id === ruleId)?.acted ?? 0;
}

/** Waits until every request a fault rule acted on has been answered (and logged). */
export async function drained(world: PushWorld, ruleId: string): Promise<void> {
  await waitFor(
    () =>
      world.session.emulator.log.all().filter((entry) => entry.fault?.split(",").includes(ruleId))
        .length >= actedOn(world, ruleId),
    `the requests held by ${ruleId} to finish`,
  );
}
