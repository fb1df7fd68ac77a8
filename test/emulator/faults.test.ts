import { APIErrorCode, APIResponseError, RequestTimeoutError } from "@notionhq/client";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import type { EmulatorSession } from "../support/emulator.ts";
import { openEmulator } from "../support/emulator.ts";
import { refusal } from "../support/api-error.ts";
import { firstWritableTextPage } from "../support/demo-lookups.ts";

let session: EmulatorSession;
let pageId: string;
let textProperty: string;

beforeAll(async () => {
  session = await openEmulator({ timeoutMs: 1_500 });
  ({ pageId, property: textProperty } = firstWritableTextPage(session.emulator.dump()));
});
afterEach(() => {
  session.emulator.faults.clear();
  session.emulator.setLatency(0);
});
afterAll(() => session.stop());

const text = (content: string) => ({ rich_text: [{ text: { content } }] });
const plain = (page: Record<string, unknown>, name: string): string => {
  const properties = page.properties as Record<
    string,
    { rich_text: Array<{ plain_text: string }> }
  >;
  return (properties[name]?.rich_text ?? []).map((item) => item.plain_text).join("");
};
const stored = (id: string) =>
  session.emulator.workspace().pages.get(id) as Record<string, unknown>;

describe("fault injection", () => {
  it("status: answers the given code with Retry-After, without handling the request", async () => {
    session.emulator.faults.add({
      method: "GET",
      path: "/v1/users/me",
      nth: 1,
      action: { type: "status", status: 503, retryAfter: 2 },
    });
    const answer = await session.fetchRaw("/v1/users/me");
    expect(answer.status).toBe(503);
    expect(answer.headers.get("retry-after")).toBe("2");
    expect(answer.json.code).toBe("service_unavailable");
    expect((await session.fetchRaw("/v1/users/me")).status).toBe(200);
  });

  it("status 529: Notion's service_overload, its Retry-After in the header and the body", async () => {
    session.emulator.faults.add({
      method: "GET",
      path: "/v1/users/me",
      nth: 1,
      action: { type: "status", status: 529, code: "service_overload", retryAfter: 20 },
    });
    const { error, retryAfter } = await refusal(session.notion.users.me({}));
    expect(session.emulator.faults.list()[0]?.acted).toBe(1);
    expect(error.status).toBe(529);
    expect(error.code).toBe(APIErrorCode.ServiceOverload);
    expect(retryAfter).toBe("20");
    expect(error.additional_data).toEqual({ retry_after: "20" });
    expect(session.emulator.log.all().at(-1)).toMatchObject({
      status: 529,
      code: "service_overload",
    });
  });

  it("status 529 without a code still answers service_overload, the code Notion gives it", async () => {
    session.emulator.faults.add({ nth: 1, action: { type: "status", status: 529 } });
    const answer = await session.fetchRaw("/v1/users/me");
    expect(answer.status).toBe(529);
    expect(answer.json.code).toBe("service_overload");
    expect(answer.headers.get("retry-after")).toBeNull();
    expect(answer.json.additional_data).toBeUndefined();
  });

  it("status 429: names the limit the rule names, and none when it names none", async () => {
    session.emulator.faults.add({
      nth: 1,
      action: { type: "status", status: 429, retryAfter: 90 },
    });
    session.emulator.faults.add({
      nth: 2,
      action: {
        type: "status",
        status: 429,
        retryAfter: 95,
        rateLimitReason: "public_api_space_request_rate_limit",
      },
    });
    const first = await session.fetchRaw("/v1/users/me");
    const second = await session.fetchRaw("/v1/users/me");
    expect(first.json.additional_data).toEqual({ retry_after: "90" });
    expect(second.json.additional_data).toEqual({
      rate_limit_reason: "public_api_space_request_rate_limit",
      retry_after: "95",
    });
    expect(second.headers.get("retry-after")).toBe("95");
    expect(
      session.emulator.log
        .all()
        .slice(-2)
        .map((entry) => entry.rateLimitReason),
    ).toEqual([undefined, "public_api_space_request_rate_limit"]);
  });

  it("delay: answers normally, later", async () => {
    session.emulator.faults.add({ path: "/v1/users/me", action: { type: "delay", ms: 300 } });
    const started = performance.now();
    const answer = await session.fetchRaw("/v1/users/me");
    expect(answer.status).toBe(200);
    expect(performance.now() - started).toBeGreaterThanOrEqual(290);
  });

  it("hang: never answers, so the client times out", async () => {
    session.emulator.faults.add({ path: "/v1/users/me", nth: 1, action: { type: "hang" } });
    await expect(session.notion.users.me({})).rejects.toBeInstanceOf(RequestTimeoutError);
  });

  it("reset: drops the connection before handling a write", async () => {
    const before = plain(stored(pageId), textProperty);
    session.emulator.faults.add({
      method: "PATCH",
      path: "/v1/pages/*",
      nth: 1,
      action: { type: "reset" },
    });
    await expect(
      session.notion.pages.update({
        page_id: pageId,
        properties: { [textProperty]: text("after reset") },
      }),
    ).rejects.toThrow();
    expect(plain(stored(pageId), textProperty)).toBe(before);
  });

  it("fail-before-apply: answers 500 and leaves the page as it was", async () => {
    const before = plain(stored(pageId), textProperty);
    session.emulator.faults.add({
      method: "PATCH",
      path: "/v1/pages/*",
      nth: 1,
      action: { type: "fail-before-apply" },
    });
    const error = await session.notion.pages
      .update({ page_id: pageId, properties: { [textProperty]: text("not applied") } })
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(APIResponseError);
    expect((error as APIResponseError).status).toBe(500);
    expect(plain(stored(pageId), textProperty)).toBe(before);
  });

  it("apply-then-drop: applies the write, then drops the connection", async () => {
    session.emulator.faults.add({
      method: "PATCH",
      path: "/v1/pages/*",
      nth: 1,
      action: { type: "apply-then-drop" },
    });
    await expect(
      session.notion.pages.update({
        page_id: pageId,
        properties: { [textProperty]: text("applied, answer lost") },
      }),
    ).rejects.toThrow();
    expect(plain(stored(pageId), textProperty)).toBe("applied, answer lost");
    const entry = session.emulator.log.all().at(-1);
    expect(entry).toMatchObject({ method: "PATCH", status: 0, applied: true });
  });

  it("truncate-body: applies, then sends half a body", async () => {
    session.emulator.faults.add({
      method: "PATCH",
      path: "/v1/pages/*",
      nth: 1,
      action: { type: "truncate-body" },
    });
    await expect(
      session.notion.pages.update({
        page_id: pageId,
        properties: { [textProperty]: text("half an answer") },
      }),
    ).rejects.toThrow();
    expect(plain(stored(pageId), textProperty)).toBe("half an answer");
  });

  it("mutate: a person edits the page between the client's read and its write", async () => {
    session.emulator.faults.add({
      method: "PATCH",
      path: "/v1/pages/*",
      nth: 1,
      action: {
        type: "mutate",
        edit: { pageId, properties: { [textProperty]: text("typed by a person") } },
      },
    });
    const read = await session.notion.pages.retrieve({ page_id: pageId });
    expect(plain(read as Record<string, unknown>, textProperty)).not.toBe("typed by a person");
    await session.notion.pages.update({
      page_id: pageId,
      properties: { [textProperty]: text("the bot's write") },
    });
    // The person's edit landed first, then the write overwrote it: exactly the race a careful client must check for.
    const edits = session.emulator.log.all().filter((entry) => entry.method === "PATCH");
    expect(edits.at(-1)?.fault).toBeDefined();
    const page = stored(pageId);
    expect(plain(page, textProperty)).toBe("the bot's write");
  });

  it("mutate after: the person's edit lands after the answer, stamped with the person", async () => {
    session.emulator.faults.add({
      method: "GET",
      path: "/v1/pages/*",
      nth: 1,
      action: {
        type: "mutate",
        when: "after",
        edit: { pageId, properties: { [textProperty]: text("edited after the read") } },
      },
    });
    const read = await session.notion.pages.retrieve({ page_id: pageId });
    expect(plain(read as Record<string, unknown>, textProperty)).not.toBe("edited after the read");
    const page = stored(pageId);
    expect(plain(page, textProperty)).toBe("edited after the read");
    const editor = (page.last_edited_by as { id: string }).id;
    expect(session.emulator.workspace().users.get(editor)?.type).toBe("person");
  });

  it("matches the n-th request, from the n-th on, a number of times, or by probability", async () => {
    const { faults } = session.emulator;
    faults.add({ path: "/v1/users", from: 2, times: 2, action: { type: "status", status: 502 } });
    const statuses: number[] = [];
    for (let i = 0; i < 5; i += 1) statuses.push((await session.fetchRaw("/v1/users")).status);
    expect(statuses).toEqual([200, 502, 502, 200, 200]);
    faults.clear();
    faults.add({ path: "/v1/users", probability: 0.5, action: { type: "status", status: 500 } });
    let failures = 0;
    for (let i = 0; i < 40; i += 1)
      if ((await session.fetchRaw("/v1/users")).status === 500) failures += 1;
    expect(failures).toBeGreaterThan(5);
    expect(failures).toBeLessThan(35);
  });

  it("takes rules over the HTTP control endpoint", async () => {
    const armed = await fetch(`${session.emulator.url}/__emulator/faults`, {
      method: "POST",
      body: JSON.stringify({
        method: "GET",
        path: "/v1/users/me",
        nth: 1,
        action: { type: "status", status: 409 },
      }),
    });
    expect(armed.status).toBe(200);
    const answer = await session.fetchRaw("/v1/users/me");
    expect(answer.status).toBe(409);
    expect(answer.json.code).toBe("conflict_error");
    const refused = await fetch(`${session.emulator.url}/__emulator/faults`, {
      method: "POST",
      body: JSON.stringify({ action: { type: "explode" } }),
    });
    expect(refused.status).toBe(400);
  });
});

