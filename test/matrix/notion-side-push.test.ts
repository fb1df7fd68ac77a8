import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { SeedFile } from "../../src/emulator/index.ts";
import { NotionMirrorError } from "../../src/errors.ts";
import type { MatrixWorld } from "./support/matrix-world.ts";
import {
  botWrites,
  changeStatuses,
  liveProperty,
  optionName,
  plannedWorld,
} from "./support/matrix-world.ts";
import { removeProperty, renameProperty, retypeToText } from "./support/schema-edits.ts";

let world: MatrixWorld;

beforeAll(async () => {
  world = await plannedWorld();
});
beforeEach(() => world.reset());
afterAll(() => world.close());

const first = () => {
  const [target] = world.targets;
  if (!target) throw new Error("no target");
  return target;
};
const others = () => world.targets.slice(1);
const pagePatches = () =>
  world.session.emulator.log
    .all()
    .filter((entry) => entry.method === "PATCH" && entry.path.startsWith("/v1/pages/"));

describe("Notion changes between plan and push", () => {
  it("keeps a value a person filled between plan and push, reports it protected, and writes the rest", async () => {
    const target = first();
    world.session.emulator.editAsPerson({
      pageId: target.pageId,
      properties: { [target.propertyName]: { status: { name: "On hold" } } },
    });
    const result = await world.push();
    expect(result.summary.protected).toBe(1);
    expect(result.summary.applied).toBe(world.targets.length - 1);
    expect(optionName(liveProperty(world.session, target.pageId, target.propertyId))).toBe(
      "On hold",
    );
    expect(botWrites(world.session, target.pageId)).toBe(0);
    for (const other of others()) expect(botWrites(world.session, other.pageId)).toBe(1);
    expect(changeStatuses(world.project, world.runId)[0]?.status).toBe("skipped_conflict");
    expect(world.violations()).toEqual([]);
  });

  it("fails a page trashed between plan and push with the reason, and writes the rest", async () => {
    const target = first();
    world.session.emulator.editAsPerson({ pageId: target.pageId, inTrash: true });
    const result = await world.push();
    expect(result.status).toBe("partial");
    expect(result.summary.failed).toBe(1);
    expect(result.summary.applied).toBe(world.targets.length - 1);
    expect(botWrites(world.session, target.pageId)).toBe(0);
    const change = changeStatuses(world.project, world.runId).find(
      (row) => row.pageId === target.pageId,
    );
    expect(change).toMatchObject({ status: "failed", error: expect.stringMatching(/trash/) });
    expect(world.violations()).toEqual([]);
  });

  const schemaChanges: Array<[string, (seed: SeedFile, dataSourceId: string) => SeedFile]> = [
    ["its target property renamed", (seed, id) => renameProperty(seed, id, "status", "Stage")],
    ["another of its properties removed", (seed, id) => removeProperty(seed, id, "Gate passed")],
    ["another of its properties retyped", (seed, id) => retypeToText(seed, id, "Progress")],
  ];
  for (const [what, change] of schemaChanges) {
    it(`refuses to push, sending nothing, when the data source had ${what} since the plan (re-plan)`, async () => {
      world.session.emulator.reseed(change(world.session.emulator.dump(), first().dataSourceId));
      const error = await world.push().then(
        () => undefined,
        (caught: unknown) => caught,
      );
      expect(error).toBeInstanceOf(NotionMirrorError);
      expect((error as Error).message).toMatch(/schema .* changed since the plan/);
      expect((error as NotionMirrorError).hint).toMatch(/re-plan/i);
      expect(pagePatches()).toEqual([]);
      expect(world.session.emulator.workspace().journal.all()).toEqual([]);
      expect(changeStatuses(world.project, world.runId).map((row) => row.status)).toEqual(
        world.targets.map(() => "planned"),
      );
      // The mirror cannot know of a schema change before it pulls (Notion moves no page's
      // last_edited_time for one): the pull the refusal asks for brings it level.
      await world.project.pull();
      expect(world.violations()).toEqual([]);
    });
  }
});
