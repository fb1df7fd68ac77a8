import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { PlanResult } from "../../src/fill/plan-run.ts";
import { planRun } from "../../src/fill/plan-run.ts";
import type { Refusal } from "../../src/fill/plan-types.ts";
import { renderPlanNotes } from "../../src/report/plan-report.ts";
import type { EmulatorSession } from "../support/emulator.ts";
import { openEmulator } from "../support/emulator.ts";
import type { TestProject } from "../support/project.ts";
import { createProject } from "../support/project.ts";
import type { FillWorkspace } from "./plan-seed.ts";
import { fillWorkspace, pullFillWorkspace, ruleText, withRules } from "./plan-seed.ts";

const MISSING = "00000000-0000-4000-8000-00000000dead";

let session: EmulatorSession;
let project: TestProject;
let ws: FillWorkspace;
/** One plan holding every refusal rule: one sandbox process for all of them. */
let result: PlanResult;

/** A rule proposing `value` (SQL) for `target` on the page `page` (SQL), high confidence. */
function rule(target: string, page: string, value: string, extra: Record<string, string> = {}) {
  return ruleText(
    { target: `items.${target}`, confidence: "high", ...extra },
    `SELECT ${page} AS page_id, ${value} AS value`,
  );
}
const q = (text: string) => `'${text.replaceAll("'", "''")}'`;

/** The refusals of one rule (rule name = file name without .sql). */
function refusalsOf(name: string): Refusal[] {
  return result.plan.refusals.filter((refusal) => refusal.rule === name);
}

beforeAll(async () => {
  ws = fillWorkspace();
  session = await openEmulator({ seed: ws.seed });
  project = createProject(session);
  await pullFillWorkspace(session, project, ws);
  const E = q(ws.empty);
  const E2 = q(ws.empty2);
  const rules: Record<string, string> = {
    "unknown-page.sql": rule("Notes", q(MISSING), q("x")),
    "other-source.sql": rule("Notes", q(ws.other), q("x")),
    "trashed-page.sql": rule("Notes", q(ws.trashed), q("x")),
    "not-a-uuid.sql": ruleText(
      { target: "items.Notes", confidence: "high" },
      `SELECT 'not-a-page' AS page_id, 'x' AS value UNION ALL SELECT 42, 'x'`,
    ),
    "number-text.sql": rule("Amount", E, q("twelve")),
    "number-infinite.sql": rule("Amount", E2, "9e999"),
    "checkbox-text.sql": rule("Checked", E, q("yes")),
    "date-words.sql": rule("Due", E, q("next week")),
    "date-impossible.sql": rule("Due", E2, q("2025-02-30")),
    "select-unknown.sql": rule("Kind", E, q("Gamma")),
    "select-new-allowed.sql": rule("Kind", E2, q("Gamma"), { "allow-new-option": "yes" }),
    "status-unknown.sql": rule("Stage", E, q("Paused"), { "allow-new-option": "yes" }),
    "text-too-long.sql": rule("Notes", E, "replace(hex(zeroblob(100001)), '0', 'x')"),
    "text-long-ok.sql": rule("Notes", E2, "replace(hex(zeroblob(2250)), '0', 'x')"),
    "relation-missing.sql": rule("Parent", E, `json_array(${q(MISSING)})`),
    "relation-wrong-source.sql": rule("Parent", E, `json_array(${q(ws.empty2)})`),
    "relation-trashed.sql": rule("Parent", E, `json_array(${q(ws.otherTrashed)})`),
    "people-unknown.sql": rule("Owner", E, `json_array(${q(ws.strangerPerson)})`),
    "null-value.sql": rule("Mail", E, "NULL"),
    "multi-select-repeat.sql": rule("Tags", E, "json_array('red', 'red')"),
  };
  result = await planRun(withRules(project.config, rules));
});
afterAll(async () => {
  project?.remove();
  await session?.stop();
});

