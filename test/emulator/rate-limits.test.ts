import { APIErrorCode, Client } from "@notionhq/client";
import { afterEach, describe, expect, it } from "vitest";
import { ManualClock } from "../../src/emulator/clock.ts";
import { startEmulator } from "../../src/emulator/emulator.ts";
import { demoWorkspace } from "../../src/emulator/workspaces/demo/demo-workspace.ts";
import { refusal } from "../support/api-error.ts";
import type { EmulatorSession } from "../support/emulator.ts";
import { openEmulator } from "../support/emulator.ts";

const CONNECTION = "public_api_request_rate_limit";
const WORKSPACE = "public_api_space_request_rate_limit";
const OTHER_TOKEN = "other-integration-token";

let session: EmulatorSession | undefined;
afterEach(async () => {
  await session?.stop();
  session = undefined;
});

/** An emulator on a clock that stands still until the test moves it. */
async function onManualClock(
  options: Parameters<typeof openEmulator>[0] = {},
): Promise<{ session: EmulatorSession; clock: ManualClock }> {
  const clock = new ManualClock(new Date("2026-07-01T09:00:00.000Z"));
  session = await openEmulator({ ...options, clock });
  return { session, clock };
}

/** A client of the same workspace under another integration's token, retries off. */
const otherClient = (open: EmulatorSession) =>
  new Client({
    auth: OTHER_TOKEN,
    baseUrl: open.emulator.url,
    retry: false,
    logger: () => undefined,
  });

const statuses = async (calls: Array<Promise<unknown>>) =>
  (await Promise.allSettled(calls)).map((outcome) => outcome.status);

describe("the per-connection window", () => {
  it("lets the whole budget through in a burst, then answers 429 with the seconds until the window resets", async () => {
    const { session: open, clock } = await onManualClock({
      rateLimit: { kind: "window", requests: 20, windowMs: 2_000 },
    });
    const burst = await statuses(Array.from({ length: 20 }, () => open.notion.users.me({})));
    expect(burst).toEqual(Array.from({ length: 20 }, () => "fulfilled"));

    const { error, retryAfter } = await refusal(open.notion.users.me({}));
    expect(error.status).toBe(429);
    expect(error.code).toBe(APIErrorCode.RateLimited);
    expect(retryAfter).toBe("2");
    expect(error.additional_data).toEqual({ rate_limit_reason: CONNECTION, retry_after: "2" });

    clock.advance(1_500);
    expect((await refusal(open.notion.users.me({}))).retryAfter).toBe("1");
    const refused = open.emulator.log.all().filter((entry) => entry.status === 429);
    expect(refused.map((entry) => [entry.rateLimitReason, entry.rateLimitWindow])).toEqual([
      [CONNECTION, 0],
      [CONNECTION, 0],
    ]);
  });

  it("starts the next window with the whole budget again", async () => {
    const { session: open, clock } = await onManualClock({
      rateLimit: { kind: "window", requests: 20, windowMs: 2_000 },
    });
    await Promise.all(Array.from({ length: 20 }, () => open.notion.users.me({})));
    await refusal(open.notion.users.me({}));
    clock.advance(2_000);
    const next = await statuses(Array.from({ length: 21 }, () => open.notion.users.me({})));
    expect(next.filter((status) => status === "fulfilled")).toHaveLength(20);
    expect(next.filter((status) => status === "rejected")).toHaveLength(1);
    const windows = open.emulator.log
      .all()
      .map((entry) => `${entry.rateLimitWindow}:${entry.status}`);
    expect(windows.filter((item) => item === "1:200")).toHaveLength(20);
    expect(windows.filter((item) => item === "1:429")).toHaveLength(1);
  });

  it("takes the budget spread evenly over the window as well as in a burst", async () => {
    const { session: open, clock } = await onManualClock({
      rateLimit: { kind: "window", requests: 20, windowMs: 2_000 },
    });
    for (let sent = 0; sent < 20; sent += 1) {
      await open.notion.users.me({});
      clock.advance(95);
    }
    // 1,900 ms into the window: 100 ms until it resets, said as a whole second.
    const { error, retryAfter } = await refusal(open.notion.users.me({}));
    expect(error.additional_data?.rate_limit_reason).toBe(CONNECTION);
    expect(retryAfter).toBe("1");
  });

  it("keeps windows on the grid of the first request: an idle spell does not open a new one", async () => {
    const { session: open, clock } = await onManualClock({
      rateLimit: { kind: "window", requests: 3, windowMs: 2_000 },
    });
    await open.notion.users.me({});
    clock.advance(5_300);
    await Promise.all(Array.from({ length: 3 }, () => open.notion.users.me({})));
    const { retryAfter } = await refusal(open.notion.users.me({}));
    expect(retryAfter).toBe("1");
    expect(open.emulator.log.all().map((entry) => entry.rateLimitWindow)).toEqual([0, 2, 2, 2, 2]);
  });

  it("lets a client that honours Retry-After through once the window resets (real time)", async () => {
    session = await openEmulator({
      rateLimit: { kind: "window", requests: 5, windowMs: 1_000 },
      clientRetries: 3,
    });
    const open = session;
    const started = performance.now();
    await Promise.all(Array.from({ length: 8 }, () => open.notion.users.me({})));
    const log = open.emulator.log.all();
    const refused = log.filter((entry) => entry.status === 429);
    expect(refused.length).toBeGreaterThanOrEqual(3);
    expect(refused.every((entry) => entry.rateLimitReason === CONNECTION)).toBe(true);
    expect(log.filter((entry) => entry.status === 200)).toHaveLength(8);
    // No window let more than its budget through.
    const perWindow = new Map<number, number>();
    for (const entry of log.filter((one) => one.status === 200))
      perWindow.set(
        entry.rateLimitWindow ?? -1,
        (perWindow.get(entry.rateLimitWindow ?? -1) ?? 0) + 1,
      );
    expect(Math.max(...perWindow.values())).toBeLessThanOrEqual(5);
    expect(performance.now() - started).toBeGreaterThanOrEqual(500);
  });

  it("spends no budget on a request refused for its token or its Notion-Version", async () => {
    const { session: open } = await onManualClock({
      rateLimit: { kind: "window", requests: 1, windowMs: 60_000 },
    });
    expect(
      (await open.fetchRaw("/v1/users/me", { headers: { authorization: "Bearer no" } })).status,
    ).toBe(401);
    expect(
      (await open.fetchRaw("/v1/users/me", { headers: { "notion-version": "2022-06-28" } })).status,
    ).toBe(400);
    expect((await open.fetchRaw("/v1/users/me")).status).toBe(200);
    expect((await open.fetchRaw("/v1/users/me")).status).toBe(429);
  });
});

