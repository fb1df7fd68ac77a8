import { describe, expect, it } from "vitest";
import { DEFAULT_SOAK_OPTIONS, parseSoakArgs } from "../../scripts/soak-options.ts";
import { renderSoak } from "../../scripts/soak-report.ts";
import { RESUME_ROUTES, routeArgs } from "../../scripts/soak-routes.ts";
import { runSoak } from "../../scripts/soak-run.ts";

describe("the soak (npm run soak), run tiny so it cannot rot", () => {
  it("pushes and reverts through mixed faults and people's edits with every promise kept", async () => {
    const figures = await runSoak({
      ...DEFAULT_SOAK_OPTIONS,
      seed: 7,
      changes: 120,
      clientRateLimit: 500,
      editsPerSecond: 30,
      routes: [],
    });
    expect(figures.failures, renderSoak(figures)).toEqual([]);
    const faults = figures.faults;
    expect(faults?.planned).toBe(120);
    expect(Object.keys(faults?.plannedByKind ?? {}).sort()).toEqual(
      ["date", "number", "relation", "select", "text"].sort(),
    );
    if (!faults) return;
    const { push, revert } = faults;
    expect(push.applied + push.protected + push.failed).toBe(120);
    expect(push.pending).toBe(0);
    expect(revert.changes).toBe(push.applied);
    expect(revert.applied + revert.protected + revert.failed).toBe(push.applied);
    expect(Object.values(push.faults).reduce((a, b) => a + b, 0)).toBeGreaterThan(0);
    expect(Object.values(revert.faults).reduce((a, b) => a + b, 0)).toBeGreaterThan(0);
    expect(push.people.targetEdits + push.people.otherEdits).toBeGreaterThan(0);
    expect(renderSoak(figures)).toContain("SOAK PASSED");
  }, 120_000);

  it("kills a push run by the CLI with SIGKILL and resumes it by its route", async () => {
    const figures = await runSoak({
      ...DEFAULT_SOAK_OPTIONS,
      seed: 3,
      faultPhases: false,
      routes: ["push"],
      kills: 1,
      routeChanges: 30,
      editsPerSecond: 5,
    });
    expect(figures.failures, renderSoak(figures)).toEqual([]);
    const [route] = figures.routes;
    expect(route?.cli.kills).toHaveLength(1);
    expect(route?.cli.attempts).toBeGreaterThanOrEqual(2);
    expect(route?.pushPending).toBe(0);
    expect(route?.push.applied).toBeGreaterThan(0);
    expect(route?.revertRuns).toEqual([
      expect.objectContaining({ revertsRunId: route?.runId, status: "applied" }),
    ]);
    expect(route?.unreverted).toBe(0);
    expect(renderSoak(figures)).toMatch(/route push \(latest unfinished\)[^\n]*\n {2}1 SIGKILLs/);
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
    expect(parseSoakArgs(["--routes", "revert-last,push", "--kills=2"])).toMatchObject({
      routes: ["revert-last", "push"],
      faultPhases: false,
      kills: 2,
    });
    expect(parseSoakArgs(["--routes=all"]).routes).toEqual(RESUME_ROUTES);
    expect(() => parseSoakArgs(["--changes", "many"])).toThrow(/--changes needs a number/);
    expect(() => parseSoakArgs(["--failure-rate", "0.9"])).toThrow(/failureRate/);
    expect(() => parseSoakArgs(["--fast"])).toThrow(/unknown option --fast/);
    expect(() => parseSoakArgs(["--routes", "revert-first"])).toThrow(/unknown route revert-first/);
  });

  it("resumes by each documented command", () => {
    expect(RESUME_ROUTES.map((route) => routeArgs(route, "RUN", "/snaps").join(" "))).toEqual([
      "push --yes --json",
      "push RUN --yes --json",
      "revert RUN --yes --json",
      "revert --last --yes --json",
      "revert --snapshot /snaps/RUN.snapshot.ndjson --yes --json",
    ]);
  });
});
