import { describe, expect, it } from "vitest";
import { DEFAULT_SOAK_OPTIONS, parseSoakArgs } from "../../scripts/soak-options.ts";
import { renderSoak } from "../../scripts/soak-report.ts";
import { runSoak } from "../../scripts/soak-run.ts";

describe("the soak (npm run soak), run tiny so it cannot rot", () => {
  it("pushes and reverts through mixed faults and people's edits with every promise kept", async () => {
    const figures = await runSoak({
      ...DEFAULT_SOAK_OPTIONS,
      seed: 7,
      changes: 120,
      clientRateLimit: 500,
      editsPerSecond: 30,
    });
    expect(figures.failures, renderSoak(figures)).toEqual([]);
    expect(figures.planned).toBe(120);
    expect(Object.keys(figures.plannedByKind).sort()).toEqual(
      ["date", "number", "relation", "select", "text"].sort(),
    );
    const { push, revert } = figures;
    expect(push.applied + push.protected + push.failed).toBe(120);
    expect(push.pending).toBe(0);
    expect(revert.changes).toBe(push.applied);
    expect(revert.applied + revert.protected + revert.failed).toBe(push.applied);
    expect(Object.values(push.faults).reduce((a, b) => a + b, 0)).toBeGreaterThan(0);
    expect(Object.values(revert.faults).reduce((a, b) => a + b, 0)).toBeGreaterThan(0);
    expect(push.people.targetEdits + push.people.otherEdits).toBeGreaterThan(0);
    expect(renderSoak(figures)).toContain("SOAK PASSED");
  }, 120_000);

  it("reads its knobs from the command line and refuses bad ones", () => {
    expect(
      parseSoakArgs([
        "--seed",
        "3",
        "--changes=500",
        "--failure-rate",
        "0.2",
        "--edits-per-second",
        "5",
      ]),
    ).toMatchObject({ seed: 3, changes: 500, failureRate: 0.2, editsPerSecond: 5 });
    expect(parseSoakArgs([])).toEqual(DEFAULT_SOAK_OPTIONS);
    expect(() => parseSoakArgs(["--changes", "many"])).toThrow(/--changes needs a number/);
    expect(() => parseSoakArgs(["--failure-rate", "0.9"])).toThrow(/failureRate/);
    expect(() => parseSoakArgs(["--fast"])).toThrow(/unknown option --fast/);
  });
});