describe("several connections and the workspace limit", () => {
  it("gives each token its own budget and refuses on the workspace's once they have spent it together", async () => {
    const { session: open, clock } = await onManualClock({
      extraTokens: [OTHER_TOKEN],
      rateLimit: { kind: "window", requests: 5, windowMs: 2_000 },
      workspaceRateLimit: { requests: 8, windowMs: 10_000 },
    });
    const other = otherClient(open);
    await Promise.all(Array.from({ length: 5 }, () => open.notion.users.me({})));
    const own = await refusal(open.notion.users.me({}));
    expect(own.error.additional_data).toEqual({ rate_limit_reason: CONNECTION, retry_after: "2" });

    // The other integration's window is untouched: it gets the 3 left in the workspace's.
    await Promise.all(Array.from({ length: 3 }, () => other.users.me({})));
    const shared = await refusal(other.users.me({}));
    expect(shared.error.code).toBe(APIErrorCode.RateLimited);
    expect(shared.error.additional_data).toEqual({
      rate_limit_reason: WORKSPACE,
      retry_after: "10",
    });
    expect(shared.retryAfter).toBe("10");

    // The first token's own window has reset, but the workspace's has 8 s to go.
    clock.advance(2_000);
    const held = await refusal(open.notion.users.me({}));
    expect(held.error.additional_data).toEqual({ rate_limit_reason: WORKSPACE, retry_after: "8" });

    clock.advance(8_000);
    await open.notion.users.me({});
    await other.users.me({});
    const byConnection = open.emulator.log
      .all()
      .map((entry) => `${entry.connection}:${entry.status}:${entry.rateLimitReason ?? ""}`);
    expect(byConnection.filter((item) => item.startsWith("0:200"))).toHaveLength(6);
    expect(byConnection.filter((item) => item.startsWith("1:200"))).toHaveLength(4);
    expect(byConnection.filter((item) => item === `1:429:${WORKSPACE}`)).toHaveLength(1);
  });

  it("spends no workspace budget on a request its own connection refused", async () => {
    const { session: open } = await onManualClock({
      extraTokens: [OTHER_TOKEN],
      rateLimit: { kind: "window", requests: 5, windowMs: 2_000 },
      workspaceRateLimit: { requests: 6, windowMs: 10_000 },
    });
    expect(await statuses(Array.from({ length: 8 }, () => open.notion.users.me({})))).toEqual([
      ...Array.from({ length: 5 }, () => "fulfilled"),
      ...Array.from({ length: 3 }, () => "rejected"),
    ]);
    const other = otherClient(open);
    await other.users.me({});
    expect((await refusal(other.users.me({}))).error.additional_data?.rate_limit_reason).toBe(
      WORKSPACE,
    );
  });

  it("answers a Retry-After past a minute for a long workspace window", async () => {
    const { session: open } = await onManualClock({
      workspaceRateLimit: { requests: 2, windowMs: 90_000 },
    });
    await open.notion.users.me({});
    await open.notion.users.me({});
    const { error, retryAfter } = await refusal(open.notion.users.me({}));
    expect(retryAfter).toBe("90");
    expect(error.additional_data).toEqual({ rate_limit_reason: WORKSPACE, retry_after: "90" });
  });

  it("names the limit that holds the request back longer when both are spent", async () => {
    const { session: open } = await onManualClock({
      rateLimit: { kind: "window", requests: 2, windowMs: 2_000 },
      workspaceRateLimit: { requests: 2, windowMs: 30_000 },
    });
    await Promise.all([open.notion.users.me({}), open.notion.users.me({})]);
    const { error, retryAfter } = await refusal(open.notion.users.me({}));
    expect(error.additional_data?.rate_limit_reason).toBe(WORKSPACE);
    expect(retryAfter).toBe("30");
  });

  it("refuses a token it was not given, extra tokens or not", async () => {
    const { session: open } = await onManualClock({ extraTokens: [OTHER_TOKEN] });
    await expect(otherClient(open).users.me({})).resolves.toMatchObject({ object: "user" });
    const stranger = new Client({
      auth: "stranger",
      baseUrl: open.emulator.url,
      retry: false,
      logger: () => undefined,
    });
    expect((await refusal(stranger.users.me({}))).error.code).toBe(APIErrorCode.Unauthorized);
  });
});

