import { describe, expect, it } from "vitest";
import { ResetClock } from "../../src/notion/reset-clock.ts";

// What successive resets (each known to the second a Retry-After gives) tell of Notion's
// windows: their length, and when the next one resets.

describe("the reset clock", () => {
  it("learns nothing of the length from one reset, nor from two not known to follow each other", () => {
    const clock = new ResetClock();
    clock.observe({ lo: 1_000, hi: 2_050 }, false);
    expect(clock.length).toBeUndefined();
    clock.observe({ lo: 7_000, hi: 8_050 }, false);
    expect(clock.length).toBeUndefined();
    expect(clock.resetAfter(8_100)).toBeUndefined();
  });

  it("narrows a 60 s window from resets a second wide, and takes it to the whole second", () => {
    const clock = new ResetClock();
    // Resets at 60.3 s, 120.3 s and 180.3 s, each seen through a 429 sent at different points.
    clock.observe({ lo: 59_900, hi: 60_950 }, false);
    clock.observe({ lo: 119_800, hi: 120_850 }, true);
    expect(clock.length?.hi).toBeGreaterThan(clock.length?.lo ?? Infinity);
    clock.observe({ lo: 180_250, hi: 181_300 }, true);
    expect(clock.length).toEqual({ lo: 60_000, hi: 60_000 });
    expect(clock.latest).toEqual({ lo: 180_250, hi: 180_850 });
    // The next reset follows, as narrowly as the latest is known.
    expect(clock.resetAfter(181_000)).toEqual({ lo: 240_250, hi: 240_850 });
    // Several windows on, the same phase.
    expect(clock.resetAfter(400_000)).toEqual({ lo: 420_250, hi: 420_850 });
  });

  it("takes two refusals of one window for the same reset", () => {
    const clock = new ResetClock();
    clock.observe({ lo: 1_000, hi: 2_100 }, false);
    clock.observe({ lo: 1_500, hi: 2_600 }, false);
    expect(clock.latest).toEqual({ lo: 1_500, hi: 2_100 });
    expect(clock.length).toBeUndefined();
  });

  it("forgets what it learned when a reset contradicts it, and learns again from there", () => {
    const clock = new ResetClock();
    clock.observe({ lo: 1_000, hi: 1_500 }, false);
    clock.observe({ lo: 3_000, hi: 3_400 }, true);
    expect(clock.length).toEqual({ lo: 2_000, hi: 2_000 });
    // Not on a 2 s beat from the latest: the windows were not what they seemed.
    expect(clock.observe({ lo: 5_900, hi: 6_100 }, true)).toBe(false);
    expect(clock.length).toBeUndefined();
    expect(clock.latest).toEqual({ lo: 5_900, hi: 6_100 });
  });
});

describe("the reset clock with a length still uncertain", () => {
  it("keeps every count of windows that fits rather than guessing one, so a 2 s window is never taken for 1 s", () => {
    const clock = new ResetClock();
    // Resets every 2 s from 0.3 s, each seen a second and more wide, as late answers give them.
    clock.observe({ lo: 0, hi: 1_500 }, false);
    clock.observe({ lo: 1_900, hi: 3_400 }, true);
    expect(clock.length?.lo).toBeLessThan(clock.length?.hi ?? 0);
    // Three windows on (resets unseen between), then the one right after it.
    clock.observe({ lo: 7_900, hi: 9_000 }, false);
    expect(clock.observe({ lo: 10_000, hi: 10_900 }, true)).toBe(true);
    // 1 s still fits every reset so far; the next one that follows rules it out.
    expect(clock.length).toEqual({ lo: 1_000, hi: 2_000 });
    expect(clock.observe({ lo: 12_000, hi: 12_900 }, true)).toBe(true);
    expect(clock.length).toEqual({ lo: 2_000, hi: 2_000 });
    expect(clock.latest).toEqual({ lo: 12_000, hi: 12_900 });
    expect(clock.resetAfter(13_000)).toEqual({ lo: 14_000, hi: 14_900 });
  });
});
