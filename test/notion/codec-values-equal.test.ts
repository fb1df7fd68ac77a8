import type { PageObjectResponse, RichTextItemResponse } from "@notionhq/client";
import { describe, expect, it } from "vitest";
import { valuesEqual } from "../../src/notion/codec/index.ts";
import type { PropertyValue } from "../../src/notion/codec/index.ts";
import { readFixture } from "../support/fixtures.ts";

const plain: RichTextItemResponse["annotations"] = {
  bold: false,
  italic: false,
  strikethrough: false,
  underline: false,
  code: false,
  color: "default",
};

function text(content: string, annotations = plain): RichTextItemResponse {
  return {
    type: "text",
    text: { content, link: null },
    annotations,
    plain_text: content,
    href: null,
  };
}

const userId = "00000000-0000-4000-8000-0000000000fa";

describe("valuesEqual", () => {
  it("ignores rendering: plain_text and href of mentions, full vs reference users", () => {
    const rendered: PropertyValue = {
      id: "d",
      type: "rich_text",
      rich_text: [
        {
          type: "mention",
          mention: {
            type: "user",
            user: {
              object: "user",
              id: userId,
              name: "Adam Dangoor",
              avatar_url: null,
              type: "person",
              person: { email: "a@b.example" },
            },
          },
          annotations: plain,
          plain_text: "@Adam Dangoor",
          href: null,
        },
        {
          type: "mention",
          mention: { type: "page", page: { id: "38c9ce7b-60a4-810e-83a3-d2934e2180fe" } },
          annotations: plain,
          plain_text: "Phase 1",
          href: "https://www.notion.so/38c9ce7b60a4810e83a3d2934e2180fe",
        },
      ],
    };
    const reference: PropertyValue = {
      id: "d",
      type: "rich_text",
      rich_text: [
        {
          type: "mention",
          mention: { type: "user", user: { object: "user", id: userId } },
          annotations: plain,
          plain_text: "@Anonymous",
          href: null,
        },
        {
          type: "mention",
          mention: { type: "page", page: { id: "38c9ce7b60a4810e83a3d2934e2180fe" } },
          annotations: plain,
          plain_text: "Untitled",
          href: null,
        },
      ],
    };
    expect(valuesEqual(rendered, reference)).toBe(true);
  });

  it("sees an annotation change and a link change", () => {
    const before: PropertyValue = { id: "t", type: "title", title: [text("Plan")] };
    const bold: PropertyValue = {
      id: "t",
      type: "title",
      title: [text("Plan", { ...plain, bold: true })],
    };
    const linked: PropertyValue = {
      id: "t",
      type: "title",
      title: [
        {
          ...text("Plan"),
          type: "text",
          text: { content: "Plan", link: { url: "https://example.com" } },
        },
      ],
    };
    expect(valuesEqual(before, bold)).toBe(false);
    expect(valuesEqual(before, linked)).toBe(false);
  });

  it("treats text split into runs differently as the same text", () => {
    const whole: PropertyValue = { id: "t", type: "rich_text", rich_text: [text("abcdef")] };
    const split: PropertyValue = {
      id: "t",
      type: "rich_text",
      rich_text: [text("abc"), text(""), text("def")],
    };
    expect(valuesEqual(whole, split)).toBe(true);
  });

  it("sees the order of relations and ignores has_more: false", () => {
    const ab: PropertyValue = {
      id: "r",
      type: "relation",
      relation: [{ id: "p-a" }, { id: "p-b" }],
    };
    const ba: PropertyValue = {
      id: "r",
      type: "relation",
      relation: [{ id: "p-b" }, { id: "p-a" }],
    };
    const abComplete = { ...ab, has_more: false } as PropertyValue;
    expect(valuesEqual(ab, ba)).toBe(false);
    expect(valuesEqual(ab, abComplete)).toBe(true);
  });

  it("never confirms a relation Notion truncated", () => {
    const page = readFixture(
      "un_page_relation_truncated_25_has_more.json",
    ) as unknown as PageObjectResponse;
    const truncated = Object.values(page.properties).find(
      (value) => value.type === "relation" && value.relation.length === 25,
    );
    if (!truncated) throw new Error("recorded truncated relation missing");
    expect(valuesEqual(truncated, truncated)).toBe(false);
  });

  it("compares select options by id, so a rename is not a change", () => {
    const before: PropertyValue = {
      id: "s",
      type: "select",
      select: { id: "o1", name: "Active", color: "green" },
    };
    const renamed: PropertyValue = {
      id: "s",
      type: "select",
      select: { id: "o1", name: "In progress", color: "blue" },
    };
    const other: PropertyValue = {
      id: "s",
      type: "select",
      select: { id: "o2", name: "Active", color: "green" },
    };
    expect(valuesEqual(before, renamed)).toBe(true);
    expect(valuesEqual(before, other)).toBe(false);
  });

  it("compares date-times as instants and keeps end and time zone", () => {
    const sent: PropertyValue = {
      id: "d",
      type: "date",
      date: { start: "2024-01-08T12:00:00Z", end: null, time_zone: null },
    };
    const answered: PropertyValue = {
      id: "d",
      type: "date",
      date: { start: "2024-01-08T12:00:00.000+00:00", end: null, time_zone: null },
    };
    const zoned: PropertyValue = {
      id: "d",
      type: "date",
      date: { start: "2024-01-08T12:00:00.000+00:00", end: null, time_zone: "Europe/London" },
    };
    const ranged: PropertyValue = {
      id: "d",
      type: "date",
      date: { start: "2024-01-08T12:00:00.000+00:00", end: "2024-01-09", time_zone: null },
    };
    expect(valuesEqual(sent, answered)).toBe(true);
    expect(valuesEqual(answered, zoned)).toBe(false);
    expect(valuesEqual(answered, ranged)).toBe(false);
  });

  it("compares date-times to the minute Notion keeps, start and end", () => {
    const at = (start: string, end: string | null = null): PropertyValue => ({
      id: "d",
      type: "date",
      date: { start, end, time_zone: null },
    });
    expect(valuesEqual(at("2026-07-25T16:57:28.513Z"), at("2026-07-25T16:57:00.000+00:00"))).toBe(
      true,
    );
    expect(
      valuesEqual(
        at("2026-07-25T16:57:00.000+00:00", "2026-07-25T18:00:59Z"),
        at("2026-07-25T17:57:00.000+01:00", "2026-07-25T19:00:00.000+01:00"),
      ),
    ).toBe(true);
    expect(valuesEqual(at("2026-07-25T16:57:59.999Z"), at("2026-07-25T16:58:00.000Z"))).toBe(false);
    expect(valuesEqual(at("2026-07-25T16:57:00Z"), at("2026-07-25T16:58:00Z"))).toBe(false);
    expect(valuesEqual(at("2026-07-25T16:57:30"), at("2026-07-25T16:57:00.000"))).toBe(true);
  });

  it("ignores the signature of a Notion-hosted file URL", () => {
    const file = (url: string): PropertyValue => ({
      id: "f",
      type: "files",
      files: [
        { name: "scan.png", type: "file", file: { url, expiry_time: "2026-01-01T00:00:00.000Z" } },
      ],
    });
    expect(
      valuesEqual(
        file("https://s3.example/ws/f1/scan.png?X-Amz-Signature=1"),
        file("https://s3.example/ws/f1/scan.png?X-Amz-Signature=2"),
      ),
    ).toBe(true);
    expect(
      valuesEqual(
        file("https://s3.example/ws/f1/scan.png?a"),
        file("https://s3.example/ws/f2/scan.png?a"),
      ),
    ).toBe(false);
  });

  it("never equates values of different types", () => {
    expect(
      valuesEqual({ id: "x", type: "url", url: "a" }, { id: "x", type: "email", email: "a" }),
    ).toBe(false);
    expect(
      valuesEqual(
        { id: "x", type: "number", number: null },
        { id: "x", type: "number", number: null },
      ),
    ).toBe(true);
  });
});