describe("the token bucket, kept as an option", () => {
  it("refuses past its burst with Notion's per-connection reason, given with kind or without", async () => {
    for (const limit of [
      { kind: "bucket" as const, perSecond: 0.01, burst: 2 },
      { perSecond: 0.01, burst: 2 },
    ]) {
      session = await openEmulator({ rateLimit: limit });
      const open = session;
      expect(await statuses(Array.from({ length: 3 }, () => open.notion.users.me({})))).toEqual([
        "fulfilled",
        "fulfilled",
        "rejected",
      ]);
      const { error, retryAfter } = await refusal(open.notion.users.me({}));
      expect(retryAfter).toMatch(/^[1-9]\d*$/);
      expect(error.additional_data).toEqual({
        rate_limit_reason: CONNECTION,
        retry_after: retryAfter,
      });
      await open.stop();
      session = undefined;
    }
  });

  it("gives each token its own bucket", async () => {
    session = await openEmulator({
      extraTokens: [OTHER_TOKEN],
      rateLimit: { perSecond: 0.01, burst: 2 },
    });
    const open = session;
    const other = otherClient(open);
    await Promise.all([open.notion.users.me({}), open.notion.users.me({})]);
    await refusal(open.notion.users.me({}));
    await expect(Promise.all([other.users.me({}), other.users.me({})])).resolves.toHaveLength(2);
  });
});

describe("setting the limits", () => {
  it("takes both shapes on the control API and answers the settings in force", async () => {
    session = await openEmulator();
    const put = (body: unknown) =>
      fetch(`${session?.emulator.url}/__emulator/settings`, {
        method: "PUT",
        body: JSON.stringify(body),
      });
    const answer = await put({
      rateLimit: { kind: "window", requests: 600, windowMs: 60_000 },
      workspaceRateLimit: { requests: 2_000, windowMs: 120_000 },
      latencyMs: 5,
    });
    expect(answer.status).toBe(200);
    const expected = {
      latencyMs: 5,
      rateLimit: { kind: "window", requests: 600, windowMs: 60_000 },
      workspaceRateLimit: { requests: 2_000, windowMs: 120_000 },
    };
    expect(await answer.json()).toEqual(expected);

    const refused = await put({
      latencyMs: 0,
      rateLimit: { kind: "window", requests: 0, windowMs: 1 },
    });
    expect(refused.status).toBe(400);
    expect(await refused.text()).toMatch(/rateLimit\.requests must be a whole number/);
    const unchanged = await fetch(`${session.emulator.url}/__emulator/settings`);
    expect(await unchanged.json()).toEqual(expected);

    expect(
      await (await put({ rateLimit: { perSecond: 2 }, workspaceRateLimit: false })).json(),
    ).toMatchObject({
      rateLimit: { kind: "bucket", perSecond: 2, burst: 2 },
      workspaceRateLimit: false,
    });
    expect(await (await put({ rateLimit: false })).json()).toMatchObject({ rateLimit: false });
  });

  it("refuses a malformed limit in process, and tokens that are not distinct", async () => {
    session = await openEmulator();
    const { emulator } = session;
    expect(() => emulator.setRateLimit({ kind: "window", requests: 2.5, windowMs: 1_000 })).toThrow(
      /requests must be a whole number/,
    );
    expect(() => emulator.setRateLimit({ perSecond: 0 })).toThrow(/perSecond must be a number > 0/);
    expect(() => emulator.setWorkspaceRateLimit({ requests: 10, windowMs: -1 })).toThrow(
      /windowMs/,
    );
    expect(emulator.settings().rateLimit).toBe(false);
    await expect(
      startEmulator({ seed: demoWorkspace(), extraTokens: ["emulator-token"] }),
    ).rejects.toThrow(/distinct/);
  });
});
