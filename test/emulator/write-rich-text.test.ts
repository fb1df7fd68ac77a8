import { describe, expect, it } from "vitest";
import { NotionApiError } from "../../src/emulator/errors.ts";
import type { Json, JsonObject } from "../../src/emulator/json.ts";
import type { RichTextLookups } from "../../src/emulator/write/index.ts";
import { richTextFromInput } from "../../src/emulator/write/index.ts";

const ADA = "00000000-0000-4000-8000-0000000000fa";
const PAGE = "3839ce7b-60a4-81c8-867a-f81fd71aa55c";
const DB = "00000000-0000-4000-8000-000000000009";

const ada: JsonObject = {
  object: "user",
  id: ADA,
  name: "Adam Dangoor",
  avatar_url: null,
  type: "person",
  person: { email: "adamdangoor@gmail.com" },
};

const lookups: RichTextLookups = {
  findUser: (id) => (id === ADA ? ada : undefined),
  findPage: (id) =>
    id === PAGE
      ? {
          id: PAGE,
          properties: {
            Task: { id: "title", type: "title", title: [{ plain_text: "Run first Marathon" }] },
          },
        }
      : undefined,
  findDatabase: (id) =>
    id === DB ? { id: DB, title: [{ plain_text: "All Properties DB" }] } : undefined,
};

const PLAIN = {
  bold: false,
  italic: false,
  strikethrough: false,
  underline: false,
  code: false,
  color: "default",
};

const convert = (items: Json) => richTextFromInput(items, "properties.Text.rich_text", lookups);

function refusal(items: Json): string {
  try {
    convert(items);
  } catch (error) {
    expect(error).toBeInstanceOf(NotionApiError);
    expect((error as NotionApiError).status).toBe(400);
    return (error as NotionApiError).message;
  }
  throw new Error("expected a refusal");
}

describe("rich text from a request", () => {
  it("text gets full annotations, plain_text and a null href", () => {
    expect(convert([{ text: { content: "Who is the best programmer? ;-) " } }])).toEqual([
      {
        type: "text",
        text: { content: "Who is the best programmer? ;-) ", link: null },
        annotations: PLAIN,
        plain_text: "Who is the best programmer? ;-) ",
        href: null,
      },
    ]);
  });

  it("partial annotations are completed, and a link becomes the href", () => {
    const [item] = convert([
      {
        type: "text",
        text: { content: "docs", link: { url: "https://developers.notion.com" } },
        annotations: { bold: true, color: "red_background" },
      },
    ]);
    expect(item).toEqual({
      type: "text",
      text: { content: "docs", link: { url: "https://developers.notion.com" } },
      annotations: { ...PLAIN, bold: true, color: "red_background" },
      plain_text: "docs",
      href: "https://developers.notion.com",
    });
  });

  it("a user mention expands to the full user, shown as @Name (as recorded from Notion)", () => {
    expect(convert([{ mention: { user: { id: ADA } } }])).toEqual([
      {
        type: "mention",
        mention: { type: "user", user: ada },
        annotations: PLAIN,
        plain_text: "@Adam Dangoor",
        href: null,
      },
    ]);
  });

  it("a page mention shows the page title and links to the page", () => {
    const [item] = convert([
      { type: "mention", mention: { type: "page", page: { id: PAGE.replaceAll("-", "") } } },
    ]);
    expect(item).toMatchObject({
      mention: { type: "page", page: { id: PAGE } },
      plain_text: "Run first Marathon",
      href: "https://www.notion.so/3839ce7b60a481c8867af81fd71aa55c",
    });
  });

  it("a database mention shows the database title", () => {
    expect(convert([{ mention: { database: { id: DB } } }])[0]).toMatchObject({
      mention: { type: "database", database: { id: DB } },
      plain_text: "All Properties DB",
    });
  });

  it("a date mention is stored like a date property", () => {
    expect(
      convert([{ mention: { date: { start: "2026-07-01", end: "2026-07-03" } } }])[0],
    ).toMatchObject({
      mention: { type: "date", date: { start: "2026-07-01", end: "2026-07-03", time_zone: null } },
      plain_text: "2026-07-01 → 2026-07-03",
    });
  });

  it("an equation keeps its expression as plain text", () => {
    expect(convert([{ equation: { expression: "e^{i\\pi}+1=0" } }])[0]).toEqual({
      type: "equation",
      equation: { expression: "e^{i\\pi}+1=0" },
      annotations: PLAIN,
      plain_text: "e^{i\\pi}+1=0",
      href: null,
    });
  });

  it("an empty array clears", () => {
    expect(convert([])).toEqual([]);
  });
});

describe("rich text limits and refusals", () => {
  it("text.content of exactly 2000 characters is accepted, 2001 refused", () => {
    expect(convert([{ text: { content: "x".repeat(2000) } }])[0]?.plain_text).toHaveLength(2000);
    expect(refusal([{ text: { content: "ok" } }, { text: { content: "x".repeat(2001) } }])).toBe(
      "body failed validation: body.properties.Text.rich_text[1].text.content.length should be ≤ `2000`, instead was `2001`.",
    );
  });

  it("counts UTF-16 code units, as Notion does", () => {
    expect(refusal([{ text: { content: "😀".repeat(1001) } }])).toMatch(/instead was `2002`/);
  });

  it("100 items are accepted, 101 refused", () => {
    const items: Json[] = Array.from({ length: 101 }, (_, i): Json =>
      i % 2 === 0 ? { text: { content: `t${i}` } } : { mention: { user: { id: ADA } } },
    );
    expect(convert(items.slice(0, 100))).toHaveLength(100);
    expect(refusal(items)).toBe(
      "body failed validation: body.properties.Text.rich_text.length should be ≤ `100`, instead was `101`.",
    );
  });

  it("an invalid link URL", () => {
    expect(refusal([{ text: { content: "x", link: { url: "not a url" } } }])).toBe(
      "Invalid URL for link.",
    );
  });

  it("a mention of an unknown user or page", () => {
    expect(refusal([{ mention: { user: { id: PAGE } } }])).toMatch(/Could not find user/);
    expect(refusal([{ mention: { page: { id: ADA } } }])).toMatch(/Could not find page/);
  });

  it("an item that is neither text, mention nor equation", () => {
    expect(refusal([{ content: "x" }])).toBe(
      "body failed validation. Fix one:\n" +
        "body.properties.Text.rich_text[0].text should be defined, instead was `undefined`.\n" +
        "body.properties.Text.rich_text[0].mention should be defined, instead was `undefined`.\n" +
        "body.properties.Text.rich_text[0].equation should be defined, instead was `undefined`.",
    );
  });

  it("an unknown annotation color or a non-boolean flag", () => {
    expect(refusal([{ text: { content: "x" }, annotations: { color: "teal" } }])).toMatch(
      /annotations\.color should be `"default"`/,
    );
    expect(refusal([{ text: { content: "x" }, annotations: { bold: "yes" } }])).toMatch(
      /annotations\.bold should be a boolean/,
    );
  });

  it("a text item without a string content", () => {
    expect(refusal([{ text: {} }])).toBe(
      "body failed validation: body.properties.Text.rich_text[0].text.content should be defined, instead was `undefined`.",
    );
  });
});
