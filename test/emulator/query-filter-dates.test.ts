import { describe, expect, it } from "vitest";
import type { Json, JsonObject } from "../../src/emulator/json.ts";
import { compileFilter } from "../../src/emulator/query/filter.ts";

const NOW = new Date("2025-06-18T12:00:00.000Z"); // a Wednesday

const SCHEMA: JsonObject = {
  Due: { id: "due", name: "Due", type: "date", date: {} },
  Created: { id: "crt", name: "Created", type: "created_time", created_time: {} },
};

function page(id: string, start: string | null, created = "2025-06-01T10:00:00.000Z"): JsonObject {
  const date = start === null ? null : { start, end: null, time_zone: null };
  return {
    object: "page",
    id,
    created_time: created,
    last_edited_time: created,
    properties: {
      Due: { id: "due", type: "date", date },
      Created: { id: "crt", type: "created_time", created_time: created },
    },
  };
}

const matching = (filter: Json, pages: JsonObject[]) =>
  pages.filter(compileFilter(filter, SCHEMA, NOW)).map((p) => String(p.id));

describe("date conditions", () => {
  const pages = [
    page("day", "2025-06-10"),
    page("morning", "2025-06-10T08:30:00.000+00:00"),
    page("late-utc", "2025-06-11T00:30:00.000+02:00"), // 2025-06-10T22:30Z
    page("next", "2025-06-11"),
    page("none", null),
  ];
  const due = (condition: Json) => ({ property: "Due", date: condition });

  it("a date-only filter covers the whole UTC day", () => {
    expect(matching(due({ equals: "2025-06-10" }), pages)).toEqual(["day", "morning", "late-utc"]);
  });

  it("a date-time filter compares by the minute, offsets applied", () => {
    expect(matching(due({ equals: "2025-06-10T22:30:00Z" }), pages)).toEqual(["day", "late-utc"]);
    expect(matching(due({ after: "2025-06-10T08:30:00.000Z" }), pages)).toEqual([
      "late-utc",
      "next",
    ]);
  });

  // Recorded (ultimate-notion test_date_query, Notion-Version 2026-03-11): a page dated
  // 18:01:00+01:00 filtered at 18:01:15.377824+01:00 matched equals, on_or_before and
  // on_or_after, and neither before nor after: Notion drops the filter's seconds.
  it("a date-time filter's seconds are dropped: the value's minute is the filter's minute", () => {
    const minutes = [
      page("minute-before", "2026-06-27T18:00:00.000+01:00"),
      page("same-minute", "2026-06-27T18:01:00.000+01:00"),
      page("minute-after", "2026-06-27T18:02:00.000+01:00"),
    ];
    const at = "2026-06-27T18:01:15.377824+01:00";
    expect(matching(due({ equals: at }), minutes)).toEqual(["same-minute"]);
    expect(matching(due({ before: at }), minutes)).toEqual(["minute-before"]);
    expect(matching(due({ on_or_before: at }), minutes)).toEqual(["minute-before", "same-minute"]);
    expect(matching(due({ after: at }), minutes)).toEqual(["minute-after"]);
    expect(matching(due({ on_or_after: at }), minutes)).toEqual(["same-minute", "minute-after"]);
  });

  it("a value with seconds is judged by its minute too", () => {
    const seconds = [page("late-in-minute", "2025-06-10T10:15:59.999Z")];
    expect(matching(due({ equals: "2025-06-10T10:15:00Z" }), seconds)).toEqual(["late-in-minute"]);
    expect(matching(due({ after: "2025-06-10T10:15:30Z" }), seconds)).toEqual([]);
    expect(matching(due({ before: "2025-06-10T10:16:00Z" }), seconds)).toEqual(["late-in-minute"]);
  });

  it("before / on_or_before / on_or_after work on days", () => {
    expect(matching(due({ before: "2025-06-11" }), pages)).toEqual(["day", "morning", "late-utc"]);
    expect(matching(due({ on_or_before: "2025-06-10" }), pages)).toEqual([
      "day",
      "morning",
      "late-utc",
    ]);
    expect(matching(due({ on_or_after: "2025-06-11" }), pages)).toEqual(["next"]);
  });

  it("empty dates match only is_empty", () => {
    expect(matching(due({ is_empty: true }), pages)).toEqual(["none"]);
    expect(matching(due({ before: "2030-01-01" }), pages)).not.toContain("none");
    expect(matching(due({ is_not_empty: true }), pages)).toHaveLength(4);
  });

  it("relative windows count whole days around now, today included", () => {
    const around = [
      page("week-ago", "2025-06-11"),
      page("too-old", "2025-06-10"),
      page("today", "2025-06-18T23:00:00Z"),
      page("in-a-week", "2025-06-25"),
      page("in-a-month", "2025-07-18"),
      page("next-year", "2026-06-01"),
    ];
    expect(matching(due({ past_week: {} }), around)).toEqual(["week-ago", "today"]);
    expect(matching(due({ next_week: {} }), around)).toEqual(["today", "in-a-week"]);
    expect(matching(due({ next_month: {} }), around)).toEqual(["today", "in-a-week", "in-a-month"]);
    expect(matching(due({ past_month: {} }), around)).toEqual(["week-ago", "too-old", "today"]);
    expect(matching(due({ next_year: {} }), around)).toHaveLength(4);
  });

  it("this_week runs Sunday to Saturday", () => {
    const week = [
      page("sun", "2025-06-15"),
      page("sat", "2025-06-21"),
      page("mon-after", "2025-06-23"),
    ];
    expect(matching(due({ this_week: {} }), week)).toEqual(["sun", "sat"]);
  });

  it("relative date values name a day relative to now", () => {
    const days = [page("yesterday", "2025-06-17"), page("today", "2025-06-18")];
    expect(matching(due({ equals: "today" }), days)).toEqual(["today"]);
    expect(matching(due({ before: "today" }), days)).toEqual(["yesterday"]);
  });

  it("reads a zone-less start in the value's time zone", () => {
    const zoned: JsonObject = {
      id: "ny",
      created_time: "2025-06-01T00:00:00.000Z",
      properties: {
        Due: {
          id: "due",
          type: "date",
          date: { start: "2025-06-10T22:00:00.000", end: null, time_zone: "America/New_York" },
        },
      },
    };
    // 22:00 in New York is 02:00 UTC the next day.
    expect(matching(due({ equals: "2025-06-11" }), [zoned])).toEqual(["ny"]);
  });
});

