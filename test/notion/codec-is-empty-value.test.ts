import type { PageObjectResponse, RichTextItemResponse } from "@notionhq/client";
import { describe, expect, it } from "vitest";
import { WRITABLE_TYPES, isEmptyValue, isWritableType } from "../../src/notion/codec/index.ts";
import type { PropertyValue } from "../../src/notion/codec/index.ts";
import { readFixture } from "../support/fixtures.ts";

const annotations = {
  bold: false,
  italic: false,
  strikethrough: false,
  underline: false,
  code: false,
  color: "default",
} as const;

function text(content: string): RichTextItemResponse {
  return {
    type: "text",
    text: { content, link: null },
    annotations,
    plain_text: content,
    href: null,
  };
}

const option = { id: "o1", name: "Active", color: "green" } as const;
const user = { object: "user", id: "00000000-0000-4000-8000-0000000000f1" } as const;

/** [empty value, non-empty value] for every property type that can be empty. */
const cases: Array<[string, PropertyValue, PropertyValue]> = [
  ["title", { id: "t", type: "title", title: [] }, { id: "t", type: "title", title: [text("x")] }],
  [
    "rich_text",
    { id: "r", type: "rich_text", rich_text: [] },
    { id: "r", type: "rich_text", rich_text: [text("x")] },
  ],
  ["number", { id: "n", type: "number", number: null }, { id: "n", type: "number", number: 0 }],
  [
    "select",
    { id: "s", type: "select", select: null },
    { id: "s", type: "select", select: option },
  ],
  [
    "status",
    { id: "s", type: "status", status: null },
    { id: "s", type: "status", status: option },
  ],
  [
    "multi_select",
    { id: "m", type: "multi_select", multi_select: [] },
    { id: "m", type: "multi_select", multi_select: [option] },
  ],
  [
    "date",
    { id: "d", type: "date", date: null },
    { id: "d", type: "date", date: { start: "2026-01-01", end: null, time_zone: null } },
  ],
  ["people", { id: "p", type: "people", people: [] }, { id: "p", type: "people", people: [user] }],
  [
    "relation",
    { id: "r", type: "relation", relation: [] },
    { id: "r", type: "relation", relation: [{ id: "p1" }] },
  ],
  [
    "files",
    { id: "f", type: "files", files: [] },
    {
      id: "f",
      type: "files",
      files: [{ name: "a", type: "external", external: { url: "https://a.example" } }],
    },
  ],
  ["url", { id: "u", type: "url", url: null }, { id: "u", type: "url", url: "https://a.example" }],
  [
    "email",
    { id: "e", type: "email", email: null },
    { id: "e", type: "email", email: "a@b.example" },
  ],
  [
    "phone_number",
    { id: "p", type: "phone_number", phone_number: null },
    { id: "p", type: "phone_number", phone_number: "+1 555" },
  ],
  [
    "place",
    { id: "p", type: "place", place: null },
    { id: "p", type: "place", place: { lat: 1, lon: 2 } },
  ],
  [
    "formula",
    { id: "f", type: "formula", formula: { type: "string", string: null } },
    { id: "f", type: "formula", formula: { type: "number", number: 1 } },
  ],
  [
    "rollup",
    { id: "r", type: "rollup", rollup: { type: "array", array: [], function: "show_original" } },
    { id: "r", type: "rollup", rollup: { type: "number", number: 0, function: "count" } },
  ],
  [
    "verification",
    { id: "v", type: "verification", verification: null },
    {
      id: "v",
      type: "verification",
      verification: { state: "unverified", date: null, verified_by: null },
    },
  ],
  [
    "unique_id",
    { id: "i", type: "unique_id", unique_id: { prefix: null, number: null } },
    { id: "i", type: "unique_id", unique_id: { prefix: null, number: 1 } },
  ],
];

describe("isEmptyValue", () => {
  it.each(cases)("tells an empty %s from a filled one", (_type, empty, filled) => {
    expect(isEmptyValue(empty)).toBe(true);
    expect(isEmptyValue(filled)).toBe(false);
  });

  it("never calls a checkbox empty, checked or not", () => {
    expect(isEmptyValue({ id: "c", type: "checkbox", checkbox: false })).toBe(false);
    expect(isEmptyValue({ id: "c", type: "checkbox", checkbox: true })).toBe(false);
  });

  it("treats text whose items are all empty strings as empty, but whitespace as a value", () => {
    expect(isEmptyValue({ id: "t", type: "rich_text", rich_text: [text(""), text("")] })).toBe(
      true,
    );
    expect(isEmptyValue({ id: "t", type: "rich_text", rich_text: [text(" ")] })).toBe(false);
  });

  it("never calls button, timestamps or authors empty", () => {
    const page = (
      readFixture("un_ds_query_all_property_types_page.json") as { results: PageObjectResponse[] }
    ).results[0];
    if (!page) throw new Error("recorded page missing");
    const filled = Object.entries(page.properties)
      .filter(([, value]) => !isEmptyValue(value))
      .map(([name]) => name)
      .sort();
    expect(filled).toEqual(
      [
        "Button",
        "Checkbox",
        "Created by",
        "Created time",
        "ID",
        "Last edited by",
        "Last edited time",
        "Number",
        "Rollup",
        "Status",
        "Text",
        "Title",
      ].sort(),
    );
  });
});

describe("isWritableType", () => {
  it("allows the types a person can edit and refuses computed ones", () => {
    for (const type of [
      "title",
      "rich_text",
      "number",
      "select",
      "multi_select",
      "status",
      "date",
      "people",
      "files",
      "checkbox",
      "url",
      "email",
      "phone_number",
      "relation",
      "place",
    ]) {
      expect(isWritableType(type)).toBe(true);
    }
    for (const type of [
      "formula",
      "rollup",
      "created_time",
      "created_by",
      "last_edited_time",
      "last_edited_by",
      "unique_id",
      "button",
      "verification",
      "no_such_type",
    ]) {
      expect(isWritableType(type)).toBe(false);
    }
    expect(WRITABLE_TYPES.size).toBe(15);
  });
});
