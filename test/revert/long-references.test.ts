import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { JsonObject } from "../../src/emulator/index.ts";
import { personUser, textItem } from "../../src/emulator/index.ts";
import type { PreEntry } from "../../src/snapshot/entries.ts";
import { readSnapshot, snapshotPath } from "../../src/snapshot/snapshot-file.ts";
import type { EmulatorSession } from "../support/emulator.ts";
import type { TestProject } from "../support/project.ts";
import type { PulledWorld } from "../support/pulled-world.ts";
import { openPulledWorld } from "../support/pulled-world.ts";
import type { Lab } from "./lab-workspace.ts";
import { labWorkspace } from "./lab-workspace.ts";
import { comparable, liveValue, planAndPush, revert, writeRule } from "./revert-helpers.ts";

// Notion's page objects hold at most 25 page or person references per property: people past 25
// are cut, mentions of the 26th distinct page come back "Untitled". A person who typed 30 of each
// must get all 30 back from every copy notion-mirror keeps: the mirror, the snapshot, a revert.

const MANY = 30;
let world: PulledWorld;
let session: EmulatorSession;
let project: TestProject;
let lab: Lab;
let crowd: string[];

beforeEach(async () => {
  lab = labWorkspace();
  crowd = Array.from({ length: MANY }, (_, n) => {
    const id = `00000000-0000-4000-8000-00000000c${String(n).padStart(3, "0")}`;
    lab.seed.users.push(personUser(id, `Crowd Member ${n + 1}`, `crowd${n + 1}@lab.example`));
    return id;
  });
  world = await openPulledWorld({ seed: lab.seed });
  ({ session, project } = world);
});
afterEach(() => world.close());

const target = (n: number) => lab.pages[`target-${String(n).padStart(3, "0")}`] ?? "";

/** 30 mentions of 30 distinct pages, with text between them. */
function thirtyMentions(): JsonObject[] {
  return Array.from({ length: MANY }, (_, n): JsonObject[] => [
    { type: "mention", mention: { page: { id: target(n + 1) } } },
    { type: "text", text: { content: n + 1 < MANY ? ", " : "." } },
  ]).flat();
}

const mentionIds = (items: unknown): string[] =>
  (items as Array<{ type: string; mention?: { page?: { id: string } }; plain_text?: string }>)
    .filter((item) => item.type === "mention")
    .map((item) => item.mention?.page?.id ?? "");

const personIds = (people: unknown): string[] => (people as Array<{ id: string }>).map((p) => p.id);

describe("values past Notion's 25 references", () => {
  it("30 people and 30 mentions a person typed are mirrored, snapshotted and reverted whole", async () => {
    writeRule(project, "lab_items.Owners", { alpha: [lab.people.ada] });
    writeRule(project, "lab_items.Notes", { alpha: "to be replaced" });
    const runId = await planAndPush(project);
    const alpha = lab.pages.alpha ?? "";
    session.emulator.editAsPerson({
      pageId: alpha,
      userId: lab.people.ben,
      properties: {
        Owners: { people: crowd.map((id) => ({ id })) },
        Notes: { rich_text: thirtyMentions() },
        Name: { title: [textItem("alpha")] },
      },
    });
    const personState = session.emulator.dump();
    expect(personIds(liveValue(session, alpha, "Owners").people)).toEqual(crowd);

    // Notion's page object cuts both: the premise of everything below.
    const shown = (await session.notion.pages.retrieve({ page_id: alpha })) as unknown as {
      properties: Record<string, JsonObject>;
    };
    expect(shown.properties.Owners?.people).toHaveLength(25);
    const shownNotes = shown.properties.Notes?.rich_text as Array<{ plain_text: string }>;
    expect(shownNotes.filter((item) => item.plain_text === "Untitled")).toHaveLength(MANY - 25);

    // Mirrored whole.
    await project.pull();
    const mirror = project.openMirror();
    try {
      const row = mirror.sqlite
        .prepare("SELECT raw_json AS raw FROM pages WHERE id = ?")
        .get(alpha) as {
        raw: string;
      };
      const stored = JSON.parse(row.raw) as { properties: Record<string, JsonObject> };
      expect(personIds(stored.properties.Owners?.people)).toEqual(crowd);
      expect(mentionIds(stored.properties.Notes?.rich_text)).toEqual(
        Array.from({ length: MANY }, (_, n) => target(n + 1)),
      );
      const untitled = (stored.properties.Notes?.rich_text as Array<{ plain_text: string }>).filter(
        (item) => item.plain_text === "Untitled",
      );
      expect(untitled).toEqual([]);
    } finally {
      mirror.close();
    }

    // Snapshotted whole: the forced revert's pre-images are the person's values.
    const forced = await revert(project, runId, { force: true });
    expect(forced.summary.applied).toBe(2);
    const pre = readSnapshot(
      snapshotPath(project.config.snapshotsDir, forced.revertRunId),
    ).entries.filter((entry): entry is PreEntry => entry.type === "pre");
    const befores = pre.map((entry) => entry.before as JsonObject);
    const people = befores.find((value) => value.type === "people");
    const notes = befores.find((value) => value.type === "rich_text");
    expect(personIds(people?.people)).toEqual(crowd);
    expect(mentionIds(notes?.rich_text)).toHaveLength(MANY);

    // Reverted whole: undoing the forced revert puts all 30 of each back.
    const back = await revert(project, forced.revertRunId);
    expect(back.conflicts).toEqual([]);
    expect(back.unrestorable).toEqual([]);
    expect(comparable(session.emulator.dump())).toEqual(comparable(personState));
  });
});
