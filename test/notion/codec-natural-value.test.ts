import type { PageObjectResponse } from "@notionhq/client";
import { describe, expect, it } from "vitest";
import { naturalValue } from "../../src/notion/codec/index.ts";
import type { PropertyValue } from "../../src/notion/codec/index.ts";
import { readFixture } from "../support/fixtures.ts";

function recordedAllTypesPage(): PageObjectResponse {
  const list = readFixture("un_ds_query_all_property_types_page.json") as {
    results: PageObjectResponse[];
  };
  const page = list.results.find((result) => result.id === "38b9ce7b-60a4-810a-a3e0-d0c7fde33f0c");
  if (!page) throw new Error("recorded page missing");
  return page;
}

const annotations = {
  bold: false,
  italic: false,
  strikethrough: false,
  underline: false,
  code: false,
  color: "default",
} as const;

describe("naturalValue", () => {
  it("decodes every property type of the recorded all-property-types page", () => {
    const natural = Object.fromEntries(
      Object.entries(recordedAllTypesPage().properties).map(([name, value]) => [
        name,
        naturalValue(value),
      ]),
    );
    expect(natural).toEqual({
      Title: "Item 2",
      Text: "Text 2",
      "AI summary": null,
      "AI custom": null,
      "AI key info": null,
      Number: 2,
      Checkbox: true,
      Select: null,
      Status: "Not started",
      "Multi-Select": null,
      Date: null,
      People: null,
      Relation: null,
      "Relation two-way": null,
      Files: null,
      URL: null,
      Email: null,
      "Phone number": null,
      Formula: null,
      Rollup: 0,
      ID: 3,
      "Created time": "2026-06-26T13:45:00.000Z",
      "Last edited time": "2026-06-26T13:45:00.000Z",
      "Created by": "00000000-0000-4000-8000-0000000000f1",
      "Last edited by": "00000000-0000-4000-8000-0000000000f1",
      Button: null,
      Place: null,
    });
  });

  it("joins rich text as Notion renders it, mentions included", () => {
    const page = readFixture(
      "un_page_rich_text_100_items_with_user_mentions.json",
    ) as unknown as PageObjectResponse;
    const description = page.properties.Description;
    if (!description) throw new Error("recorded property missing");
    const text = naturalValue(description);
    expect(text).toMatch(/^Who is the best programmer\? ;-\) @Adam Dangoor, @Adam Dangoor/);
  });

  it("gives option names, ids and URLs in order for list types", () => {
    const values: PropertyValue[] = [
      {
        id: "m",
        type: "multi_select",
        multi_select: [
          { id: "2", name: "b", color: "red" },
          { id: "1", name: "a", color: "blue" },
        ],
      },
      { id: "r", type: "relation", relation: [{ id: "p2" }, { id: "p1" }] },
      { id: "u", type: "people", people: [{ object: "user", id: "u1" }] },
      {
        id: "f",
        type: "files",
        files: [
          { name: "site", type: "external", external: { url: "https://example.com/a.pdf" } },
          {
            name: "scan.png",
            type: "file",
            file: {
              url: "https://files.example/scan.png?sig=1",
              expiry_time: "2026-01-01T00:00:00.000Z",
            },
          },
        ],
      },
    ];
    expect(values.map(naturalValue)).toEqual([
      ["b", "a"],
      ["p2", "p1"],
      ["u1"],
      ["https://example.com/a.pdf", "scan.png"],
    ]);
  });

  it("gives a date as its start, or {start, end, time_zone} when there is more", () => {
    expect(
      naturalValue({
        id: "d",
        type: "date",
        date: { start: "2026-07-01", end: null, time_zone: null },
      }),
    ).toBe("2026-07-01");
    expect(
      naturalValue({
        id: "d",
        type: "date",
        date: {
          start: "2026-07-01T09:00:00.000",
          end: "2026-07-01T10:00:00.000",
          time_zone: "Europe/Paris",
        },
      }),
    ).toEqual({
      start: "2026-07-01T09:00:00.000",
      end: "2026-07-01T10:00:00.000",
      time_zone: "Europe/Paris",
    });
  });

  it("gives computed values: formula, rollup arrays, unique ids with prefix, verification", () => {
    expect(
      naturalValue({ id: "f", type: "formula", formula: { type: "boolean", boolean: true } }),
    ).toBe(true);
    expect(
      naturalValue({
        id: "f",
        type: "formula",
        formula: { type: "date", date: { start: "2026-01-02", end: null, time_zone: null } },
      }),
    ).toBe("2026-01-02");
    expect(
      naturalValue({
        id: "r",
        type: "rollup",
        rollup: {
          type: "array",
          function: "show_original",
          array: [
            {
              type: "title",
              title: [
                {
                  type: "text",
                  text: { content: "P", link: null },
                  annotations,
                  plain_text: "P",
                  href: null,
                },
              ],
            },
            { type: "number", number: 4 },
          ],
        },
      }),
    ).toEqual(["P", 4]);
    expect(
      naturalValue({ id: "i", type: "unique_id", unique_id: { prefix: "PRJ", number: 16 } }),
    ).toBe("PRJ-16");
    expect(
      naturalValue({
        id: "v",
        type: "verification",
        verification: { state: "unverified", date: null, verified_by: null },
      }),
    ).toBe("unverified");
    expect(
      naturalValue({ id: "p", type: "place", place: { lat: 48.85, lon: 2.35, name: "Paris" } }),
    ).toEqual({
      lat: 48.85,
      lon: 2.35,
      name: "Paris",
      address: null,
    });
  });

  it("gives false, never null, for an unchecked checkbox", () => {
    expect(naturalValue({ id: "c", type: "checkbox", checkbox: false })).toBe(false);
  });
});
