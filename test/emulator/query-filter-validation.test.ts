import { describe, expect, it } from "vitest";
import { NotionApiError } from "../../src/emulator/errors.ts";
import type { Json, JsonObject } from "../../src/emulator/json.ts";
import { compileFilter } from "../../src/emulator/query/filter.ts";

const SCHEMA: JsonObject = {
  Name: { id: "title", name: "Name", type: "title", title: {} },
  Topic: { id: "grew", name: "Topic", type: "select", select: { options: [] } },
  Score: { id: "num", name: "Score", type: "number", number: {} },
  Button: { id: "btn", name: "Button", type: "button", button: {} },
};

function refusal(filter: Json): string {
  try {
    compileFilter(filter, SCHEMA, new Date());
  } catch (error) {
    expect(error).toBeInstanceOf(NotionApiError);
    const apiError = error as NotionApiError;
    expect([apiError.status, apiError.code]).toEqual([400, "validation_error"]);
    return apiError.message;
  }
  throw new Error("filter was accepted");
}

const leaf = { property: "Score", number: { equals: 1 } };

describe("filter validation", () => {
  it("names an unknown property as Notion does", () => {
    expect(refusal({ property: "Nope", rich_text: { contains: "x" } })).toBe(
      "Could not find property with name or id: Nope",
    );
  });

  it("refuses a condition that does not fit the property type", () => {
    expect(refusal({ property: "Topic", status: { equals: "x" } })).toBe(
      "The property type in the database does not match the property type of the filter provided: " +
        "database property select does not match filter status",
    );
    expect(refusal({ property: "Button", rich_text: { is_empty: true } })).toContain(
      "database property button does not match filter rich_text",
    );
  });

  it("lists the alternatives when a property filter has no type key", () => {
    const message = refusal({ property: "Name", equals: "x" });
    expect(message).toMatch(/^body failed validation\. Fix one:\n/);
    expect(message).toContain("body.filter.title should be defined, instead was `undefined`.");
    expect(message).toContain("body.filter.rich_text should be defined, instead was `undefined`.");
  });

  it("checks operand types with the path of the bad value", () => {
    expect(refusal({ property: "Score", number: { equals: "1" } })).toBe(
      'body failed validation: body.filter.number.equals should be a number, instead was `"1"`.',
    );
    expect(refusal({ and: [{ property: "Name", title: { is_empty: "" } }] })).toBe(
      'body failed validation: body.filter.and[0].title.is_empty should be `true`, instead was `""`.',
    );
  });

  it("refuses an unknown operator and a second operator", () => {
    expect(refusal({ property: "Name", title: { like: "x" } })).toContain(
      "body.filter.title.contains should be defined",
    );
    expect(refusal({ property: "Name", title: { contains: "x", equals: "y" } })).toBe(
      'body failed validation: body.filter.title.contains should be not present, instead was `"x"`.',
    );
  });

  it("refuses a malformed date and a non-uuid relation id", () => {
    expect(
      refusal({ timestamp: "created_time", created_time: { after: "last tuesday" } }),
    ).toContain("body.filter.created_time.after should be a valid ISO 8601 date string");
    expect(refusal({ timestamp: "created_time", date: { after: "2025-01-01" } })).toContain(
      "body.filter.created_time should be defined",
    );
  });

  it("accepts compound filters two levels deep and refuses a third level", () => {
    expect(() =>
      compileFilter({ and: [{ or: [leaf, leaf] }, leaf] }, SCHEMA, new Date()),
    ).not.toThrow();
    const message = refusal({ and: [{ or: [{ and: [leaf] }] }] });
    expect(message).toContain("body.filter.and[0].or[0].property should be defined");
  });

  it("refuses a compound whose operand is not an array", () => {
    expect(refusal({ or: leaf })).toBe(
      `body failed validation: body.filter.or should be an array, instead was \`${JSON.stringify(leaf)}\`.`,
    );
  });

  it("validates the whole filter's shape before resolving properties", () => {
    const message = refusal({
      and: [{ property: "Nope", title: { contains: "x" } }, { property: 3 }],
    });
    expect(message).toContain("body.filter.and[1].property should be a string");
  });
});
