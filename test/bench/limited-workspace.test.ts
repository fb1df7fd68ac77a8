import { describe, expect, it } from "vitest";
import { openWorkspace, windowBudget } from "../../bench/limited-workspace.ts";
import { demoWorkspace } from "../../src/emulator/index.ts";

describe("the bench's emulator", () => {
  it("paces by Notion's window: rate × 60 s per window, 180 at 3/s and 600 at 10/s", () => {
    expect(windowBudget(3)).toEqual({ kind: "window", requests: 180, windowMs: 60_000 });
    expect(windowBudget(10)).toEqual({ kind: "window", requests: 600, windowMs: 60_000 });
    expect(windowBudget(10, 6_000)).toEqual({ kind: "window", requests: 60, windowMs: 6_000 });
    expect(windowBudget(Infinity)).toBe(false);
  });

  it("lets the window's budget through in a burst once limited, then refuses with the window's reason", async () => {
    const workspace = await openWorkspace(demoWorkspace(), {
      rate: 10,
      latencyMs: 0,
      windowMs: 1_000,
    });
    try {
      const { emulator } = workspace;
      expect(emulator.settings().rateLimit).toBe(false);
      workspace.limit();
      expect(emulator.settings()).toMatchObject({
        latencyMs: 0,
        rateLimit: { kind: "window", requests: 10, windowMs: 1_000 },
      });
      const answers = await Promise.all(
        Array.from({ length: 11 }, () =>
          fetch(`${emulator.url}/v1/users/me`, {
            headers: { authorization: `Bearer ${emulator.token}`, "notion-version": "2025-09-03" },
          }),
        ),
      );
      expect(answers.filter((answer) => answer.status === 200)).toHaveLength(10);
      expect(emulator.log.all().filter((entry) => entry.status === 429)).toMatchObject([
        { rateLimitReason: "public_api_request_rate_limit", rateLimitWindow: 0 },
      ]);

      workspace.limit({ perSecond: 3 });
      expect(emulator.settings().rateLimit).toEqual({ kind: "bucket", perSecond: 3, burst: 3 });
    } finally {
      await workspace.close();
    }
  });
});
