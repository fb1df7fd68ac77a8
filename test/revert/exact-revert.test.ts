import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { JsonObject } from "../../src/emulator/index.ts";
import type { EmulatorSession } from "../support/emulator.ts";
import type { TestProject } from "../support/project.ts";
import type { PulledWorld } from "../support/pulled-world.ts";
import { openPulledWorld } from "../support/pulled-world.ts";
import type { Lab } from "./lab-workspace.ts";
import { labWorkspace } from "./lab-workspace.ts";
import { comparable, liveValue, planAndPush, revert, writeRule } from "./revert-helpers.ts";

let world: PulledWorld;
let session: EmulatorSession;
let project: TestProject;
let lab: Lab;

beforeEach(async () => {
  lab = labWorkspace();
  world = await openPulledWorld({ seed: lab.seed });
  ({ session, project } = world);
});
afterEach(() => world.close());

const targets = (from: number, to: number, step = 1) => {
  const ids: string[] = [];
  for (let n = from; step > 0 ? n <= to : n >= to; n += step)
    ids.push(lab.pages[`target-${String(n).padStart(3, "0")}`] ?? "");
  return ids;
};

/** Fills of every writable type on alpha, beta and gamma, values chosen to be hard to restore. */
function writeEveryTypeRules(): void {
  const long = "Lorem ipsum dolor sit amet. ".repeat(160); // 4480 characters: three text objects
  writeRule(project, "lab_items.Notes", { alpha: "Filled notes", beta: long });
  writeRule(project, "lab_items.Score", { alpha: 42.5, beta: -0.001, gamma: 0 });
  // Done (a checkbox) is never empty, so no fill touches it: the second test covers it.
  writeRule(project, "lab_items.Site", { alpha: "https://lab.example/alpha?q=1#x" });
  writeRule(project, "lab_items.Mail", { alpha: "alpha@lab.example" });
  writeRule(project, "lab_items.Phone", { alpha: "+44 20 7946 0958" });
  writeRule(project, "lab_items.Kind", { alpha: "Beta", beta: "Alpha" });
  writeRule(project, "lab_items.Stage", { alpha: "Active", gamma: "Done" });
  writeRule(project, "lab_items.Tags", { alpha: ["amber", "red", "green"], beta: ["blue"] });
  writeRule(project, "lab_items.When", {
    // across the spring DST change in Paris
    alpha: { start: "2025-03-30T01:30:00", end: "2025-03-30T04:15:00", time_zone: "Europe/Paris" },
    beta: { start: "2025-07-01", end: "2025-07-04" },
    gamma: "2025-07-01T09:00:00+05:30",
  });
  writeRule(project, "lab_items.Links", {
    alpha: targets(30, 1, -1), // 30 pages, reverse order: past the 25 of a page object
    beta: [...targets(51, 100), ...targets(1, 50)], // exactly 100, rotated
    gamma: [lab.pages["target-007"]],
  });
  writeRule(project, "lab_items.Owners", {
    alpha: [lab.people.cleo, lab.people.ada],
    beta: [lab.people.ben],
  });
  writeRule(project, "lab_items.Attachments", {
    alpha: [
      { url: "https://files.lab.example/spec.pdf", name: "Spec" },
      "https://files.lab.example/b.png",
    ],
  });
}

