import type { DataSourceObjectResponse } from "@notionhq/client";
import { describe, expect, it } from "vitest";
import { fillPayload } from "../../src/notion/codec/index.ts";
import type { FillTargetProperty } from "../../src/notion/codec/index.ts";
import { readFixture } from "../support/fixtures.ts";

const phaseStatus: FillTargetProperty = {
  name: "Phase status",
  type: "status",
  status: {
    options: [
      { id: "s1", name: "Not started" },
      { id: "s2", name: "Active" },
      { id: "s3", name: "Complete" },
    ],
  },
};
const area: FillTargetProperty = {
  name: "Area",
  type: "select",
  select: {
    options: [
      { id: "a1", name: "Ops" },
      { id: "a2", name: "Tech" },
    ],
  },
};
const tags: FillTargetProperty = {
  name: "Tags",
  type: "multi_select",
  multi_select: {
    options: [
      { id: "t1", name: "red" },
      { id: "t2", name: "blue" },
    ],
  },
};
const target = (type: string, name = "Field"): FillTargetProperty => ({ name, type });

function reasonOf(result: ReturnType<typeof fillPayload>): string {
  if (result.ok) throw new Error(`expected a refusal, got ${JSON.stringify(result.payload)}`);
  return result.reason;
}

describe("fillPayload accepts", () => {
  it("an existing status or select option by name, sent by its id, and takes a real data source property", () => {
    // By id: Notion never creates an option from one, even if it was renamed since the plan.
    expect(fillPayload("status", phaseStatus, "Active")).toEqual({
      ok: true,
      payload: { status: { id: "s2" } },
    });
    const schema = readFixture(
      "un_data_source_retrieve_select_2025-09-03.json",
    ) as unknown as DataSourceObjectResponse;
    const select = Object.values(schema.properties).find((property) => property.type === "select");
    if (!select || select.type !== "select") throw new Error("recorded select property missing");
    const first = select.select.options[0];
    if (!first) throw new Error("recorded select has no options");
    expect(fillPayload("select", select, first.name)).toEqual({
      ok: true,
      payload: { select: { id: first.id } },
    });
  });

  it("a new select option only when the rule allows it, by name (Notion creates it)", () => {
    expect(fillPayload("select", area, "Legal", { allowNewOption: true })).toEqual({
      ok: true,
      payload: { select: { name: "Legal" } },
    });
  });

  it("multi_select names in order from an array or a JSON array text, sent by id", () => {
    const expected = { ok: true, payload: { multi_select: [{ id: "t2" }, { id: "t1" }] } };
    expect(fillPayload("multi_select", tags, ["blue", "red"])).toEqual(expected);
    expect(fillPayload("multi_select", tags, '["blue","red"]')).toEqual(expected);
    expect(fillPayload("multi_select", tags, "red")).toEqual({
      ok: true,
      payload: { multi_select: [{ id: "t1" }] },
    });
    expect(fillPayload("multi_select", tags, ["red", "green"], { allowNewOption: true })).toEqual({
      ok: true,
      payload: { multi_select: [{ id: "t1" }, { name: "green" }] },
    });
  });

  it("finite numbers, also as exact decimal text", () => {
    expect(fillPayload("number", target("number"), 12.5)).toEqual({
      ok: true,
      payload: { number: 12.5 },
    });
    expect(fillPayload("number", target("number"), " -3e2 ")).toEqual({
      ok: true,
      payload: { number: -300 },
    });
  });

  it("checkbox booleans and SQLite's 0 / 1", () => {
    expect(fillPayload("checkbox", target("checkbox"), true)).toEqual({
      ok: true,
      payload: { checkbox: true },
    });
    expect(fillPayload("checkbox", target("checkbox"), 0)).toEqual({
      ok: true,
      payload: { checkbox: false },
    });
  });

  it("ISO dates, date-times (SQLite's space form too) and {start, end, time_zone}", () => {
    expect(fillPayload("date", target("date"), "2026-07-01")).toEqual({
      ok: true,
      payload: { date: { start: "2026-07-01", end: null, time_zone: null } },
    });
    expect(fillPayload("date", target("date"), "2026-07-01 09:30:00")).toEqual({
      ok: true,
      payload: { date: { start: "2026-07-01T09:30:00.000", end: null, time_zone: null } },
    });
    expect(fillPayload("date", target("date"), "2024-01-08T12:00:00Z")).toEqual({
      ok: true,
      payload: { date: { start: "2024-01-08T12:00:00.000+00:00", end: null, time_zone: null } },
    });
    expect(
      fillPayload(
        "date",
        target("date"),
        '{"start":"2026-07-01T09:00","end":"2026-07-01T10:00","time_zone":"Europe/Paris"}',
      ),
    ).toEqual({
      ok: true,
      payload: {
        date: {
          start: "2026-07-01T09:00:00.000",
          end: "2026-07-01T10:00:00.000",
          time_zone: "Europe/Paris",
        },
      },
    });
  });

  it("a date-time with seconds is planned as the minute Notion stores, and says so", () => {
    expect(fillPayload("date", target("date"), "2026-07-25 16:57:28")).toEqual({
      ok: true,
      payload: { date: { start: "2026-07-25T16:57:00.000", end: null, time_zone: null } },
      adjusted: {
        natural: "2026-07-25T16:57:00.000",
        note: 'seconds dropped: Notion keeps date-times to the minute (the rule gave "2026-07-25 16:57:28")',
      },
    });
    // Cut, never rounded up: 59.999 s stays in its minute, hour, day and year.
    expect(fillPayload("date", target("date"), "2026-12-31T23:59:59.999Z")).toMatchObject({
      payload: { date: { start: "2026-12-31T23:59:00.000+00:00" } },
      adjusted: { natural: "2026-12-31T23:59:00.000+00:00" },
    });
    // An end with seconds alone is enough; the zone and the object form are kept.
    expect(
      fillPayload("date", target("date"), {
        start: "2026-03-29T01:30",
        end: "2026-03-29T03:15:00.250",
        time_zone: "Europe/Paris",
      }),
    ).toEqual({
      ok: true,
      payload: {
        date: {
          start: "2026-03-29T01:30:00.000",
          end: "2026-03-29T03:15:00.000",
          time_zone: "Europe/Paris",
        },
      },
      adjusted: {
        natural: {
          start: "2026-03-29T01:30:00.000",
          end: "2026-03-29T03:15:00.000",
          time_zone: "Europe/Paris",
        },
        note: 'seconds dropped: Notion keeps date-times to the minute (the rule gave {"start":"2026-03-29T01:30","end":"2026-03-29T03:15:00.250","time_zone":"Europe/…)',
      },
    });
    expect(fillPayload("date", target("date"), "2026-07-25T16:57:00.000+02:00")).not.toHaveProperty(
      "adjusted",
    );
    expect(fillPayload("date", target("date"), "2026-07-25")).not.toHaveProperty("adjusted");
  });

  it("relation and people ids, dashless ones normalised, order kept", () => {
    expect(
      fillPayload("relation", target("relation"), [
        "38C9CE7B60A4810E83A3D2934E2180FE",
        "38c9ce7b-60a4-81fb-91d5-d261b09ae7d0",
      ]),
    ).toEqual({
      ok: true,
      payload: {
        relation: [
          { id: "38c9ce7b-60a4-810e-83a3-d2934e2180fe" },
          { id: "38c9ce7b-60a4-81fb-91d5-d261b09ae7d0" },
        ],
      },
    });
    expect(
      fillPayload("people", target("people"), '["00000000-0000-4000-8000-0000000000f1"]'),
    ).toEqual({
      ok: true,
      payload: { people: [{ id: "00000000-0000-4000-8000-0000000000f1" }] },
    });
  });

  it("long text split into text objects of at most 2000 characters", () => {
    const result = fillPayload("rich_text", target("rich_text"), "é".repeat(4001));
    if (!result.ok || !("rich_text" in result.payload)) throw new Error("expected rich_text");
    expect(
      result.payload.rich_text.map((item) => ("text" in item ? item.text.content.length : 0)),
    ).toEqual([2000, 2000, 1]);
    expect(fillPayload("title", target("title"), "Phase 1")).toEqual({
      ok: true,
      payload: { title: [{ type: "text", text: { content: "Phase 1" } }] },
    });
  });

  it("url, email and phone strings, and external files with a name", () => {
    expect(fillPayload("url", target("url"), "https://example.com")).toEqual({
      ok: true,
      payload: { url: "https://example.com" },
    });
    expect(fillPayload("email", target("email"), "a@b.example")).toEqual({
      ok: true,
      payload: { email: "a@b.example" },
    });
    expect(fillPayload("phone_number", target("phone_number"), "+1 555 0100")).toEqual({
      ok: true,
      payload: { phone_number: "+1 555 0100" },
    });
    expect(
      fillPayload("files", target("files"), ["https://example.com/docs/spec%201.pdf"]),
    ).toEqual({
      ok: true,
      payload: {
        files: [
          {
            name: "spec 1.pdf",
            type: "external",
            external: { url: "https://example.com/docs/spec%201.pdf" },
          },
        ],
      },
    });
  });
});

