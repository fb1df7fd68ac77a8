import { describe, expect, it } from "vitest";
import { RecentResults } from "../../src/emulator/recent-results.ts";

const lengthOf = (pages: string[]) => pages.length;

describe("the query results the emulator keeps", () => {
  it("keeps results of many keys while their pages fit, however many keys there are", () => {
    const kept = new RecentResults<string[]>(1_000, lengthOf);
    for (let key = 0; key < 200; key += 1) kept.set(`q${key}`, ["a", "b", "c"]);
    expect(kept.get("q0")).toEqual(["a", "b", "c"]);
    expect(kept.get("q199")).toEqual(["a", "b", "c"]);
  });

  it("drops the least recently used once their pages pass the limit", () => {
    const kept = new RecentResults<string[]>(6, lengthOf);
    kept.set("first", ["a", "b"]);
    kept.set("second", ["c", "d"]);
    kept.set("third", ["e", "f"]);
    expect(kept.get("first")).toEqual(["a", "b"]); // now more recent than "second"
    kept.set("fourth", ["g"]);
    expect(kept.get("second")).toBeUndefined();
    expect(kept.get("first")).toEqual(["a", "b"]);
    expect(kept.get("third")).toEqual(["e", "f"]);
    expect(kept.get("fourth")).toEqual(["g"]);
  });

  it("counts a replaced result once, and keeps one larger than the limit until the next", () => {
    const kept = new RecentResults<string[]>(3, lengthOf);
    kept.set("q", ["a", "b"]);
    kept.set("q", ["c", "d"]);
    kept.set("other", ["e"]);
    expect(kept.get("q")).toEqual(["c", "d"]);
    kept.set("huge", ["1", "2", "3", "4", "5"]);
    expect(kept.get("huge")).toHaveLength(5);
    expect(kept.get("q")).toBeUndefined();
    kept.set("small", ["x"]);
    expect(kept.get("huge")).toBeUndefined();
    expect(kept.get("small")).toEqual(["x"]);
  });
});
