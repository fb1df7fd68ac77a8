import { describe, expect, it } from "vitest";
import { RateGate } from "../../src/notion/rate-gate.ts";

/** A clock that only moves when someone sleeps, so timing is exact. */
function fakeTime() {
  let now = 0;
  return {
    now: () => now,
    sleep: async (ms: number) => {
      now += ms;
    },
    stall: (ms: number) => {
      now += ms;
    },
  };
}

describe("the rate gate", () => {
  it("releases requests at most perSecond per second, evenly spaced", async () => {
    const time = fakeTime();
    const gate = new RateGate(4, time.now, time.sleep);
    const releases: number[] = [];
    for (let i = 0; i < 5; i += 1) {
      await gate.acquire();
      releases.push(time.now());
    }
    expect(releases).toEqual([0, 250, 500, 750, 1000]);
  });

  it("never releases a bunch after a stall: spacing counts from the last actual release", async () => {
    const time = fakeTime();
    const gate = new RateGate(4, time.now, time.sleep);
    await gate.acquire();
    time.stall(2_000); // the event loop was busy: slots passed unused
    const releases: number[] = [];
    for (let i = 0; i < 3; i += 1) {
      await gate.acquire();
      releases.push(time.now());
    }
    expect(releases).toEqual([2_000, 2_250, 2_500]);
  });

  it("holds every caller until a Retry-After has passed, and never shortens a pause", async () => {
    const time = fakeTime();
    const gate = new RateGate(100, time.now, time.sleep);
    gate.pause(1_000);
    gate.pause(500);
    await gate.acquire();
    expect(time.now()).toBe(1_000);
  });

  it("does not pace at all without a limit", async () => {
    const time = fakeTime();
    const gate = new RateGate(Infinity, time.now, time.sleep);
    for (let i = 0; i < 10; i += 1) await gate.acquire();
    expect(time.now()).toBe(0);
  });
});