describe("revert restores Notion's state exactly", () => {
  it("push → revert gives the state before the push; reverting the revert gives the state after it", async () => {
    writeEveryTypeRules();
    const before = session.emulator.dump();
    const runId = await planAndPush(project);
    const afterPush = session.emulator.dump();
    expect(comparable(afterPush)).not.toEqual(comparable(before));
    // The fills landed as asked (order kept, more than 25 relations, time zone kept).
    expect(
      (liveValue(session, lab.pages.alpha ?? "", "Links").relation as JsonObject[]).map(
        (r) => r.id,
      ),
    ).toEqual(targets(30, 1, -1));
    // Notion renders a zoned date with the zone's offsets and time_zone null (01:30 CET, 04:15 CEST).
    expect(liveValue(session, lab.pages.alpha ?? "", "When").date).toMatchObject({
      start: "2025-03-30T01:30:00.000+01:00",
      end: "2025-03-30T04:15:00.000+02:00",
      time_zone: null,
    });

    const first = await revert(project, runId);
    expect(first.status).toBe("applied");
    expect(first.conflicts).toEqual([]);
    expect(first.unrestorable).toEqual([]);
    expect(first.summary, JSON.stringify(first.summary)).toMatchObject({ applied: 23 });
    expect(comparable(session.emulator.dump())).toEqual(comparable(before));

    // The revert's pre-images are the filled values: reverting it puts them back exactly.
    const second = await revert(project, first.revertRunId);
    expect(second.status).toBe("applied");
    expect(second.conflicts).toEqual([]);
    expect(second.unrestorable).toEqual([]);
    expect(comparable(session.emulator.dump())).toEqual(comparable(afterPush));

    // And once more: revert of the revert of the revert.
    const third = await revert(project, second.revertRunId);
    expect(third.summary.applied).toBe(23);
    expect(comparable(session.emulator.dump())).toEqual(comparable(before));
  });

  it("rich values a person typed come back exactly: annotations, links, mentions, time zones, order", async () => {
    // A fill, then a person replaces the filled values with rich ones; a forced revert empties
    // them (its pre-images are the person's values), and reverting that revert must put every
    // detail back.
    writeRule(project, "lab_items.Notes", { alpha: "x", beta: "y" });
    writeRule(project, "lab_items.When", { alpha: "2025-01-01", beta: "2025-01-02" });
    writeRule(project, "lab_items.Tags", { alpha: ["red"] });
    writeRule(project, "lab_items.Links", { alpha: [lab.pages["target-001"]] });
    writeRule(project, "lab_items.Owners", { alpha: [lab.people.ada] });
    writeRule(project, "lab_items.Kind", { alpha: "Alpha" });
    writeRule(project, "lab_items.Stage", { alpha: "Active" });
    writeRule(project, "lab_items.Score", { alpha: 1 });
    writeRule(project, "lab_items.Site", { alpha: "https://lab.example" });
    writeRule(project, "lab_items.Mail", { alpha: "a@lab.example" });
    writeRule(project, "lab_items.Phone", { alpha: "1" });
    writeRule(project, "lab_items.Attachments", { alpha: ["https://files.lab.example/c"] });
    const runId = await planAndPush(project);
    const annotations = (style: JsonObject = {}) => ({
      bold: false,
      italic: false,
      strikethrough: false,
      underline: false,
      code: false,
      color: "default",
      ...style,
    });
    session.emulator.editAsPerson({
      pageId: lab.pages.alpha ?? "",
      userId: lab.people.ben,
      properties: {
        Notes: {
          rich_text: [
            { type: "text", text: { content: "Bold " }, annotations: annotations({ bold: true }) },
            {
              type: "text",
              text: { content: "red link", link: { url: "https://lab.example/doc" } },
              annotations: annotations({ italic: true, underline: true, color: "red_background" }),
            },
            { type: "text", text: { content: " for " } },
            { type: "mention", mention: { user: { id: lab.people.cleo } } },
            { type: "text", text: { content: " see " }, annotations: annotations({ code: true }) },
            { type: "mention", mention: { page: { id: lab.pages["target-042"] ?? "" } } },
            {
              type: "mention",
              mention: {
                date: {
                  start: "2025-10-26T02:30:00",
                  end: "2025-10-27",
                  time_zone: "Europe/London",
                },
              },
              annotations: annotations({ strikethrough: true }),
            },
            { type: "equation", equation: { expression: "e^{i\\pi}+1=0" } },
          ],
        },
        When: {
          date: {
            start: "2025-10-26T01:30:00",
            end: "2025-10-26T03:00:00",
            time_zone: "America/New_York",
          },
        },
        Tags: {
          multi_select: [{ name: "blue" }, { name: "red" }, { name: "amber" }, { name: "green" }],
        },
        Links: { relation: targets(110, 70, -1).map((id) => ({ id })) },
        Owners: {
          people: [{ id: lab.people.ben }, { id: lab.people.cleo }, { id: lab.people.ada }],
        },
        Mail: { email: "Ben.O+lab@lab.example" },
        Phone: { phone_number: "(555) 010-0199 ext. 7" },
        Kind: { select: { name: "Beta" } },
        Stage: { status: { name: "Done" } },
        Score: { number: 1e-7 },
        Site: { url: "https://lab.example/ü?a=1&b=2" },
        Attachments: {
          files: [
            { name: "b", type: "external", external: { url: "https://files.lab.example/b" } },
            { name: "a", type: "external", external: { url: "https://files.lab.example/a" } },
          ],
        },
      },
    });
    session.emulator.editAsPerson({
      pageId: lab.pages.beta ?? "",
      properties: {
        Notes: {
          rich_text: [
            {
              type: "text",
              text: { content: "Über " },
              annotations: annotations({ bold: true, italic: true }),
            },
            {
              type: "text",
              text: { content: "ünïcödé 😀" },
              annotations: annotations({ color: "purple" }),
            },
          ],
        },
        When: { date: { start: "2025-06-01T12:00:00.000+09:00", end: null } },
      },
    });
    const personState = session.emulator.dump();

    const forced = await revert(project, runId, { force: true });
    expect(forced.forced).toBe(true);
    expect(forced.summary.applied).toBe(14);
    expect(forced.unrestorable).toEqual([]);
    expect(liveValue(session, lab.pages.alpha ?? "", "Notes").rich_text).toEqual([]);

    const back = await revert(project, forced.revertRunId);
    expect(back.conflicts).toEqual([]);
    expect(back.unrestorable).toEqual([]);
    expect(back.summary.failed).toBe(0);
    expect(comparable(session.emulator.dump())).toEqual(comparable(personState));
  });
});
