import { existsSync, readFileSync, statSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { SeedFile } from "../../src/emulator/index.ts";
import { demoSourceId } from "../support/demo-lookups.ts";
import type { CliOutcome } from "./support/cli-child.ts";
import { runCli } from "./support/cli-child.ts";
import type { PushWorld } from "./support/push-world.ts";
import {
  CANARY_TOKEN,
  contentOf,
  entriesOf,
  optionName,
  pageIn,
  pageRequests,
  plannedDemo,
  propertyOf,
  snapshotOf,
} from "./support/push-world.ts";

type Obj = Record<string, unknown>;

describe("push of the demo's planned run (the issue's done-when)", () => {
  let world: PushWorld;
  let push: CliOutcome;
  let markdown: CliOutcome;
  let after: SeedFile;
  const outputs: CliOutcome[] = [];

  beforeAll(async () => {
    world = await plannedDemo();
    push = await runCli(world, ["push", world.runId, "--yes"]);
    after = world.session.emulator.dump();
    markdown = await runCli(world, ["runs", "show", world.runId, "--md"]);
    outputs.push(push, markdown, await runCli(world, ["runs", "show", world.runId, "--json"]));
  });
  afterAll(() => world.close());

  it("fills the 5 empty phase statuses and changes nothing else (0 overwrites)", () => {
    expect(push.code, push.stderr).toBe(0);
    expect(world.targets).toHaveLength(5);
    const targets = new Map(world.targets.map((target) => [target.pageId, target]));
    for (const target of world.targets) {
      expect(optionName(propertyOf(pageIn(world.atPlan, target.pageId), target.propertyId))).toBe(
        null,
      );
      expect(optionName(propertyOf(pageIn(after, target.pageId), target.propertyId))).toBe(
        "Active",
      );
    }
    for (const before of world.atPlan.pages) {
      const now = pageIn(after, String(before.id));
      const target = targets.get(String(before.id));
      if (!target) {
        expect(now).toEqual(before);
        continue;
      }
      // Only the planned property (and the edit stamps) differ.
      const except = new Set([target.propertyId]);
      expect(contentOf(now, except)).toEqual(contentOf(before, except));
    }
    // One page more: the tracker entry.
    expect(after.pages).toHaveLength(world.atPlan.pages.length + 1);
  });

  it("keeps the mirror current without a pull", () => {
    const mirror = world.project.openMirror();
    try {
      const rows = mirror.sqlite
        .prepare(
          `SELECT page_id AS pageId, status FROM wt_phase_database WHERE page_id IN (${world.targets.map(() => "?").join(",")})`,
        )
        .all(...world.targets.map((target) => target.pageId)) as Array<{ status: string }>;
      expect(rows).toHaveLength(5);
      expect(rows.every((row) => row.status === "Active")).toBe(true);
    } finally {
      mirror.close();
    }
  });

  it("holds each pre-image in the snapshot, written before its write arrived", () => {
    const snapshot = snapshotOf(world);
    expect(snapshot.problems).toEqual([]);
    expect(entriesOf(snapshot, "run")).toHaveLength(1);
    expect(entriesOf(snapshot, "run")[0]?.changes).toHaveLength(5);
    const pre = entriesOf(snapshot, "pre");
    const post = entriesOf(snapshot, "post");
    expect(pre).toHaveLength(5);
    expect(post).toHaveLength(5);
    for (const target of world.targets) {
      const entry = pre.find((candidate) => candidate.changeId === target.changeId);
      expect(entry?.before).toEqual(
        propertyOf(pageIn(world.atPlan, target.pageId), target.propertyId),
      );
      const [patch] = pageRequests(world, target.pageId, "PATCH");
      expect(Date.parse(entry?.at ?? "")).toBeLessThanOrEqual(patch?.at ?? 0);
      const settled = post.find((candidate) => candidate.changeId === target.changeId);
      expect(settled?.status).toBe("applied");
      expect(optionName(settled?.after as Obj)).toBe("Active");
    }
  });

  it("writes a tracker entry: run id in the title, Resolved, 5 records, High-Confidence", () => {
    const trackerId = demoSourceId(after, "tracker");
    const known = new Set(world.atPlan.pages.map((page) => page.id));
    const added = after.pages.filter(
      (page) => !known.has(page.id) && (page.parent as Obj).data_source_id === trackerId,
    );
    expect(added).toHaveLength(1);
    const properties = added[0]?.properties as Record<string, Obj>;
    const title = (properties.Task?.title as Array<{ plain_text: string }>)
      .map((item) => item.plain_text)
      .join("");
    expect(title).toContain(world.runId);
    expect(optionName(properties.Status ?? {})).toBe("Resolved");
    expect(properties["Records Affected"]?.number).toBe(5);
    expect(optionName(properties["Execution Mode"] ?? {})).toBe("High-Confidence");
  });

  it("reads like a completion report in runs show --md", () => {
    expect(markdown.code, markdown.stderr).toBe(0);
    const text = markdown.stdout;
    expect(text).toMatch(new RegExp(`^# Backfill run ${world.runId} — APPLIED`));
    expect(text).toMatch(/- \*\*Tracker entry\*\*: written \(page [0-9a-f-]{36}\)/);
    expect(text).toContain("| Fields filled | 5 |");
    expect(text).toContain("| Records affected | 5 |");
    expect(text).toContain("| Protected from overwrite (skipped) | 0 |");
    expect(text).toContain("| Failed | 0 |");
    expect(text).toContain("| Success rate | 100.0% |");
    expect(text).toContain("| wt_phase_database | status | 5 | 0 | 0 | 0 |");
    expect(text).toContain("### phase-status-active → `wt_phase_database.status` (high)");
    expect(text).toMatch(/```sql\nSELECT page_id, 'Active' AS value/);
    expect(text).toContain(`notion-mirror revert ${world.runId}`);
  });

  it("sends 1 token check + 1 schema check + 2 requests per page (then the tracker's 2)", () => {
    const log = world.session.emulator.log.all().filter((entry) => entry.seq > 0);
    const phases = demoSourceId(world.atPlan, "phases");
    const trackerId = demoSourceId(world.atPlan, "tracker");
    const routes = log.map((entry) => `${entry.method} ${entry.path}`);
    const engine = routes.filter(
      (route) => !route.includes(trackerId) && route !== "POST /v1/pages",
    );
    expect(engine.filter((route) => route === "GET /v1/users/me")).toHaveLength(1);
    expect(engine.filter((route) => route === `GET /v1/data_sources/${phases}`)).toHaveLength(1);
    for (const target of world.targets) {
      expect(pageRequests(world, target.pageId, "GET")).toHaveLength(1);
      expect(pageRequests(world, target.pageId, "PATCH")).toHaveLength(1);
    }
    expect(engine).toHaveLength(2 + 2 * world.targets.length);
    expect(
      routes.filter((route) => route.includes(trackerId) || route === "POST /v1/pages"),
    ).toEqual([`GET /v1/data_sources/${trackerId}`, "POST /v1/pages"]);
    expect(log.every((entry) => entry.status === 200)).toBe(true);
  });

  it("creates the snapshot and the mirror 0600 in a 0700 snapshots folder", () => {
    expect(statSync(world.project.config.snapshotsDir).mode & 0o777).toBe(0o700);
    expect(statSync(world.snapshotFile).mode & 0o777).toBe(0o600);
    expect(statSync(world.project.config.mirrorPath).mode & 0o777).toBe(0o600);
  });

  it("never writes the token to the snapshot, the mirror, stdout or stderr", () => {
    const files = [
      world.snapshotFile,
      world.project.config.mirrorPath,
      `${world.project.config.mirrorPath}-wal`,
      `${world.project.config.mirrorPath}-shm`,
    ].filter((file) => existsSync(file));
    for (const file of files) expect(readFileSync(file).includes(CANARY_TOKEN), file).toBe(false);
    for (const output of outputs) {
      expect(output.stdout).not.toContain(CANARY_TOKEN);
      expect(output.stderr).not.toContain(CANARY_TOKEN);
    }
  });
});
