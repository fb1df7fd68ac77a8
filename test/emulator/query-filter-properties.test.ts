import { describe, expect, it } from "vitest";
import { NotionApiError } from "../../src/emulator/errors.ts";
import type { JsonObject } from "../../src/emulator/json.ts";
import {
  parseFilterProperties,
  projectProperties,
} from "../../src/emulator/query/filter-properties.ts";

const SCHEMA: JsonObject = {
  Name: { id: "title", name: "Name", type: "title", title: {} },
  Notes: { id: "%3FB%3AW", name: "Notes", type: "rich_text", rich_text: {} },
  Score: { id: "num", name: "Score", type: "number", number: {} },
};

const PAGE: JsonObject = {
  object: "page",
  id: "p",
  properties: {
    Name: { id: "title", type: "title", title: [] },
    Notes: { id: "%3FB%3AW", type: "rich_text", rich_text: [] },
    Score: { id: "num", type: "number", number: 3 },
  },
};

describe("filter_properties", () => {
  it("resolves ids (encoded or decoded) and names to property names", () => {
    expect(parseFilterProperties(["title", "?B:W"], SCHEMA)).toEqual(new Set(["Name", "Notes"]));
    expect(parseFilterProperties(["%3FB%3AW", "Score"], SCHEMA)).toEqual(
      new Set(["Notes", "Score"]),
    );
  });

  it("refuses a value that names no property", () => {
    expect(() => parseFilterProperties(["nope"], SCHEMA)).toThrow(NotionApiError);
    expect(() => parseFilterProperties(["nope"], SCHEMA)).toThrow(
      "Could not find property with name or id: nope",
    );
  });

  it("projects a page onto the kept properties without touching the original", () => {
    const projected = projectProperties(PAGE, new Set(["Score"]));
    expect(Object.keys(projected.properties as JsonObject)).toEqual(["Score"]);
    expect(projected.id).toBe("p");
    expect(Object.keys(PAGE.properties as JsonObject)).toHaveLength(3);
  });
});