describe("fillPayload refuses, naming the expected form", () => {
  it("a value that is not an option name, listing the options", () => {
    expect(reasonOf(fillPayload("status", phaseStatus, 42))).toBe(
      'expected an option name of status "Phase status" (one of: Not started, Active, Complete), got 42',
    );
  });

  it("an unknown status option even with allowNewOption", () => {
    expect(reasonOf(fillPayload("status", phaseStatus, "active", { allowNewOption: true }))).toBe(
      'status "Phase status" has no option "active" (did you mean "Active"?) (one of: Not started, Active, Complete); Notion cannot create status options through a page update',
    );
  });

  it("an unknown select option unless allowed, and new option names Notion would refuse", () => {
    expect(reasonOf(fillPayload("select", area, "Legal"))).toMatch(
      /select "Area" has no option "Legal" \(one of: Ops, Tech\); creating an option changes the schema/,
    );
    expect(reasonOf(fillPayload("select", area, "a,b", { allowNewOption: true }))).toMatch(
      /cannot contain a comma/,
    );
    expect(
      reasonOf(fillPayload("select", area, "x".repeat(101), { allowNewOption: true })),
    ).toMatch(/at most 100/);
  });

  it("multi_select values that are empty, repeated, unknown or not names", () => {
    expect(reasonOf(fillPayload("multi_select", tags, []))).toMatch(
      /^expected a list of option names/,
    );
    expect(reasonOf(fillPayload("multi_select", tags, ["red", "red"]))).toMatch(
      /"red" is listed twice/,
    );
    expect(reasonOf(fillPayload("multi_select", tags, ["green"]))).toMatch(/has no option "green"/);
    expect(reasonOf(fillPayload("multi_select", tags, "[1,2]"))).toMatch(/got "\[1,2\]"/);
    expect(reasonOf(fillPayload("multi_select", tags, "[broken"))).toMatch(/expected a list/);
  });

  it("numbers that are not finite or not numbers", () => {
    for (const bad of [Number.NaN, Number.POSITIVE_INFINITY, "12abc", "", true, null]) {
      expect(reasonOf(fillPayload("number", target("number", "Budget"), bad))).toMatch(
        /^expected a finite number of number "Budget", got /,
      );
    }
  });

  it("checkbox values other than booleans and 0 / 1", () => {
    expect(reasonOf(fillPayload("checkbox", target("checkbox"), "yes"))).toBe(
      'expected true, false, 1 or 0 of checkbox "Field", got "yes"',
    );
  });

  it("invalid dates, reversed ranges, unknown zones and offsets beside a time zone", () => {
    expect(reasonOf(fillPayload("date", target("date"), "2023-02-30"))).toMatch(
      /^expected an ISO date/,
    );
    expect(reasonOf(fillPayload("date", target("date"), "next tuesday"))).toMatch(
      /^expected an ISO date/,
    );
    expect(
      reasonOf(fillPayload("date", target("date"), { start: "2026-07-02", end: "2026-07-01" })),
    ).toMatch(/end of date "Field" is before its start/);
    expect(
      reasonOf(
        fillPayload("date", target("date"), { start: "2026-07-01T09:00", time_zone: "Mars/Base" }),
      ),
    ).toMatch(/"Mars\/Base" is not a time zone/);
    expect(
      reasonOf(
        fillPayload("date", target("date"), { start: "2026-07-01T09:00Z", time_zone: "UTC" }),
      ),
    ).toMatch(/without a UTC offset/);
    expect(
      reasonOf(fillPayload("date", target("date"), { start: "2026-07-01", time_zone: "UTC" })),
    ).toMatch(/without a UTC offset/);
  });

  it("relation and people ids that are not UUIDs, repeated, or over 100", () => {
    expect(reasonOf(fillPayload("relation", target("relation", "Project"), ["not-an-id"]))).toBe(
      'expected a list of page ids (UUIDs) of relation "Project", got "not-an-id" in ["not-an-id"]',
    );
    const id = "38c9ce7b-60a4-810e-83a3-d2934e2180fe";
    expect(
      reasonOf(fillPayload("relation", target("relation"), [id, id.replaceAll("-", "")])),
    ).toMatch(/listed twice/);
    const many = Array.from(
      { length: 101 },
      (_, i) => `00000000-0000-4000-8000-${String(i).padStart(12, "0")}`,
    );
    expect(reasonOf(fillPayload("people", target("people"), many))).toMatch(
      /101 users for people "Field" is more than the 100/,
    );
    expect(reasonOf(fillPayload("people", target("people"), []))).toMatch(
      /^expected a list of user ids/,
    );
  });

  it("blank text and text beyond 100 text objects", () => {
    expect(reasonOf(fillPayload("rich_text", target("rich_text"), "   "))).toMatch(
      /^expected non-empty text/,
    );
    expect(reasonOf(fillPayload("title", target("title"), "x".repeat(200_001)))).toMatch(
      /Notion accepts at most 200000/,
    );
  });

  it("url, email and phone values that are blank or too long, and files that are not web URLs", () => {
    expect(reasonOf(fillPayload("url", target("url"), ""))).toMatch(/^expected a URL as text/);
    expect(reasonOf(fillPayload("email", target("email"), `${"a".repeat(200)}@x`))).toMatch(
      /at most 200/,
    );
    expect(reasonOf(fillPayload("files", target("files"), ["ftp://x/y"]))).toMatch(
      /http\(s\) file URLs/,
    );
  });

  it("null for every property of a recorded data source: a fill must put a value", () => {
    const schema = readFixture(
      "un_data_source_all_property_types_2025-09-03.json",
    ) as unknown as DataSourceObjectResponse;
    const properties = Object.values(schema.properties);
    expect(properties.length).toBeGreaterThan(15);
    for (const property of properties) {
      expect(fillPayload(property.type, property, null).ok).toBe(false);
    }
  });

  it("read-only types and a type that does not match the schema", () => {
    expect(reasonOf(fillPayload("formula", target("formula", "Score"), 1))).toBe(
      'property "Score" is a formula: Notion computes it or it is read-only, so it cannot be filled',
    );
    expect(reasonOf(fillPayload("number", target("rich_text", "Notes"), 1))).toBe(
      'property "Notes" is a rich_text in the schema, not a number',
    );
  });
});
