import type { PageObjectResponse, RichTextItemResponse } from "@notionhq/client";
import { describe, expect, it } from "vitest";
import { restorePayload } from "../../src/notion/codec/index.ts";
import type { PropertyValue } from "../../src/notion/codec/index.ts";
import { readFixture } from "../support/fixtures.ts";

const plain = {
  bold: false,
  italic: false,
  strikethrough: false,
  underline: false,
  code: false,
  color: "default",
} as const;
const styled = { ...plain, bold: true, italic: true, color: "red_background" } as const;

function recordedProperty(fixture: string, name: string): PropertyValue {
  const page = readFixture(fixture) as unknown as PageObjectResponse;
  const value = page.properties[name];
  if (!value) throw new Error(`${fixture} has no property ${name}`);
  return value;
}

const richText: RichTextItemResponse[] = [
  {
    type: "text",
    text: { content: "See ", link: null },
    annotations: styled,
    plain_text: "See ",
    href: null,
  },
  {
    type: "text",
    text: { content: "the spec", link: { url: "https://example.com/spec" } },
    annotations: { ...plain, underline: true },
    plain_text: "the spec",
    href: "https://example.com/spec",
  },
  {
    type: "mention",
    mention: {
      type: "user",
      user: {
        object: "user",
        id: "00000000-0000-4000-8000-0000000000fa",
        name: "Adam Dangoor",
        avatar_url: null,
        type: "person",
        person: { email: "adamdangoor@gmail.com" },
      },
    },
    annotations: plain,
    plain_text: "@Adam Dangoor",
    href: null,
  },
  {
    type: "mention",
    mention: { type: "page", page: { id: "38c9ce7b-60a4-810e-83a3-d2934e2180fe" } },
    annotations: { ...plain, strikethrough: true },
    plain_text: "Phase 1",
    href: "https://www.notion.so/38c9ce7b60a4810e83a3d2934e2180fe",
  },
  {
    type: "mention",
    mention: { type: "database", database: { id: "00000000-0000-4000-8000-000000000009" } },
    annotations: plain,
    plain_text: "Projects",
    href: "https://www.notion.so/000000000000400080000000000000009",
  },
  {
    type: "mention",
    mention: {
      type: "date",
      date: { start: "2026-03-01T09:00:00.000-05:00", end: null, time_zone: "America/New_York" },
    },
    annotations: { ...plain, code: true },
    plain_text: "March 1, 2026 9:00 AM",
    href: null,
  },
  {
    type: "equation",
    equation: { expression: "e^{i\\pi}+1=0" },
    annotations: plain,
    plain_text: "e^{i\\pi}+1=0",
    href: null,
  },
];

