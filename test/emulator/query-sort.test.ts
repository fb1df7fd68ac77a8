import { describe, expect, it } from "vitest";
import { NotionApiError } from "../../src/emulator/errors.ts";
import type { Json, JsonObject } from "../../src/emulator/json.ts";
import { compileSorts } from "../../src/emulator/query/sort.ts";

const SCHEMA: JsonObject = {
  Name: { id: "title", name: "Name", type: "title", title: {} },
  Score: { id: "num", name: "Score", type: "number", number: {} },
  Priority: {
    id: "pri",
    name: "Priority",
    type: "select",
    select: { options: [{ name: "High" }, { name: "Medium" }, { name: "Low" }] },
  },
  Due: { id: "due", name: "Due", type: "date", date: {} },
};

interface Fields {
  name?: string;
  score?: number | null;
  priority?: string | null;
  due?: string | null;
  created?: string;
}

function page(id: string, fields: Fields): JsonObject {
  const name = fields.name ?? "";
  return {
    object: "page",
    id,
    created_time: fields.created ?? "2025-06-01T10:00:00.000Z",
    last_edited_time: "2025-06-01T10:00:00.000Z",
    properties: {
      Name: { id: "title", type: "title", title: name ? [{ type: "text", plain_text: name }] : [] },
      Score: { id: "num", type: "number", number: fields.score ?? null },
      Priority: {
        id: "pri",
        type: "select",
        select: fields.priority ? { name: fields.priority } : null,
      },
      Due: { id: "due", type: "date", date: fields.due ? { start: fields.due, end: null } : null },
    },
  };
}

const order = (sorts: Json | undefined, pages: JsonObject[]) =>
  [...pages].sort(compileSorts(sorts, SCHEMA)).map((p) => String(p.id));

describe("sorting", () => {
  it("sorts text with numbers inside compared by value, as Notion does", () => {
    const pages = ["Article 10", "Article 7", "article 1", "Article 16"].map((name, i) =>
      page(`p${i}`, { name }),
    );
    expect(order([{ property: "Name", direction: "ascending" }], pages)).toEqual([
      "p2",
      "p1",
      "p0",
      "p3",
    ]);
  });

  it("puts empty values last in both directions", () => {
    const pages = [
      page("empty", { score: null }),
      page("two", { score: 2 }),
      page("one", { score: 1 }),
    ];
    expect(order([{ property: "Score", direction: "ascending" }], pages)).toEqual([
      "one",
      "two",
      "empty",
    ]);
    expect(order([{ property: "Score", direction: "descending" }], pages)).toEqual([
      "two",
      "one",
      "empty",
    ]);
  });

  it("orders selects by the schema's option order, not alphabetically", () => {
    const pages = [
      page("low", { priority: "Low" }),
      page("high", { priority: "High" }),
      page("medium", { priority: "Medium" }),
    ];
    expect(order([{ property: "pri", direction: "ascending" }], pages)).toEqual([
      "high",
      "medium",
      "low",
    ]);
  });

  it("applies sorts in priority order, then breaks ties by newest created, then id", () => {
    const pages = [
      page("b", { priority: "High", score: 1, created: "2025-06-01T10:00:00.000Z" }),
      page("a", { priority: "High", score: 1, created: "2025-06-01T10:00:00.000Z" }),
      page("newer", { priority: "High", score: 1, created: "2025-06-02T10:00:00.000Z" }),
      page("top", { priority: "High", score: 5 }),
      page("low", { priority: "Low", score: 9 }),
    ];
    const sorts = [
      { property: "Priority", direction: "ascending" },
      { property: "Score", direction: "descending" },
    ];
    expect(order(sorts, pages)).toEqual(["top", "newer", "a", "b", "low"]);
  });

  it("sorts dates by start, mixing date-only and date-time values", () => {
    const pages = [
      page("noon", { due: "2025-06-10T12:00:00.000Z" }),
      page("day", { due: "2025-06-10" }),
      page("earlier", { due: "2025-06-09T23:00:00.000-02:00" }),
    ];
    expect(order([{ property: "Due", direction: "ascending" }], pages)).toEqual([
      "day",
      "earlier",
      "noon",
    ]);
  });

  it("sorts by a timestamp", () => {
    const pages = [
      page("mid", { created: "2025-06-02T00:00:00.000Z" }),
      page("first", { created: "2025-06-01T00:00:00.000Z" }),
      page("last", { created: "2025-06-03T00:00:00.000Z" }),
    ];
    expect(order([{ timestamp: "created_time", direction: "ascending" }], pages)).toEqual([
      "first",
      "mid",
      "last",
    ]);
  });

  it("defaults to newest created first, within a minute by creation rank", () => {
    const pages = [
      page("x", { created: "2025-06-01T10:00:00.000Z" }),
      page("y", { created: "2025-06-01T10:00:00.000Z" }),
      page("z", { created: "2025-06-02T10:00:00.000Z" }),
    ];
    expect(order(undefined, pages)).toEqual(["z", "x", "y"]);
    const rank = new Map([
      ["x", 1],
      ["y", 2],
      ["z", 3],
    ]);
    const comparator = compileSorts([], SCHEMA, {
      creationRank: (p) => rank.get(String(p.id)) ?? 0,
    });
    expect([...pages].sort(comparator).map((p) => p.id)).toEqual(["z", "y", "x"]);
  });
});

describe("sort validation", () => {
  function refusal(sorts: Json): string {
    try {
      compileSorts(sorts, SCHEMA);
    } catch (error) {
      expect(error).toBeInstanceOf(NotionApiError);
      return (error as NotionApiError).message;
    }
    throw new Error("sorts were accepted");
  }

  it("names an unknown sort property as Notion does", () => {
    expect(refusal([{ property: "Date", direction: "ascending" }])).toBe(
      "Could not find sort property with name or id: Date",
    );
  });

  it("refuses a bad direction, a missing key and a non-array", () => {
    expect(refusal([{ property: "Name", direction: "up" }])).toBe(
      'body failed validation: body.sorts[0].direction should be `"ascending"` or `"descending"`, instead was `"up"`.',
    );
    expect(refusal([{ direction: "ascending" }])).toContain(
      "body.sorts[0].property should be defined",
    );
    expect(refusal({ property: "Name", direction: "ascending" })).toContain(
      "body.sorts should be an array",
    );
    expect(refusal([{ timestamp: "edited", direction: "ascending" }])).toContain(
      "body.sorts[0].timestamp should be",
    );
  });
});
