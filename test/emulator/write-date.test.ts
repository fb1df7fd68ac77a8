import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { NotionApiError } from "../../src/emulator/errors.ts";
import type { Json } from "../../src/emulator/json.ts";
import { dateFromInput } from "../../src/emulator/write/index.ts";
import { demoSourceId, pagesOf } from "../support/demo-lookups.ts";
import type { EmulatorSession } from "../support/emulator.ts";
import { openEmulator } from "../support/emulator.ts";
import { readFixture } from "../support/fixtures.ts";

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
    expect(date({ start: "2026-07-01T10:15" }).start).toBe("2026-07-01T10:15:00.000+00:00");
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

type Obj = Record<string, unknown>;

describe("date-times are stored cut to the minute, as Notion stores them", () => {
  it("answers a recorded write with seconds exactly as Notion answered it", () => {
    // POST /v1/pages with Released {start: "2026-06-27T17:57:38.091433", time_zone: "Europe/London"}.
    const recorded = readFixture("un_page_create_date_seconds_cut.json");
    const released = (recorded.properties as Record<string, Obj>).Released;
    expect(released?.date).toEqual({
      start: "2026-06-27T17:57:00.000+01:00",
      end: null,
      time_zone: null,
    });
    expect(date({ start: "2026-06-27T17:57:38.091433", time_zone: "Europe/London" })).toEqual(
      released?.date,
    );
  });

  it("cuts seconds and milliseconds, never rounds them up (28.513 s and 59.999 s alike)", () => {
    expect(date({ start: "2026-07-25T16:57:28.513Z" })).toEqual({
      start: "2026-07-25T16:57:00.000+00:00",
      end: null,
      time_zone: null,
    });
    // A cut that rounded would carry into the next minute, hour, day and year.
    expect(date({ start: "2026-12-31T23:59:59.999Z" }).start).toBe("2026-12-31T23:59:00.000+00:00");
    expect(date({ start: "2026-07-25T16:57:30Z" }).start).toBe("2026-07-25T16:57:00.000+00:00");
  });

  it("cuts the end too, keeps each offset as written, and reads a zoned wall-clock time in its zone", () => {
    expect(
      date({ start: "2021-12-15T08:30:45.5+09:00", end: "2021-12-15T09:30:59-05:30" }),
    ).toEqual({
      start: "2021-12-15T08:30:00.000+09:00",
      end: "2021-12-15T09:30:00.000-05:30",
      time_zone: null,
    });
    expect(
      date({
        start: "2025-03-30T01:30:15",
        end: "2025-03-30T04:15:45.250",
        time_zone: "Europe/Paris",
      }),
    ).toEqual({
      start: "2025-03-30T01:30:00.000+01:00",
      end: "2025-03-30T04:15:00.000+02:00",
      time_zone: null,
    });
  });

  it("leaves dates without time untouched", () => {
    expect(date({ start: "2026-07-01", end: "2026-07-04" })).toEqual({
      start: "2026-07-01",
      end: "2026-07-04",
      time_zone: null,
    });
  });
});

describe("date writes round-trip over HTTP", () => {
  let session: EmulatorSession;
  let pageId: string;
  beforeAll(async () => {
    session = await openEmulator();
    const seed = session.emulator.dump();
    pageId = String(pagesOf(seed, demoSourceId(seed, "phases"))[1]?.id);
  });
  afterAll(() => session.stop());

  const write = async (value: Obj): Promise<{ answered: unknown; read: unknown }> => {
    const answer = await session.fetchRaw(`/v1/pages/${pageId}`, {
      method: "PATCH",
      body: { properties: { Dates: { date: value } } },
    });
    expect(answer.status).toBe(200);
    const read = await session.fetchRaw(`/v1/pages/${pageId}`);
    const dates = (page: Obj) => (page.properties as Record<string, Obj>).Dates?.date;
    return { answered: dates(answer.json), read: dates(read.json) };
  };

  it.each([
    [
      "seconds and milliseconds, Z",
      { start: "2026-07-25T16:57:28.513Z" },
      { start: "2026-07-25T16:57:00.000+00:00", end: null, time_zone: null },
    ],
    [
      "microseconds beside a time zone",
      { start: "2026-06-24T17:33:21.134864", time_zone: "Europe/London" },
      { start: "2026-06-24T17:33:00.000+01:00", end: null, time_zone: null },
    ],
    [
      "an offset and an end",
      { start: "2026-01-15T09:00:31+05:30", end: "2026-01-15T17:45:59.9+05:30" },
      {
        start: "2026-01-15T09:00:00.000+05:30",
        end: "2026-01-15T17:45:00.000+05:30",
        time_zone: null,
      },
    ],
    [
      "a date range without time",
      { start: "2026-02-01", end: "2026-02-03" },
      { start: "2026-02-01", end: "2026-02-03", time_zone: null },
    ],
  ])("%s: answered and read back as stored", async (_what, value, stored) => {
    const { answered, read } = await write(value);
    expect(answered).toEqual(stored);
    expect(read).toEqual(stored);
  });

  it("a page's date mention comes back cut too", async () => {
    const seed = session.emulator.dump();
    const notes = Object.entries(
      (seed.pages.find((page) => page.id === pageId)?.properties ?? {}) as Record<string, Obj>,
    ).find(([, value]) => value.type === "rich_text")?.[0];
    expect(notes).toBeDefined();
    const answer = await session.fetchRaw(`/v1/pages/${pageId}`, {
      method: "PATCH",
      body: {
        properties: {
          [String(notes)]: {
            rich_text: [{ type: "mention", mention: { date: { start: "2026-07-01T09:00:42Z" } } }],
          },
        },
      },
    });
    expect(answer.status).toBe(200);
    const [item] = (answer.json.properties as Record<string, Obj>)[String(notes)]
      ?.rich_text as Obj[];
    expect((item?.mention as Obj).date).toEqual({
      start: "2026-07-01T09:00:00.000+00:00",
      end: null,
      time_zone: null,
    });
  });
});
