import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { NotionMirrorError } from "../../src/errors.ts";
import { planRun } from "../../src/fill/plan-run.ts";
import { runChanges } from "../../src/runs/change-store.ts";
import type { EmulatorSession } from "../support/emulator.ts";
import { openEmulator } from "../support/emulator.ts";
import type { TestProject } from "../support/project.ts";
import { createProject } from "../support/project.ts";
import type { FillWorkspace } from "./plan-seed.ts";
import {
  fillWorkspace,
  HOSTILE_NAME,
  pullFillWorkspace,
  ruleText,
  withRules,
} from "./plan-seed.ts";

let session: EmulatorSession;
let project: TestProject;
let ws: FillWorkspace;

beforeAll(async () => {
  ws = fillWorkspace();
  session = await openEmulator({ seed: ws.seed });
  project = createProject(session);
  await pullFillWorkspace(session, project, ws);
});
afterAll(async () => {
  project?.remove();
  await session?.stop();
});

const mirrorHash = () =>
  createHash("sha256").update(readFileSync(project.config.mirrorPath)).digest("hex");

function count(sql: string): number {
  const mirror = project.openMirror();
  try {
    return (mirror.sqlite.prepare(sql).get() as { n: number }).n;
  } finally {
    mirror.close();
  }
}

async function usageError(promise: Promise<unknown>): Promise<NotionMirrorError> {
  try {
    await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(NotionMirrorError);
    expect((error as NotionMirrorError).code).toBe("usage");
    return error as NotionMirrorError;
  }
  throw new Error("expected the plan to be refused");
}

/** A rule filling the hostile property (its column read in the WHERE), its value hostile too. */
const hostileRule = (target: string) =>
  ruleText(
    { rule: "hostile", target: `items.${target}`, confidence: "high" },
    `SELECT page_id, 'x''); DROP TABLE pages; --' AS value FROM items WHERE in_trash = 0 AND (a_drop_table_pages IS NULL OR a_drop_table_pages = 'bobby')`,
  );

describe("hostile property names in fill rules", () => {
  it.each([
    ["its Notion name", HOSTILE_NAME],
    ["its view column", "a_drop_table_pages"],
  ])(
    "fills a property named like SQL by %s, and the mirror keeps every table",
    async (_how, target) => {
      const pages = count("SELECT count(*) AS n FROM pages");
      const { runId, plan } = await planRun(
        withRules(project.config, { "hostile.sql": hostileRule(target) }),
      );
      expect(plan.refusals).toEqual([]);
      expect(plan.changes.map((change) => change.pageId).sort()).toEqual(
        [ws.empty, ws.empty2, ws.blank].sort(),
      );
      expect(plan.protected.map((item) => item.pageId)).toEqual([ws.filled]);
      for (const change of plan.changes) {
        expect(change.propertyName).toBe(HOSTILE_NAME);
        expect(change.payload).toEqual({
          rich_text: [{ type: "text", text: { content: "x'); DROP TABLE pages; --" } }],
        });
      }
      expect(count("SELECT count(*) AS n FROM pages")).toBe(pages);
      const mirror = project.openMirror();
      try {
        const stored = runChanges(mirror.sqlite, runId ?? "");
        expect(stored).toHaveLength(3);
        expect(new Set(stored.map((row) => row.propertyName))).toEqual(new Set([HOSTILE_NAME]));
        expect(stored[0]?.propertyId).toBe(plan.changes[0]?.propertyId);
      } finally {
        mirror.close();
      }
    },
  );

  it("sees its Notion name and its view column as the same field", async () => {
    const config = withRules(project.config, {
      "by-column.sql": hostileRule("a_drop_table_pages").replace("hostile", "by-column"),
      "by-name.sql": hostileRule(HOSTILE_NAME).replace("hostile", "by-name"),
    });
    const error = await usageError(planRun(config));
    expect(error.message).toMatch(
      /Rules by-column and by-name both fill a"; DROP TABLE pages; -- of page/,
    );
  });

  it("refuses a target that only looks like a property", async () => {
    const before = mirrorHash();
    const error = await usageError(
      planRun(withRules(project.config, { "x.sql": hostileRule('a"; DROP TABLE runs; --') })),
    );
    expect(error.message).toMatch(/targets a"; DROP TABLE runs; --, which is not a property/);
    expect(mirrorHash()).toBe(before);
  });

  it.each([
    ["SQL in the name", "x'; DROP TABLE runs; --"],
    ["a path", "../escape"],
    ["capitals and spaces", "Fill Status"],
    ["a quote", 'say"hi'],
    ["an empty name", ""],
    ["a name too long", "r".repeat(81)],
  ])("refuses a rule name with %s", async (_what, name) => {
    const before = count("SELECT count(*) AS n FROM runs");
    const config = withRules(project.config, {
      "rule.sql": ruleText(
        { rule: name, target: "items.Notes", confidence: "high" },
        "SELECT page_id, 'x' AS value FROM items",
      ),
    });
    const error = await usageError(planRun(config));
    expect(error.message).toMatch(/rule name ".*" must be lowercase letters, digits, - and _/);
    expect(count("SELECT count(*) AS n FROM runs")).toBe(before);
  });

  it("refuses a rule file whose name is not a valid rule name when the header has none", async () => {
    const config = withRules(project.config, {
      "Fill Notes.sql": ruleText(
        { target: "items.Notes", confidence: "high" },
        "SELECT page_id, 'x' AS value FROM items",
      ),
    });
    const error = await usageError(planRun(config));
    expect(error.message).toMatch(/Fill Notes\.sql: rule name "Fill Notes" must be lowercase/);
  });
});
