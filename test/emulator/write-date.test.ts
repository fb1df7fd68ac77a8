import { describe, expect, it } from "vitest";
import { NotionApiError } from "../../src/emulator/errors.ts";
import type { Json } from "../../src/emulator/json.ts";
import { dateFromInput } from "../../src/emulator/write/index.ts";

const date = (raw: Json) => dateFromInput(raw, "properties.Due.date");

function refusal(raw: Json): string {
  try {
    date(raw);
  } catch (error) {
    expect(error).toBeInstanceOf(NotionApiError);
    return (error as NotionApiError).message;
  }
  throw new Error("expected a refusal");
}

describe("date values", () => {
  it("a date without time is kept as written", () => {
    expect(date({ start: "2026-07-01" })).toEqual({
      start: "2026-07-01",
      end: null,
      time_zone: null,
    });
  });

  it("an offset date-time echoes as Notion recorded it, time_zone answered null", () => {
    expect(date({ start: "2024-01-08T12:00:00Z", time_zone: "UTC" })).toEqual({
      start: "2024-01-08T12:00:00.000+00:00",
      end: null,
      time_zone: null,
    });
  });

  it("an explicit offset is kept", () => {
    expect(date({ start: "2021-12-15T08:30:00+09:00", end: "2021-12-15T09:30+09:00" })).toEqual({
      start: "2021-12-15T08:30:00.000+09:00",
      end: "2021-12-15T09:30:00.000+09:00",
      time_zone: null,
    });
  });

  it("a local time with a time zone gets that zone's offset, answered with time_zone null as Notion renders dates", () => {
    expect(date({ start: "2026-01-15T09:00:00", time_zone: "America/New_York" })).toEqual({
      start: "2026-01-15T09:00:00.000-05:00",
      end: null,
      time_zone: null,
    });
    expect(date({ start: "2026-07-15T09:00", time_zone: "America/New_York" }).start).toBe(
      "2026-07-15T09:00:00.000-04:00",
    );
  });

  it("a local time without a time zone is read as UTC", () => {
    expect(date({ start: "2026-07-01T10:15:30.123456" }).start).toBe(
      "2026-07-01T10:15:30.123+00:00",
    );
  });

  it("refuses a missing start, an impossible date and an unknown time zone", () => {
    expect(refusal({ end: "2026-07-01" })).toBe(
      "body failed validation: body.properties.Due.date.start should be defined, instead was `undefined`.",
    );
    expect(refusal({ start: "2026-02-30" })).toMatch(
      /date\.start should be a valid ISO 8601 date string/,
    );
    expect(refusal({ start: "07/01/2026" })).toMatch(
      /date\.start should be a valid ISO 8601 date string/,
    );
    expect(refusal({ start: "2026-07-01T09:00", time_zone: "Mars/Olympus" })).toMatch(
      /date\.time_zone should be a valid time zone/,
    );
  });
});
