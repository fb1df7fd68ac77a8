import { describe, expect, it } from "vitest";
import { NotionMirrorError } from "../../src/errors.ts";
import { parseRuleFile } from "../../src/fill/rule-file.ts";

const SQL = "SELECT page_id, 'Active' AS value FROM wt_phase_database WHERE status IS NULL";

const parse = (...lines: string[]) => parseRuleFile(lines.join("\n"), "fills/x.sql", "x");

function headerError(...lines: string[]): NotionMirrorError {
  try {
    parse(...lines);
  } catch (error) {
    expect(error).toBeInstanceOf(NotionMirrorError);
    expect((error as NotionMirrorError).code).toBe("usage");
    return error as NotionMirrorError;
  }
  throw new Error("expected the header to be refused");
}

describe("a rule header keeps every word of its description", () => {
  it("continues the description on the indented comment lines right after it", () => {
    const rule = parse(
      "-- target: wt_phase_database.status",
      "-- confidence: high",
      "-- description: A phase with no status is its project's",
      "--   current phase,",
      "--              so it is Active.",
      SQL,
    );
    expect(rule.description).toBe(
      "A phase with no status is its project's current phase, so it is Active.",
    );
  });

  it("ends the description at a comment no more indented than its key, a bare -- or a blank line", () => {
    const rule = parse(
      "-- description: First part",
      "--   continued.",
      "-- A plain comment, not part of it.",
      "--     nor this, which follows a comment",
      "-- description: Second part",
      "--",
      "--   not after a bare --",
      "-- description: Third part",
      "",
      "--   not after a blank line",
      "-- target: wt_phase_database.status",
      "-- confidence: high",
      SQL,
    );
    expect(rule.description).toBe("First part continued. Second part Third part");
  });

  it("measures indentation from the description's own key", () => {
    const rule = parse(
      "--   description: Indented key",
      "--     more indented: continued",
      "--   same indentation: a comment",
      "-- target: wt_phase_database.status",
      "-- confidence: high",
      SQL,
    );
    expect(rule.description).toBe("Indented key more indented: continued");
  });
});

describe("a rule header's comments are comments", () => {
  it.each([
    ["a note with a colon", "-- note: ask Maya before widening this"],
    ["an unknown key", "-- owner: ada"],
    ["a link", "-- see: https://example.com/wt-8"],
    ["a TODO", "-- TODO: add the milestones"],
    ["prose", "-- This rule is the team's convention since WT-8.0."],
  ])("reads %s as a comment", (_what, comment) => {
    const rule = parse(
      comment,
      "-- target: wt_phase_database.status",
      comment,
      "-- confidence: high",
      SQL,
    );
    expect(rule.target).toEqual({ alias: "wt_phase_database", property: "status" });
    expect(rule.confidence).toBe("high");
    expect(rule.description).toBe("");
  });
});

describe("a typo of a header key is an error that names the key meant", () => {
  it.each([
    ["confidance", "confidence"],
    ["targt", "target"],
    ["Target", "target"],
    ["descripton", "description"],
    ["allow_new_option", "allow-new-option"],
    ["allow-new-options", "allow-new-option"],
    ["rules", "rule"],
  ])("refuses -- %s: and suggests %s", (typo, meant) => {
    const error = headerError(
      "-- target: wt_phase_database.status",
      "-- confidence: high",
      `-- ${typo}: something`,
      SQL,
    );
    expect(error.message).toContain(`fills/x.sql:3: unknown header key "${typo}"`);
    expect(error.message).toContain(`did you mean ${meant}?`);
  });
});

describe("errors about a header value name its line", () => {
  it("points at the confidence line", () => {
    const error = headerError(
      "-- rule: x",
      "-- target: wt_phase_database.status",
      "-- confidence: sure",
      SQL,
    );
    expect(error.message).toMatch(/^fills\/x\.sql:3: "-- confidence:" must be high/);
  });
});

describe("the SQL's place in the file", () => {
  it("is the line and column where the SQL starts, after the header and blank lines", () => {
    const rule = parse(
      "-- target: wt_phase_database.status",
      "-- confidence: high",
      "",
      `   ${SQL}`,
    );
    expect(rule.sql).toBe(SQL);
    expect(rule.sqlStart).toEqual({ line: 4, column: 4 });
  });
});
