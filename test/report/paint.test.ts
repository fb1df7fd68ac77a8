import { afterEach, describe, expect, it } from "vitest";
import { paint } from "../../src/report/paint.ts";
import type { PlannedChange } from "../../src/fill/plan-types.ts";
import { renderPlanDiff } from "../../src/report/plan-report.ts";

const ESC = "\x1b[";
const saved = {
  NO_COLOR: process.env.NO_COLOR,
  FORCE_COLOR: process.env.FORCE_COLOR,
  CI: process.env.CI,
  TERM: process.env.TERM,
};

function setEnv(values: Partial<Record<keyof typeof saved, string | undefined>>): void {
  for (const [key, value] of Object.entries(values)) {
    if (value === undefined) delete process.env[key];
    else process.env[key] = value;
  }
}

afterEach(() => setEnv(saved));

describe("colours", () => {
  it("stay off for piped output, on a CI machine too", () => {
    setEnv({ NO_COLOR: undefined, FORCE_COLOR: undefined, CI: "1" });
    expect(paint({ isTTY: false }).dim("x")).toBe("x");
  });

  it("come on for a terminal, and not for a dumb one", () => {
    setEnv({ NO_COLOR: undefined, FORCE_COLOR: undefined, TERM: "xterm" });
    expect(paint({ isTTY: true }).dim("x")).toContain(ESC);
    setEnv({ TERM: "dumb" });
    expect(paint({ isTTY: true }).dim("x")).toBe("x");
  });

  it("follow NO_COLOR and FORCE_COLOR as they are when the text is made, NO_COLOR first", () => {
    setEnv({ NO_COLOR: undefined, FORCE_COLOR: "1" });
    expect(paint({ isTTY: false }).dim("x")).toContain(ESC);
    setEnv({ FORCE_COLOR: "0" });
    expect(paint({ isTTY: true }).dim("x")).toBe("x");
    setEnv({ NO_COLOR: "1", FORCE_COLOR: "1" });
    expect(paint({ isTTY: true }).dim("x")).toBe("x");
  });

  it("reach the plan's diff: NO_COLOR set after start leaves it plain", () => {
    setEnv({ NO_COLOR: undefined, FORCE_COLOR: "1" });
    const change: PlannedChange = {
      pageId: "p",
      pageTitle: "T",
      dataSourceId: "d",
      alias: "phases",
      propertyId: "lead",
      propertyName: "Lead",
      propertyType: "people",
      rule: "guest-leads",
      confidence: "high",
      before: null,
      natural: "x",
      payload: { people: [{ id: "x" }] },
    };
    const coloured = renderPlanDiff([change]);
    expect(coloured).toContain(ESC);
    setEnv({ NO_COLOR: "1" });
    const plain = renderPlanDiff([change]);
    expect(plain).not.toContain(ESC);
    expect(plain).toContain("Lead: (empty) → x");
  });
});
