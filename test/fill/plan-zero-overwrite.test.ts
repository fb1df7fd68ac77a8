import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { PlanResult } from "../../src/fill/plan-run.ts";
import { planRun } from "../../src/fill/plan-run.ts";
import { planSummaryLine } from "../../src/report/plan-report.ts";
import type { EmulatorSession } from "../support/emulator.ts";
import { openEmulator } from "../support/emulator.ts";
import type { TestProject } from "../support/project.ts";
import { createProject } from "../support/project.ts";
import type { FillWorkspace } from "./plan-seed.ts";
import { fillWorkspace, pullFillWorkspace, ruleText, withRules } from "./plan-seed.ts";

let session: EmulatorSession;
let project: TestProject;
let ws: FillWorkspace;
let result: PlanResult;

/** Per writable property: a valid value (SQL) a rule proposes for every live Items page. */
const VALUES = (ws: FillWorkspace): Record<string, string> => ({
  Name: "'New name'",
  Notes: "'a note'",
  Amount: "5",
  Kind: "'Alpha'",
  Tags: "json_array('red')",
  Stage: "'Doing'",
  Due: "'2025-08-01'",
  Owner: `json_array('${ws.knownPerson}')`,
  Attachments: "json_array('https://example.com/b.pdf')",
  Checked: "1",
  Link: "'https://example.com/x'",
  Mail: "'x@example.com'",
  Phone: "'+1 555 0100'",
  Parent: `json_array('${ws.other}')`,
  Place: "json_object('lat', 1.5, 'lon', 2.5)",
});

beforeAll(async () => {
  ws = fillWorkspace();
  session = await openEmulator({ seed: ws.seed });
  project = createProject(session);
  await pullFillWorkspace(session, project, ws);
  const rules = Object.fromEntries(
    Object.entries(VALUES(ws)).map(([property, value]) => [
      `fill-${property.toLowerCase()}.sql`,
      ruleText(
        { target: `items.${property}`, confidence: "high" },
        `SELECT page_id, ${value} AS value FROM items WHERE in_trash = 0`,
      ),
    ]),
  );
  result = await planRun(withRules(project.config, rules));
});
afterAll(async () => {
  project?.remove();
  await session?.stop();
});

const pagesOf = (list: ReadonlyArray<{ pageId: string; rule: string }>, rule: string) =>
  list
    .filter((item) => item.rule === rule)
    .map((item) => item.pageId)
    .sort();

describe("zero overwrite: a fill only ever targets an empty field", () => {
  it.each([
    "Name",
    "Notes",
    "Amount",
    "Kind",
    "Tags",
    "Stage",
    "Due",
    "Owner",
    "Attachments",
    "Link",
    "Mail",
    "Phone",
    "Parent",
    "Place",
  ])("%s: planned where empty, protected where it holds a value", (property) => {
    const rule = `fill-${property.toLowerCase()}`;
    const blankNotes = property === "Notes";
    expect(pagesOf(result.plan.changes, rule)).toEqual(
      (blankNotes ? [ws.empty, ws.empty2] : [ws.empty, ws.empty2, ws.blank]).sort(),
    );
    expect(pagesOf(result.plan.protected, rule)).toEqual(
      (blankNotes ? [ws.filled, ws.blank] : [ws.filled]).sort(),
    );
    const protectedItem = result.plan.protected.find(
      (item) => item.rule === rule && item.pageId === ws.filled,
    );
    expect(protectedItem?.propertyName).toBe(property);
    expect(protectedItem?.current).toMatchObject({ type: expect.any(String) as string });
  });

  it("counts 0 as a value: a number holding 0 is protected", () => {
    const zero = result.plan.protected.find(
      (item) => item.rule === "fill-amount" && item.pageId === ws.filled,
    );
    expect(zero?.current).toMatchObject({ type: "number", number: 0 });
  });

  it("counts whitespace someone typed as a value", () => {
    const blank = result.plan.protected.find(
      (item) => item.rule === "fill-notes" && item.pageId === ws.blank,
    );
    expect(blank?.current).toMatchObject({ type: "rich_text" });
  });

  it("never fills a checkbox: unchecked is a value, so every checkbox is protected", () => {
    expect(pagesOf(result.plan.changes, "fill-checked")).toEqual([]);
    expect(pagesOf(result.plan.protected, "fill-checked")).toEqual(
      [ws.empty, ws.empty2, ws.blank, ws.filled].sort(),
    );
  });

  it("records an empty before-image for every planned change", () => {
    for (const change of result.plan.changes) {
      expect(change.before, `${change.rule} on ${change.pageId}`).toMatchObject({
        type: change.propertyType,
      });
    }
    const name = result.plan.changes.find((change) => change.rule === "fill-name");
    expect(name?.before).toMatchObject({ type: "title", title: [] });
  });

  it("counts the protected targets in the summary and in each rule's outcome", () => {
    // 14 properties × 3 empty pages, less Notes on the blank page; checkbox never.
    expect(result.plan.changes).toHaveLength(14 * 3 - 1);
    expect(result.plan.protected).toHaveLength(14 + 1 + 4);
    expect(planSummaryLine(result.plan)).toBe(
      "41 fields to fill on 3 pages; 19 protected; 0 for review",
    );
    const checked = result.plan.rules.find((outcome) => outcome.rule === "fill-checked");
    expect(checked).toMatchObject({ rows: 4, planned: 0, protected: 4, refused: 0 });
  });
});
