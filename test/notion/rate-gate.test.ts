import { describe, expect, it } from "vitest";
import { RateGate, WaitAborted } from "../../src/notion/rate-gate.ts";
import { manualTime } from "./support/simulated-notion.ts";

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
    const gate = new RateGate({ ceiling: 4, now: time.now, sleep: time.sleep });
    const releases: number[] = [];
    for (let i = 0; i < 5; i += 1) {
      await gate.acquire();
      releases.push(time.now());
    }
    expect(releases).toEqual([0, 250, 500, 750, 1000]);
  });

  it("never releases a bunch after a stall: spacing counts from the last actual release", async () => {
    const time = fakeTime();
    const gate = new RateGate({ ceiling: 4, now: time.now, sleep: time.sleep });
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
    const gate = new RateGate({ ceiling: 100, now: time.now, sleep: time.sleep });
    gate.pause(1_000);
    gate.pause(500);
    await gate.acquire();
    expect(time.now()).toBe(1_000);
  });

  it("does not pace at all without a limit", async () => {
    const time = fakeTime();
    const gate = new RateGate({ ceiling: Infinity, now: time.now, sleep: time.sleep });
    for (let i = 0; i < 10; i += 1) await gate.acquire();
    expect(time.now()).toBe(0);
  });
});

/** Records when each named request was released. */
function releases(time: { now: () => number }) {
  const at = new Map<string, number>();
  return {
    at,
    track: (name: string, wait: Promise<unknown>) =>
      wait.then(
        () => void at.set(name, time.now()),
        (error: unknown) => void at.set(name, error instanceof WaitAborted ? -1 : -2),
      ),
  };
}

/** The most requests released within any span of `spanMs`. */
function busiestSpan(times: readonly number[], spanMs: number): number {
  const sorted = [...times].sort((a, b) => a - b);
  let most = 0;
  for (let i = 0; i < sorted.length; i += 1) {
    const start = sorted[i] ?? 0;
    most = Math.max(most, sorted.filter((t) => t >= start && t < start + spanMs).length);
  }
  return most;
}

