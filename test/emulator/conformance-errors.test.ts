import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { SeedFile } from "../../src/emulator/seed-file.ts";
import type { EmulatorSession } from "../support/emulator.ts";
import { openEmulator } from "../support/emulator.ts";
import { demoSourceId, pagesOf } from "../support/demo-lookups.ts";
import { readFixture, shapeOptionsFor } from "../support/fixtures.ts";
import { RECORDED_KINDS } from "../support/recorded-kinds.ts";
import { shapeDiff } from "../support/shape-diff.ts";

type Raw = Awaited<ReturnType<EmulatorSession["fetchRaw"]>>;

let session: EmulatorSession;
let seed: SeedFile;

beforeAll(async () => {
  session = await openEmulator();
  seed = session.emulator.dump();
});
afterAll(() => session.stop());

/** A message with ids and integration names made neutral, to compare wording. */
const neutral = (message: unknown) =>
  String(message)
    .replace(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g, "<id>")
    .replace(/integration "[^"]*"/g, 'integration "<name>"');

const phase = () => String(pagesOf(seed, demoSourceId(seed, "phases"))[0]?.id);

/**
 * For each recorded error, the request that makes the emulator give the same error, and whether
 * the wording must match too (it must, unless the recording came from a request we cannot make).
 */
const CASES: Record<string, { request: () => Promise<Raw>; sameWording: boolean }> = {
  "py_error_400_invalid_request_url.json": {
    request: () => session.fetchRaw("/v1/invalid"),
    sameWording: true,
  },
  "py_error_401_unauthorized.json": {
    request: () => session.fetchRaw("/v1/users", { headers: { authorization: "Bearer nope" } }),
    sameWording: true,
  },
  "py_error_404_object_not_found.json": {
    request: () => session.fetchRaw("/v1/pages/00000000-0000-0000-0000-000000000000"),
    sameWording: true,
  },
  "un_error_404_page_not_found.json": {
    request: () => session.fetchRaw("/v1/pages/7855b161-f63e-4683-b7c7-8ca6e97ee266"),
    sameWording: true,
  },
  "un_error_404_user_not_found.json": {
    request: () => session.fetchRaw("/v1/users/745e79dd-3e43-40de-9d51-39357c1c428f"),
    sameWording: true,
  },
  // 32 hex digits, but the variant digit (the first of the fourth group) is not 8, 9, a or b.
  "un_error_400_validation_invalid_uuid.json": {
    request: () => session.fetchRaw("/v1/pages/12345678-1234-1234-1234-123456789abc"),
    sameWording: true,
  },
};

/**
 * Errors that no recording we may redistribute shows (see test/fixtures/notion-recorded/SOURCES.md,
 * "Left out"): each must still come in the envelope every recorded error has, with Notion's code,
 * and with the `additional_data` Notion's request-limits page describes where it gives one.
 */
const UNRECORDED: Record<
  string,
  {
    request: () => Promise<Raw>;
    status: number;
    code: string;
    additionalData?: (retryAfter: string | null) => Record<string, string>;
  }
> = {
  "a malformed page id in the path": {
    request: () => session.fetchRaw("/v1/pages/PAGE_ID"),
    status: 400,
    code: "validation_error",
  },
  "a parent that is not a valid id": {
    request: () =>
      session.fetchRaw("/v1/pages", {
        method: "POST",
        body: { parent: { database_id: "DATABASE_ID" }, properties: {} },
      }),
    status: 400,
    code: "validation_error",
  },
  "a rich text array over 100 items": {
    request: () => tooLongRichText(),
    status: 400,
    code: "validation_error",
  },
  "a cursor the emulator never gave out": {
    request: () =>
      session.fetchRaw(`/v1/data_sources/${demoSourceId(seed, "phases")}/query`, {
        method: "POST",
        body: { start_cursor: "149c2e93-a412-8069-b844-cf54d8844af9" },
      }),
    status: 400,
    code: "validation_error",
  },
  "a conflict (409)": {
    request: () => {
      session.emulator.faults.add({
        path: "/v1/users/me",
        nth: 1,
        action: { type: "status", status: 409 },
      });
      return session.fetchRaw("/v1/users/me");
    },
    status: 409,
    code: "conflict_error",
  },
  "the rate limit (429)": {
    request: async () => {
      session.emulator.setRateLimit({ kind: "window", requests: 1, windowMs: 60_000 });
      try {
        await session.fetchRaw("/v1/users/me");
        return await session.fetchRaw("/v1/users/me");
      } finally {
        session.emulator.setRateLimit(false);
      }
    },
    status: 429,
    code: "rate_limited",
    additionalData: (retryAfter) => ({
      rate_limit_reason: "public_api_request_rate_limit",
      retry_after: String(retryAfter),
    }),
  },
  "an overloaded Notion (529)": {
    request: () => {
      session.emulator.faults.add({
        path: "/v1/users/me",
        nth: 1,
        action: { type: "status", status: 529, retryAfter: 20 },
      });
      return session.fetchRaw("/v1/users/me");
    },
    status: 529,
    code: "service_overload",
    additionalData: () => ({ retry_after: "20" }),
  },
};

/** A PATCH of a phase's rich text with 119 items, one over Notion's limit of 100. */
const tooLongRichText = () =>
  session.fetchRaw(`/v1/pages/${phase()}`, {
    method: "PATCH",
    body: {
      properties: {
        projectCode: {
          rich_text: Array.from({ length: 119 }, () => ({ text: { content: "x" } })),
        },
      },
    },
  });

describe("errors have the recorded shapes", () => {
  it("every recorded error has a case", () => {
    expect(Object.keys(CASES).sort()).toEqual([...RECORDED_KINDS.errors].sort());
  });

  for (const [name, { request, sameWording }] of Object.entries(CASES)) {
    it(name, async () => {
      const recorded = readFixture(name);
      const answer = await request();
      expect(answer.status).toBe(recorded.status);
      expect(answer.json.status).toBe(recorded.status);
      expect(answer.json.code).toBe(recorded.code);
      expect(shapeDiff(answer.json, recorded, shapeOptionsFor(name))).toEqual([]);
      expect(answer.headers.get("x-notion-request-id")).toBe(answer.json.request_id);
      if (sameWording) expect(neutral(answer.json.message)).toBe(neutral(recorded.message));
      if (answer.status === 429) expect(answer.headers.get("retry-after")).toMatch(/^\d+$/);
    });
  }

  for (const [what, { request, status, code, additionalData }] of Object.entries(UNRECORDED)) {
    it(`${what}: the recorded error envelope, code ${code}`, async () => {
      const envelope = readFixture("py_error_401_unauthorized.json");
      const answer = await request();
      expect(answer.status).toBe(status);
      expect(answer.json.status).toBe(status);
      expect(answer.json.code).toBe(code);
      // The recorded 404s carry `additional_data` in the same place: an object of strings.
      expect(shapeDiff(answer.json, envelope, { extraAllowed: ["additional_data"] })).toEqual([]);
      expect(answer.headers.get("x-notion-request-id")).toBe(answer.json.request_id);
      const retryAfter = answer.headers.get("retry-after");
      if (status === 429 || status === 529) expect(retryAfter).toMatch(/^\d+$/);
      expect(answer.json.additional_data).toEqual(additionalData?.(retryAfter));
    });
  }

  it("the refused rich text says which limit, as Notion words it", async () => {
    const answer = await tooLongRichText();
    expect(answer.json.message).toMatch(
      /^body failed validation: body\.properties\.projectCode\.rich_text\.length should be ≤ `100`, instead was `119`\.$/,
    );
  });
});