describe("restorePayload", () => {
  it("keeps annotations, links, equations and user/page/database/date mentions by id", () => {
    const result = restorePayload({ id: "x", type: "rich_text", rich_text: richText });
    expect(result).toEqual({
      ok: true,
      payload: {
        rich_text: [
          { type: "text", text: { content: "See ", link: null }, annotations: styled },
          {
            type: "text",
            text: { content: "the spec", link: { url: "https://example.com/spec" } },
            annotations: { ...plain, underline: true },
          },
          {
            type: "mention",
            mention: { type: "user", user: { id: "00000000-0000-4000-8000-0000000000fa" } },
            annotations: plain,
          },
          {
            type: "mention",
            mention: { type: "page", page: { id: "38c9ce7b-60a4-810e-83a3-d2934e2180fe" } },
            annotations: { ...plain, strikethrough: true },
          },
          {
            type: "mention",
            mention: { type: "database", database: { id: "00000000-0000-4000-8000-000000000009" } },
            annotations: plain,
          },
          {
            type: "mention",
            mention: {
              type: "date",
              date: { start: "2026-03-01T09:00:00.000", end: null, time_zone: "America/New_York" },
            },
            annotations: { ...plain, code: true },
          },
          { type: "equation", equation: { expression: "e^{i\\pi}+1=0" }, annotations: plain },
        ],
      },
    });
  });

  it("restores the recorded 100-item title with its user mentions as references", () => {
    const title = recordedProperty("un_page_rich_text_100_items_with_user_mentions.json", "Name");
    const result = restorePayload(title);
    if (!result.ok || !("title" in result.payload)) throw new Error("expected a title payload");
    expect(result.payload.title).toHaveLength(100);
    expect(result.payload.title[1]).toEqual({
      type: "mention",
      mention: { type: "user", user: { id: "00000000-0000-4000-8000-0000000000fa" } },
      annotations: plain,
    });
  });

  it("refuses rich text over Notion's 100 objects", () => {
    const title = recordedProperty("un_page_rich_text_100_items_with_user_mentions.json", "Name");
    if (title.type !== "title") throw new Error("expected a title");
    const longer: PropertyValue = { ...title, title: [...title.title, ...title.title.slice(0, 1)] };
    expect(restorePayload(longer)).toEqual({
      ok: false,
      reason: "101 rich text objects is more than the 100 Notion accepts in one write",
    });
  });

  it("splits a text object longer than 2000 characters, keeping its style and link", () => {
    const content = "x".repeat(4500);
    const result = restorePayload({
      id: "x",
      type: "title",
      title: [
        {
          type: "text",
          text: { content, link: null },
          annotations: styled,
          plain_text: content,
          href: null,
        },
      ],
    });
    if (!result.ok || !("title" in result.payload)) throw new Error("expected a title payload");
    expect(
      result.payload.title.map((item) => ("text" in item ? item.text.content.length : 0)),
    ).toEqual([2000, 2000, 500]);
    expect(result.payload.title.map((item) => item.annotations)).toEqual([styled, styled, styled]);
  });

  it("sends back the recorded date as Notion answered it", () => {
    const due = recordedProperty("un_page_update_date_with_time_zone.json", "Due Date");
    expect(restorePayload(due)).toEqual({
      ok: true,
      payload: { date: { start: "2024-01-08T12:00:00.000+00:00", end: null, time_zone: null } },
    });
  });

  it("sends a date with a time zone as wall-clock times without offset, whatever offset it was shown with", () => {
    const shownInZone: PropertyValue = {
      id: "d",
      type: "date",
      date: {
        start: "2026-07-01T09:00:00.000-04:00",
        end: "2026-07-01T17:30:00.000-04:00",
        time_zone: "America/New_York",
      },
    };
    const shownInUtc: PropertyValue = {
      id: "d",
      type: "date",
      date: {
        start: "2026-07-01T13:00:00.000+00:00",
        end: "2026-07-01T21:30:00.000+00:00",
        time_zone: "America/New_York",
      },
    };
    const expected = {
      ok: true,
      payload: {
        date: {
          start: "2026-07-01T09:00:00.000",
          end: "2026-07-01T17:30:00.000",
          time_zone: "America/New_York",
        },
      },
    };
    expect(restorePayload(shownInZone)).toEqual(expected);
    expect(restorePayload(shownInUtc)).toEqual(expected);
  });

  it("puts back select and status by option id, as recorded in the update responses", () => {
    expect(
      restorePayload(recordedProperty("un_page_update_status_by_name.json", "Status")),
    ).toEqual({
      ok: true,
      payload: { status: { id: "f4b3a893-4b26-48db-b839-421daf1f1a25" } },
    });
    expect(
      restorePayload(recordedProperty("un_page_update_select_2025-09-03.json", "Status")),
    ).toEqual({
      ok: true,
      payload: { select: { id: expect.any(String) } },
    });
  });

  it("keeps the order of multi_select, people and relation", () => {
    expect(
      restorePayload({
        id: "m",
        type: "multi_select",
        multi_select: [
          { id: "b", name: "B", color: "red" },
          { id: "a", name: "A", color: "blue" },
        ],
      }),
    ).toEqual({ ok: true, payload: { multi_select: [{ id: "b" }, { id: "a" }] } });
    expect(
      restorePayload({ id: "r", type: "relation", relation: [{ id: "p2" }, { id: "p1" }] }),
    ).toEqual({
      ok: true,
      payload: { relation: [{ id: "p2" }, { id: "p1" }] },
    });
    expect(
      restorePayload({
        id: "p",
        type: "people",
        people: [
          { object: "user", id: "u2" },
          { object: "group", id: "g1", name: "Team" },
        ],
      }),
    ).toEqual({ ok: true, payload: { people: [{ id: "u2" }, { id: "g1", object: "group" }] } });
  });

  it("clears empty values the way Notion accepts", () => {
    const empties: PropertyValue[] = [
      { id: "a", type: "title", title: [] },
      { id: "b", type: "rich_text", rich_text: [] },
      { id: "c", type: "number", number: null },
      { id: "d", type: "select", select: null },
      { id: "e", type: "status", status: null },
      { id: "f", type: "multi_select", multi_select: [] },
      { id: "g", type: "date", date: null },
      { id: "h", type: "people", people: [] },
      { id: "i", type: "relation", relation: [] },
      { id: "j", type: "files", files: [] },
      { id: "k", type: "url", url: null },
      { id: "l", type: "email", email: null },
      { id: "m", type: "phone_number", phone_number: null },
      { id: "n", type: "place", place: null },
      { id: "o", type: "checkbox", checkbox: false },
    ];
    expect(empties.map((value) => restorePayload(value))).toEqual([
      { ok: true, payload: { title: [] } },
      { ok: true, payload: { rich_text: [] } },
      { ok: true, payload: { number: null } },
      { ok: true, payload: { select: null } },
      { ok: true, payload: { status: null } },
      { ok: true, payload: { multi_select: [] } },
      { ok: true, payload: { date: null } },
      { ok: true, payload: { people: [] } },
      { ok: true, payload: { relation: [] } },
      { ok: true, payload: { files: [] } },
      { ok: true, payload: { url: null } },
      { ok: true, payload: { email: null } },
      { ok: true, payload: { phone_number: null } },
      { ok: true, payload: { place: null } },
      { ok: true, payload: { checkbox: false } },
    ]);
  });

  it("restores external files with their names", () => {
    expect(
      restorePayload({
        id: "f",
        type: "files",
        files: [
          { name: "Spec", type: "external", external: { url: "https://example.com/spec.pdf" } },
        ],
      }),
    ).toEqual({
      ok: true,
      payload: {
        files: [
          { name: "Spec", type: "external", external: { url: "https://example.com/spec.pdf" } },
        ],
      },
    });
  });

  it("reports what cannot be restored exactly instead of throwing", () => {
    const relations = Array.from({ length: 101 }, (_, i) => ({ id: `p${i}` }));
    const refused: Array<[PropertyValue, RegExp]> = [
      [
        { id: "r", type: "relation", relation: relations },
        /101 related pages is more than the 100/,
      ],
      [
        { id: "r", type: "relation", relation: [{ id: "p" }], has_more: true } as PropertyValue,
        /truncated/,
      ],
      [
        {
          id: "f",
          type: "files",
          files: [
            {
              name: "scan.png",
              type: "file",
              file: {
                url: "https://s3.example/scan.png?sig",
                expiry_time: "2026-01-01T00:00:00.000Z",
              },
            },
          ],
        },
        /"scan\.png" is a file hosted by Notion/,
      ],
      [
        { id: "f", type: "formula", formula: { type: "number", number: 1 } },
        /formula property is computed by Notion/,
      ],
      [{ id: "c", type: "created_time", created_time: "2026-01-01T00:00:00.000Z" }, /created_time/],
      [{ id: "b", type: "button", button: {} }, /button/],
      [{ id: "v", type: "verification", verification: null }, /verification/],
      [
        {
          id: "t",
          type: "rich_text",
          rich_text: [
            {
              type: "mention",
              mention: { type: "link_preview", link_preview: { url: "https://github.com/x/y" } },
              annotations: plain,
              plain_text: "https://github.com/x/y",
              href: "https://github.com/x/y",
            },
          ],
        },
        /link preview mention/,
      ],
    ];
    for (const [value, reason] of refused) {
      const result = restorePayload(value);
      expect(result.ok).toBe(false);
      if (!result.ok) expect(result.reason).toMatch(reason);
    }
  });
});
