import { describe, expect, it } from "vitest";
import { settleEach } from "../../src/util/settle-each.ts";

describe("settleEach", () => {
  it("runs at most `limit` items at once and settles each in the items' order", async () => {
    let running = 0;
    let most = 0;
    const outcomes = await settleEach([1, 2, 3, 4, 5, 6, 7], 3, async (item) => {
      running += 1;
      most = Math.max(most, running);
      await new Promise((resolve) => setImmediate(resolve));
      running -= 1;
      if (item === 4) throw new Error("four");
      return item * 10;
    });
    expect(most).toBe(3);
    expect(
      outcomes.map((outcome) => (outcome.status === "fulfilled" ? outcome.value : "x")),
    ).toEqual([10, 20, 30, "x", 50, 60, 70]);
  });

  it("begins no item once the signal fired; those settle rejected with its reason", async () => {
    const abort = new AbortController();
    const begun: number[] = [];
    const outcomes = await settleEach(
      [1, 2, 3, 4],
      1,
      async (item) => {
        begun.push(item);
        if (item === 2) abort.abort(new Error("stop"));
        return item;
      },
      abort.signal,
    );
    expect(begun).toEqual([1, 2]);
    expect(outcomes.map((outcome) => outcome.status)).toEqual([
      "fulfilled",
      "fulfilled",
      "rejected",
      "rejected",
    ]);
    const third = outcomes[2];
    expect(third?.status === "rejected" && (third.reason as Error).message).toBe("stop");
  });
});
