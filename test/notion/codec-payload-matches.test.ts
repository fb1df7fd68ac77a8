import { describe, expect, it } from "vitest";
import type { PropertyValue } from "../../src/notion/codec/index.ts";
import { payloadMatches } from "../../src/notion/codec/index.ts";
import { readFixture } from "../support/fixtures.ts";

type DateBody = { start: string; end?: string | null; time_zone?: string | null };

/** A live date value as Notion answers it: time_zone null, the zone shown as the offset. */
const live = (start: string, end: string | null = null): PropertyValue => ({
  id: "d",
  type: "date",
  date: { start, end, time_zone: null },
});
const sent = (date: DateBody | null) => ({ date });

describe("payloadMatches judges a date write the way Notion stores it", () => {
  it("takes the recorded answer to a write with seconds as that write", () => {
    const recorded = readFixture("un_page_create_date_seconds_cut.json");
    const released = (recorded.properties as Record<string, PropertyValue>).Released;
    if (!released) throw new Error("the recording has no Released");
    expect(
      payloadMatches(
        released,
        sent({ start: "2026-06-27T17:57:38.091433", time_zone: "Europe/London" }),
      ),
    ).toBe(true);
    expect(
      payloadMatches(released, sent({ start: "2026-06-27T17:58:00", time_zone: "Europe/London" })),
    ).toBe(false);
  });

  it("an instant with seconds is held by the minute Notion cut it to, and by no other minute", () => {
    const written = sent({ start: "2026-07-25T16:57:28.513Z" });
    expect(payloadMatches(live("2026-07-25T16:57:00.000+00:00"), written)).toBe(true);
    expect(payloadMatches(live("2026-07-25T18:57:00.000+02:00"), written)).toBe(true);
    expect(payloadMatches(live("2026-07-25T16:58:00.000+00:00"), written)).toBe(false);
    expect(payloadMatches(live("2026-07-25T16:56:00.000+00:00"), written)).toBe(false);
  });

  it("a wall-clock time beside a time zone is held by the instant it names there", () => {
    const written = sent({
      start: "2026-03-29T01:30:45.000",
      end: "2026-03-29T03:15:59.900",
      time_zone: "Europe/Paris",
    });
    expect(
      payloadMatches(
        live("2026-03-29T01:30:00.000+01:00", "2026-03-29T03:15:00.000+02:00"),
        written,
      ),
    ).toBe(true);
    // The same instants shown in UTC.
    expect(
      payloadMatches(
        live("2026-03-29T00:30:00.000+00:00", "2026-03-29T01:15:00.000+00:00"),
        written,
      ),
    ).toBe(true);
    // The wall-clock digits read as UTC are other instants.
    expect(
      payloadMatches(
        live("2026-03-29T01:30:00.000+00:00", "2026-03-29T03:15:00.000+00:00"),
        written,
      ),
    ).toBe(false);
  });

  it("a time a DST change makes ambiguous is held by either instant it can name", () => {
    // 01:30 happens twice in New York on 2025-11-02: at -04:00, then at -05:00.
    const written = sent({ start: "2025-11-02T01:30:00", time_zone: "America/New_York" });
    expect(payloadMatches(live("2025-11-02T01:30:00.000-04:00"), written)).toBe(true);
    expect(payloadMatches(live("2025-11-02T01:30:00.000-05:00"), written)).toBe(true);
    expect(payloadMatches(live("2025-11-02T02:30:00.000-05:00"), written)).toBe(false);
  });

  it("a floating time (no offset, no zone) is held by that minute in UTC, as Notion reads it", () => {
    const written = sent({ start: "2026-07-01T09:30:45.000" });
    expect(payloadMatches(live("2026-07-01T09:30:00.000+00:00"), written)).toBe(true);
    expect(payloadMatches(live("2026-07-01T11:30:00.000+02:00"), written)).toBe(true);
    expect(payloadMatches(live("2026-07-01T09:31:00.000+00:00"), written)).toBe(false);
    // The same digits in another zone are another instant: a person's value, not this write.
    expect(payloadMatches(live("2026-07-01T09:30:00.000+02:00"), written)).toBe(false);
  });

  it("compares ends, and a date without time only with that date", () => {
    expect(
      payloadMatches(
        live("2026-07-01", "2026-07-04"),
        sent({ start: "2026-07-01", end: "2026-07-04" }),
      ),
    ).toBe(true);
    expect(
      payloadMatches(
        live("2026-07-01", "2026-07-05"),
        sent({ start: "2026-07-01", end: "2026-07-04" }),
      ),
    ).toBe(false);
    expect(
      payloadMatches(live("2026-07-01"), sent({ start: "2026-07-01", end: "2026-07-04" })),
    ).toBe(false);
    expect(payloadMatches(live("2026-07-01", "2026-07-04"), sent({ start: "2026-07-01" }))).toBe(
      false,
    );
    expect(
      payloadMatches(live("2026-07-01T00:00:00.000+00:00"), sent({ start: "2026-07-01" })),
    ).toBe(false);
    expect(payloadMatches(live("2026-07-01"), sent({ start: "2026-07-01T00:00:00Z" }))).toBe(false);
  });

  it("a cleared date is held by an empty value only, and a bad payload by nothing", () => {
    const empty: PropertyValue = { id: "d", type: "date", date: null };
    expect(payloadMatches(empty, sent(null))).toBe(true);
    expect(payloadMatches(live("2026-07-01"), sent(null))).toBe(false);
    expect(payloadMatches(empty, sent({ start: "2026-07-01" }))).toBe(false);
    expect(payloadMatches(live("2026-07-01"), { date: { start: 20260701 } })).toBe(false);
    expect(
      payloadMatches(
        live("2026-07-01T09:00:00.000+00:00"),
        sent({ start: "2026-07-01T09:00", time_zone: "Mars/Olympus" }),
      ),
    ).toBe(false);
  });
});