describe("the rate gate's page lanes", () => {
  it("sends a page's write one round trip after its own read, ahead of other pages' queued reads", async () => {
    const time = manualTime();
    const gate = new RateGate({ ceiling: 4, now: time.now, sleep: time.sleep }); // one request per 250 ms
    const log = releases(time);
    const a = gate.lane();
    const others = [gate.lane(), gate.lane(), gate.lane()];
    void log.track("read a", a.reads.acquire());
    others.forEach((lane, i) => void log.track(`read ${i}`, lane.reads.acquire()));
    await time.advanceTo(100); // a's page is back: 100 ms round trip
    void log.track("write a", a.writes.acquire());
    await time.advanceTo(2_000);
    expect(log.at.get("read a")).toBe(0);
    // Its write does not queue behind the three reads waiting since 0 ms.
    expect(log.at.get("write a")).toBe(100);
    // The write's slot was reserved with the read: the next read waits two slots, not one.
    expect([0, 1, 2].map((i) => log.at.get(`read ${i}`))).toEqual([500, 1_000, 1_500]);
  });

  it("keeps every page's window to one round trip over a run, at the full rate and never above it", async () => {
    const time = manualTime();
    const gate = new RateGate({ ceiling: 4, now: time.now, sleep: time.sleep });
    const roundTrip = 120;
    const reads: number[] = [];
    const writes: number[] = [];
    let next = 0;
    const pages = 12;
    // Three workers, each reading a page, writing it one round trip later, then taking the next.
    const worker = async () => {
      while (next < pages) {
        next += 1;
        const lane = gate.lane();
        await lane.reads.acquire();
        const read = time.now();
        reads.push(read);
        await new Promise<void>((resolve) => void time.sleep(roundTrip).then(resolve));
        await lane.writes.acquire();
        writes.push(time.now() - read);
        lane.close();
        await new Promise<void>((resolve) => void time.sleep(roundTrip).then(resolve));
      }
    };
    const done = Promise.all([worker(), worker(), worker()]);
    await time.advanceTo(20_000);
    await done;
    expect(writes).toEqual(Array.from({ length: pages }, () => roundTrip));
    // Two requests per page at 4 per second: a page every 500 ms, the rate fully used.
    expect(reads).toEqual(Array.from({ length: pages }, (_, i) => i * 500));
    const all = [...reads, ...reads.map((read) => read + roundTrip)];
    expect(busiestSpan(all, 1_000)).toBeLessThanOrEqual(4 + 2);
    expect(busiestSpan(all, 5_000)).toBeLessThanOrEqual(20 + 2);
  });

  it("gives back a write slot the page did not use (nothing to write)", async () => {
    const time = manualTime();
    const gate = new RateGate({ ceiling: 4, now: time.now, sleep: time.sleep });
    const log = releases(time);
    const a = gate.lane();
    void log.track("read a", a.reads.acquire());
    void log.track("read b", gate.lane().reads.acquire());
    await time.advanceTo(100);
    a.close(); // protected: no write
    a.close(); // idempotent: one slot given back, not two
    await time.advanceTo(2_000);
    expect(log.at.get("read b")).toBe(250);
  });

  it("starts pages at least 20 ms apart without a ceiling, while a page's own requests wait for nothing", async () => {
    const time = manualTime();
    const gate = new RateGate({ now: time.now, sleep: time.sleep });
    const log = releases(time);
    const first = gate.lane();
    void log.track("read a", first.reads.acquire());
    void log.track("read b", gate.lane().reads.acquire());
    void log.track("read c", gate.lane().reads.acquire());
    void log.track("plain request", gate.acquire());
    await time.advanceTo(5);
    void log.track("a's write", first.writes.acquire());
    await time.advanceTo(1_000);
    expect(log.at.get("read a")).toBe(0);
    expect(log.at.get("plain request")).toBe(0);
    expect(log.at.get("a's write")).toBe(5);
    expect(log.at.get("read b")).toBe(20);
    expect(log.at.get("read c")).toBe(40);
  });

  it("lets a page already under way read again before other pages' first reads", async () => {
    const time = manualTime();
    const gate = new RateGate({ ceiling: 4, now: time.now, sleep: time.sleep });
    const log = releases(time);
    const a = gate.lane();
    void log.track("read a", a.reads.acquire());
    void log.track("read b", gate.lane().reads.acquire());
    void log.track("read c", gate.lane().reads.acquire());
    await time.advanceTo(100);
    void log.track("a's relation past 25", a.reads.acquire()); // paid like any request, but first
    await time.advanceTo(3_000);
    expect(log.at.get("a's relation past 25")).toBe(500);
    expect(log.at.get("read b")).toBe(750);
    expect(log.at.get("read c")).toBe(1_250);
  });

  it("caps a pile-up of writes at two requests above the pace", async () => {
    const time = manualTime();
    const gate = new RateGate({ ceiling: 4, now: time.now, sleep: time.sleep });
    const log = releases(time);
    const lanes = [gate.lane(), gate.lane(), gate.lane()];
    lanes.forEach((lane, i) => void log.track(`read ${i}`, lane.reads.acquire()));
    await time.advanceTo(1_100); // reads at 0, 500, 1000; then every write comes back at once
    lanes.forEach((lane, i) => void log.track(`write ${i}`, lane.writes.acquire()));
    await time.advanceTo(3_000);
    expect([0, 1, 2].map((i) => log.at.get(`read ${i}`))).toEqual([0, 500, 1_000]);
    expect([0, 1, 2].map((i) => log.at.get(`write ${i}`))).toEqual([1_100, 1_250, 1_500]);
    expect(busiestSpan([...log.at.values()], 500)).toBeLessThanOrEqual(2 + 2);
  });

  it("holds reserved writes too until a Retry-After has passed", async () => {
    const time = manualTime();
    const gate = new RateGate({ ceiling: 4, now: time.now, sleep: time.sleep });
    const log = releases(time);
    const a = gate.lane();
    void log.track("read a", a.reads.acquire());
    await time.advanceTo(100);
    gate.pause(2_000);
    void log.track("write a", a.writes.acquire());
    await time.advanceTo(5_000);
    expect(log.at.get("write a")).toBe(2_100);
  });

  it("gives up a page's queued read when its signal fires, and the next page takes the turn", async () => {
    const time = manualTime();
    const gate = new RateGate({ ceiling: 4, now: time.now, sleep: time.sleep });
    const log = releases(time);
    const stop = new AbortController();
    const a = gate.lane(stop.signal);
    void log.track("read a", a.reads.acquire());
    const b = gate.lane(stop.signal);
    void log.track("read b", b.reads.acquire());
    void log.track("read c", gate.lane().reads.acquire()); // no signal: not stopped
    await time.advanceTo(100);
    stop.abort();
    await time.advanceTo(100);
    expect(log.at.get("read b")).toBe(-1); // WaitAborted: never sent
    b.close(); // it reserved nothing
    // a's read was sent before the signal: its page goes on, reads and write alike.
    void log.track("write a", a.writes.acquire());
    void log.track("read back a", a.reads.acquire());
    await time.advanceTo(3_000);
    expect(log.at.get("read a")).toBe(0);
    expect(log.at.get("write a")).toBe(100);
    expect(log.at.get("read back a")).toBe(500); // a page under way goes first
    expect(log.at.get("read c")).toBe(750);
    // A page started after the signal is not started at all.
    await expect(gate.lane(stop.signal).reads.acquire()).rejects.toBeInstanceOf(WaitAborted);
  });
});
