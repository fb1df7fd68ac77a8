import { describe, expect, it } from "vitest";
import type { Candidate } from "../../src/util/suggest.ts";
import { didYouMean, editDistance, suggest } from "../../src/util/suggest.ts";

/** The properties of the demo's WT Phase Database, as a rule target sees them. */
const PHASE_PROPERTIES: Candidate[] = [
  ["Phase name", "phase_name"],
  ["status", "status"],
  ["projectId", "project_id"],
  ["projectCode", "project_code"],
  ["Phase type", "phase_type"],
  ["Dates", "dates"],
  ["Lead", "lead"],
  ["Progress", "progress"],
  ["Gate passed", "gate_passed"],
].map(([name = "", column = ""]) => ({
  names: [name, column],
  label: name === column ? name : `${name} (column ${column})`,
}));

const labels = (found: readonly Candidate[]) => found.map((candidate) => candidate.label);
const plain = (...names: string[]): Candidate[] =>
  names.map((name) => ({ names: [name], label: name }));

describe("suggesting the name that was meant", () => {
  it("matches a Notion name and a column name whatever the case and separators", () => {
    expect(labels(suggest("project_id", PHASE_PROPERTIES))).toEqual([
      "projectId (column project_id)",
    ]);
    expect(labels(suggest("PROJECTID", PHASE_PROPERTIES))).toEqual([
      "projectId (column project_id)",
    ]);
    expect(labels(suggest("phase-type", PHASE_PROPERTIES))).toEqual([
      "Phase type (column phase_type)",
    ]);
  });

  it("finds a typo: a swapped pair, a missing or a wrong letter", () => {
    expect(labels(suggest("statsu", PHASE_PROPERTIES))).toEqual(["status"]);
    expect(labels(suggest("progres", PHASE_PROPERTIES))).toEqual(["Progress (column progress)"]);
    expect(labels(suggest("projetCode", PHASE_PROPERTIES))).toEqual([
      "projectCode (column project_code)",
    ]);
  });

  it("names the properties sharing a word when nothing is closer (phaseId → projectId)", () => {
    const found = labels(suggest("phaseId", PHASE_PROPERTIES));
    expect(found).toContain("projectId (column project_id)");
    expect(found).toContain("Phase name (column phase_name)");
    expect(found).not.toContain("Lead");
  });

  it("prefers a name containing the one given over names sharing only a word", () => {
    expect(
      labels(suggest("wt_phase", plain("wt_projects", "wt_phase_database", "wt_tasks"))),
    ).toEqual(["wt_phase_database"]);
  });

  it("prefers the candidate sharing most words", () => {
    expect(
      labels(suggest("wt_phasez", plain("wt_projects", "wt_phase_database", "wt_tasks"))),
    ).toEqual(["wt_phase_database"]);
  });

  it("suggests nothing for a name unlike every candidate", () => {
    expect(suggest("budget", PHASE_PROPERTIES)).toEqual([]);
    expect(suggest("", PHASE_PROPERTIES)).toEqual([]);
  });

  it("with typosOnly, ignores names that only share a word or contain it", () => {
    const keys = plain("rule", "target", "confidence", "description", "allow-new-option");
    expect(labels(suggest("confidance", keys, { typosOnly: true }))).toEqual(["confidence"]);
    expect(labels(suggest("allow_new_option", keys, { typosOnly: true }))).toEqual([
      "allow-new-option",
    ]);
    expect(suggest("note", keys, { typosOnly: true })).toEqual([]);
    expect(suggest("new-option", keys, { typosOnly: true })).toEqual([]);
    expect(labels(suggest("new-option", keys))).toEqual(["allow-new-option"]);
  });

  it("lists at most max suggestions", () => {
    expect(suggest("phase", PHASE_PROPERTIES, { max: 1 })).toHaveLength(1);
  });

  it("words the suggestion as a question", () => {
    expect(didYouMean([])).toBe("");
    expect(didYouMean(plain("a"))).toBe("did you mean a?");
    expect(didYouMean(plain("a", "b"))).toBe("did you mean a or b?");
    expect(didYouMean(plain("a", "b", "c"))).toBe("did you mean a, b or c?");
  });

  it("counts a swap of two neighbours as one edit", () => {
    expect(editDistance("status", "statsu")).toBe(1);
    expect(editDistance("kitten", "sitting")).toBe(3);
    expect(editDistance("", "abc")).toBe(3);
  });
});
