import { existsSync } from "node:fs";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { SeedFile } from "../../src/emulator/index.ts";
import { NotionApi } from "../../src/notion/notion-api.ts";
import { demoSourceId } from "../support/demo-lookups.ts";
import { runCli } from "./support/cli-child.ts";
import type { PushWorld } from "./support/push-world.ts";
import {
  CANARY_TOKEN,
  allPatches,
  appliedPatches,
  pageRequests,
  plannedDemo,
  pushInProcess,
  runState,
} from "./support/push-world.ts";
import { startRecordingProxy } from "./support/recording-proxy.ts";

type Obj = Record<string, unknown>;

let world: PushWorld;
beforeAll(async () => {
  world = await plannedDemo();
});
beforeEach(() => world.reset());
afterAll(() => world.close());

/** The seed with the phases' "status" property renamed (same id), in the schema and every page. */
function withStatusRenamed(seed: SeedFile, name: string): SeedFile {
  const copy = structuredClone(seed);
  const phases = demoSourceId(copy, "phases");
  const rename = (properties: Record<string, Obj>) => {
    const value = properties.status;
    if (!value) return;
    delete properties.status;
    properties[name] = { ...value, ...(value.name ? { name } : {}) };
  };
  for (const source of copy.data_sources)
    if (source.id === phases) rename(source.properties as Record<string, Obj>);
  for (const page of copy.pages)
    if ((page.parent as Obj).data_source_id === phases)
      rename(page.properties as Record<string, Obj>);
  return copy;
}

describe("push on the command line", () => {
  it("--dry-run writes nothing and prints exactly the PATCH bodies a push sends, and where", async () => {
    const dry = await runCli(world, ["push", world.runId, "--dry-run"]);
    expect(dry.code, dry.stderr).toBe(0);
    // One read names the workspace; nothing else is sent.
    expect(
      world.session.emulator.log.all().map((entry) => `${entry.method} ${entry.path}`),
    ).toEqual(["GET /v1/users/me"]);
    expect(dry.stderr).toContain(
      `Target: the workspace "WT Workspace" at ${world.session.emulator.url} (NOTION_BASE_URL, not Notion itself)\n`,
    );
    expect(runState(world).status).toBe("planned");
    const printed = dry.stdout
      .split("\n")
      .filter((line) => line.startsWith("PATCH "))
      .map((line) => {
        const [method, path, ...body] = line.split(" ");
        return { method, path, body: JSON.parse(body.join(" ")) as unknown };
      });
    expect(printed).toHaveLength(world.targets.length);
    expect(dry.stdout).toMatch(/Nothing was written/);

    const proxy = await startRecordingProxy(world.session.emulator.url);
    try {
      const api = new NotionApi(
        { token: CANARY_TOKEN, baseUrl: proxy.url },
        { rateLimit: Infinity, maxBackoffMs: 50, timeoutMs: 5_000 },
      );
      await pushInProcess(world, { api });
      const sent = proxy.requests
        .filter((request) => request.method === "PATCH")
        .map((request) => ({
          method: request.method,
          path: request.path,
          body: JSON.parse(request.body) as unknown,
        }));
      const byPath = (a: { path?: string }, b: { path?: string }) =>
        String(a.path).localeCompare(String(b.path));
      expect(sent.sort(byPath)).toEqual(printed.sort(byPath));
    } finally {
      await proxy.stop();
    }
  });

  it("refuses to write without a terminal and without --yes, with a hint (exit 2)", async () => {
    const refused = await runCli(world, ["push", world.runId]);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/no terminal to confirm/);
    expect(refused.stderr).toMatch(/--yes/);
    expect(refused.stdout).toBe("");
    expect(world.session.emulator.log.all()).toHaveLength(0);
    expect(runState(world).status).toBe("planned");
  });

  it("--max-writes 2 writes 2 pages and leaves the rest planned; the next push finishes them", async () => {
    const capped = await runCli(world, ["push", world.runId, "--yes", "--max-writes", "2"]);
    expect(capped.code, capped.stderr).toBe(3);
    expect(capped.stderr).toMatch(/3 pages left for later \(--max-writes\)/);
    expect(allPatches(world)).toHaveLength(2);
    // Pages beyond the cap are not even read.
    const pageReads = world.targets.flatMap((target) => pageRequests(world, target.pageId, "GET"));
    expect(pageReads).toHaveLength(2);
    const state = runState(world);
    expect(state.status).toBe("applying");
    expect(state.changes.filter((change) => change.status === "applied")).toHaveLength(2);
    expect(state.changes.filter((change) => change.status === "planned")).toHaveLength(3);
    expect(existsSync(world.snapshotFile)).toBe(true);

    const rest = await runCli(world, ["push", "--yes"]); // the latest unfinished run
    expect(rest.code, rest.stderr).toBe(0);
    expect(runState(world).status).toBe("applied");
    expect(allPatches(world)).toHaveLength(world.targets.length);
    for (const target of world.targets)
      expect(appliedPatches(world, target.pageId)).toHaveLength(1);
    expect(rest.stderr).toMatch(/Tracker entry written/);
  });

  it("refuses a run whose schema changed since the plan (a property renamed): re-plan, nothing sent", async () => {
    world.session.emulator.reseed(withStatusRenamed(world.atPlan, "Phase status"));
    const refused = await runCli(world, ["push", world.runId, "--yes"]);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/schema of wt_phase_database changed since the plan/);
    expect(refused.stderr).toMatch(/Re-plan/);
    expect(allPatches(world)).toHaveLength(0);
    for (const target of world.targets) expect(pageRequests(world, target.pageId)).toHaveLength(0);
    expect(existsSync(world.snapshotFile)).toBe(false);
    expect(runState(world).status).toBe("planned");
  });

  it("refuses a run whose schema gained an option since the plan", async () => {
    const seed = structuredClone(world.atPlan);
    const phases = demoSourceId(seed, "phases");
    const source = seed.data_sources.find((candidate) => candidate.id === phases);
    const phaseType = (source?.properties as Record<string, Obj>)["Phase type"];
    const select = phaseType?.select as { options: Obj[] };
    select.options.push({ id: "new-opt", name: "Retrospective", color: "red", description: null });
    world.session.emulator.reseed(seed);
    await expect(pushInProcess(world)).rejects.toThrow(/changed since the plan/);
    expect(allPatches(world)).toHaveLength(0);
  });
});