describe("plan refuses each invalid proposal, saying which rule, page, value and why", () => {
  it.each<[string, () => string, () => unknown, RegExp]>([
    ["unknown-page", () => MISSING, () => "x", /page .* is not in the mirror/],
    ["other-source", () => ws.other, () => "x", /page .* belongs to others, not to items/],
    ["trashed-page", () => ws.trashed, () => "x", /page .* is in the trash/],
    ["number-text", () => ws.empty, () => "twelve", /expected a finite number of number "Amount"/],
    ["number-infinite", () => ws.empty2, () => Infinity, /expected a finite number.*Infinity/],
    [
      "checkbox-text",
      () => ws.empty,
      () => "yes",
      /expected true, false, 1 or 0 of checkbox "Checked"/,
    ],
    ["date-words", () => ws.empty, () => "next week", /expected an ISO date .* of date "Due"/],
    ["date-impossible", () => ws.empty2, () => "2025-02-30", /of date "Due".*"2025-02-30"/],
    [
      "select-unknown",
      () => ws.empty,
      () => "Gamma",
      /select "Kind" has no option "Gamma" \(one of: Alpha, Beta\).*allow new options/,
    ],
    [
      "status-unknown",
      () => ws.empty,
      () => "Paused",
      /status "Stage" has no option "Paused".*Notion cannot create status options/,
    ],
    [
      "relation-missing",
      () => ws.empty,
      () => `["${MISSING}"]`,
      /related page .* is not in the mirror/,
    ],
    [
      "relation-wrong-source",
      () => ws.empty,
      () => `["${ws.empty2}"]`,
      /related page .* belongs to items, but Parent relates to others/,
    ],
    [
      "relation-trashed",
      () => ws.empty,
      () => `["${ws.otherTrashed}"]`,
      /related page .* is in the trash/,
    ],
    [
      "people-unknown",
      () => ws.empty,
      () => `["${ws.strangerPerson}"]`,
      /user .* is not a user the mirror has seen/,
    ],
    ["null-value", () => ws.empty, () => null, /the value is NULL/],
    [
      "multi-select-repeat",
      () => ws.empty,
      () => '["red","red"]',
      /option "red" is listed twice for multi_select "Tags"/,
    ],
  ])("%s", (name, page, value, reason) => {
    const refusals = refusalsOf(name);
    expect(refusals).toHaveLength(1);
    const [refusal] = refusals;
    expect(refusal?.pageId).toBe(page());
    expect(refusal?.value).toEqual(value());
    expect(refusal?.reason).toMatch(reason);
    // Nothing of a refused rule is planned, protected or listed for review.
    const outcome = result.plan.rules.find((candidate) => candidate.rule === name);
    expect(outcome).toMatchObject({ rows: 1, refused: 1, planned: 0, protected: 0 });
  });

  it("refuses a page_id that is not a Notion id, text or number", () => {
    const refusals = refusalsOf("not-a-uuid");
    expect(refusals.map((refusal) => [refusal.pageId, refusal.reason])).toEqual([
      [null, 'page_id "not-a-page" is not a Notion page id'],
      [null, "page_id 42 is not a Notion page id"],
    ]);
  });

  it("refuses text past Notion's limit of 100 text objects of 2000 characters", () => {
    const [refusal] = refusalsOf("text-too-long");
    expect(refusal?.pageId).toBe(ws.empty);
    expect(refusal?.reason).toMatch(
      /text of rich_text "Notes" is 200002 characters; Notion accepts at most 200000/,
    );
  });

  it("plans long text split into pieces of at most 2000 characters", () => {
    const change = result.plan.changes.find((candidate) => candidate.rule === "text-long-ok");
    expect(change?.pageId).toBe(ws.empty2);
    const pieces = (change?.payload as { rich_text: Array<{ text: { content: string } }> })
      .rich_text;
    expect(pieces.map((piece) => piece.text.content.length)).toEqual([2000, 2000, 500]);
    expect(pieces.map((piece) => piece.text.content).join("")).toBe("x".repeat(4500));
  });

  it("plans a new select option only when the rule allows it, never a new status option", () => {
    const change = result.plan.changes.find((candidate) => candidate.rule === "select-new-allowed");
    expect(change).toMatchObject({
      pageId: ws.empty2,
      propertyName: "Kind",
      payload: { select: { name: "Gamma" } },
    });
    expect(refusalsOf("select-unknown")).toHaveLength(1);
    expect(refusalsOf("status-unknown")).toHaveLength(1);
  });

  it("records the valid proposals as a run and counts the refusals", () => {
    expect(result.runId).not.toBeNull();
    expect(result.plan.changes.map((change) => change.rule).sort()).toEqual([
      "select-new-allowed",
      "text-long-ok",
    ]);
    expect(result.plan.refusals).toHaveLength(19);
  });

  it("shows every refusal with its rule, page, value and reason", () => {
    const notes = renderPlanNotes(result.plan);
    for (const refusal of result.plan.refusals) {
      expect(notes).toContain(`rule ${refusal.rule}, page ${refusal.pageId ?? "?"}, value `);
      expect(notes).toContain(refusal.reason);
    }
    expect(notes).toContain(`rule number-text, page ${ws.empty}, value "twelve": expected`);
    expect(notes).toContain(`rule null-value, page ${ws.empty}, value NULL: the value is NULL`);
    expect(notes).toContain(`rule number-infinite, page ${ws.empty2}, value Infinity:`);
    // A huge value is cut, not printed whole.
    expect(notes).toMatch(/value "x{79}… \(200004 characters\): text of rich_text "Notes"/);
    expect(notes.length).toBeLessThan(10_000);
  });
});