describe("rate limiting", () => {
  it("answers 429 rate_limited with an integer Retry-After once the burst is spent", async () => {
    session.emulator.setRateLimit({ perSecond: 3, burst: 3 });
    try {
      const statuses = await Promise.all(
        Array.from({ length: 6 }, () => session.fetchRaw("/v1/users/me")),
      );
      const limited = statuses.filter((answer) => answer.status === 429);
      expect(limited.length).toBeGreaterThanOrEqual(2);
      const first = limited[0];
      expect(first?.json.code).toBe("rate_limited");
      expect(first?.headers.get("retry-after")).toMatch(/^[1-9]\d*$/);
    } finally {
      session.emulator.setRateLimit(false);
    }
  });

  it("lets a client that honours Retry-After get through", async () => {
    const patient = await openEmulator({ rateLimit: { perSecond: 2, burst: 1 }, clientRetries: 5 });
    try {
      const started = performance.now();
      await Promise.all([
        patient.notion.users.me({}),
        patient.notion.users.me({}),
        patient.notion.users.me({}),
      ]);
      expect(performance.now() - started).toBeGreaterThanOrEqual(900);
      const statuses = patient.emulator.log.all().map((entry) => entry.status);
      expect(statuses.filter((status) => status === 429).length).toBeGreaterThan(0);
      expect(statuses.filter((status) => status === 200)).toHaveLength(3);
    } finally {
      await patient.stop();
    }
  });

  it("adds the configured latency to every request", async () => {
    session.emulator.setLatency(150);
    const started = performance.now();
    await session.notion.users.me({});
    expect(performance.now() - started).toBeGreaterThanOrEqual(140);
  });
});
