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
  // Notion refused "12345678-1234-1234-1234-123456789abc" (not an RFC 4122 variant); the
  // emulator accepts any 32 hex digits, so it is shown a plainly malformed id instead.
  "un_error_400_validation_invalid_uuid.json": {
    request: () => session.fetchRaw("/v1/pages/12345678-1234-1234-1234-123456789abcz"),
    sameWording: false,
  },
  "unattr_error_400_path_page_id_invalid_uuid.json": {
    request: () => session.fetchRaw("/v1/pages/PAGE_ID"),
    sameWording: true,
  },
  "unattr_error_400_parent_fix_one_2025-09-03.json": {
    request: () =>
      session.fetchRaw("/v1/pages", {
        method: "POST",
        body: { parent: { database_id: "DATABASE_ID" }, properties: {} },
      }),
    sameWording: true,
  },
  // Recorded from block children; the same limit on a page's rich text property.
  "unattr_error_400_rich_text_array_over_100.json": {
    request: () =>
      session.fetchRaw(`/v1/pages/${phase()}`, {
        method: "PATCH",
        body: {
          properties: {
            projectCode: {
              rich_text: Array.from({ length: 119 }, () => ({ text: { content: "x" } })),
            },
          },
        },
      }),
    sameWording: false,
  },
  // Recorded from a request whose context is unknown; the emulator's refused cursor.
  "unattr_error_400_start_cursor_not_present.json": {
    request: () =>
      session.fetchRaw(`/v1/data_sources/${demoSourceId(seed, "phases")}/query`, {
        method: "POST",
        body: { start_cursor: "149c2e93-a412-8069-b844-cf54d8844af9" },
      }),
    sameWording: false,
  },
  "unattr_error_409_conflict.json": {
    request: () => {
      session.emulator.faults.add({
        path: "/v1/users/me",
        nth: 1,
        action: { type: "status", status: 409 },
      });
      return session.fetchRaw("/v1/users/me");
    },
    sameWording: true,
  },
  "issue_error_429_rate_limited.json": {
    request: async () => {
      session.emulator.setRateLimit({ perSecond: 0.01, burst: 1 });
      try {
        await session.fetchRaw("/v1/users/me");
        return await session.fetchRaw("/v1/users/me");
      } finally {
        session.emulator.setRateLimit(false);
      }
    },
    sameWording: true,
  },
};

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

  it("the refused rich text says which limit, as Notion words it", async () => {
    const answer = await CASES["unattr_error_400_rich_text_array_over_100.json"]!.request();
    expect(answer.json.message).toMatch(
      /^body failed validation: body\.properties\.projectCode\.rich_text\.length should be ≤ `100`, instead was `119`\.$/,
    );
  });
});