describe("timestamp filters", () => {
  const pages = [
    page("old", null, "2025-01-01T09:00:00.000Z"),
    page("new", null, "2025-06-17T09:00:00.000Z"),
  ];

  it("filter on created_time without a property", () => {
    const filter = { timestamp: "created_time", created_time: { on_or_after: "2025-06-01" } };
    expect(matching(filter, pages)).toEqual(["new"]);
  });

  it("a timestamp filter with seconds takes the page's whole minute", () => {
    const stamped = [page("stamped", null, "2025-06-17T10:15:00.000Z")];
    const since = (on_or_after: string) => ({
      timestamp: "last_edited_time",
      last_edited_time: { on_or_after },
    });
    expect(matching(since("2025-06-17T10:15:42Z"), stamped)).toEqual(["stamped"]);
    expect(matching(since("2025-06-17T10:16:00Z"), stamped)).toEqual([]);
    const created = { timestamp: "created_time", created_time: { after: "2025-06-17T10:15:42Z" } };
    expect(matching(created, stamped)).toEqual([]);
  });

  it("filter on last_edited_time with a relative window", () => {
    const filter = { timestamp: "last_edited_time", last_edited_time: { past_week: {} } };
    expect(matching(filter, pages)).toEqual(["new"]);
  });

  it("a created_time property takes a date condition under either key", () => {
    expect(
      matching({ property: "Created", created_time: { before: "2025-02-01" } }, pages),
    ).toEqual(["old"]);
    expect(matching({ property: "Created", date: { after: "2025-02-01" } }, pages)).toEqual([
      "new",
    ]);
  });
});
