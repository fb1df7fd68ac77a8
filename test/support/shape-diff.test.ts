import { describe, expect, it } from "vitest";
import { shapeDiff } from "./shape-diff.ts";

const page = (extra: Record<string, unknown> = {}) => ({
  object: "page",
  id: "a",
  icon: { type: "emoji", emoji: "🛴" },
  properties: {
    Name: { id: "title", type: "title", title: [{ type: "text", plain_text: "x", href: null }] },
    Done: { id: "b", type: "checkbox", checkbox: true },
  },
  request_id: "r1",
  ...extra,
});

describe("shapeDiff", () => {
  it("accepts the same shape with other values, names and request ids", () => {
    const recorded = {
      ...page({ id: "b", request_id: "r2" }),
      properties: {
        Title: {
          id: "title",
          type: "title",
          title: [{ type: "text", plain_text: "y", href: "u" }],
        },
        Check: { id: "c", type: "checkbox", checkbox: false },
      },
    };
    expect(shapeDiff(page(), recorded)).toEqual([]);
  });

  it("names keys missing on our side and keys the recording does not have", () => {
    const ours = { ...page({ extra: 1 }) } as Record<string, unknown>;
    delete ours.icon;
    expect(shapeDiff(ours, page())).toEqual(["$: missing [icon]", "$: not recorded [extra]"]);
    expect(shapeDiff(page({ archived: false }), page(), { extraAllowed: ["archived"] })).toEqual(
      [],
    );
    expect(shapeDiff(page({ extra: 1 }), page(), { missingOnly: true })).toEqual([]);
  });

  it("names a value of another type, deep inside property values and arrays", () => {
    const ours = page();
    ours.properties.Done.checkbox = "yes" as unknown as boolean;
    ours.properties.Name.title[0]!.plain_text = 3 as unknown as string;
    expect(shapeDiff(ours, page())).toEqual([
      "$.properties.Name.title[].plain_text: number vs recorded string",
      "$.properties.Done.checkbox: string vs recorded boolean",
    ]);
  });

  it("lets null match anything and does not compare different members of a union", () => {
    expect(shapeDiff(page({ icon: null }), page())).toEqual([]);
    const fileIcon = { type: "external", external: { url: "u" } };
    expect(shapeDiff(page({ icon: fileIcon }), page())).toEqual([]);
  });
});

describe("shapeDiff across kinds of object", () => {
  it("compares objects of different `object` kinds even when their types differ", () => {
    const list = { object: "list", type: "property_item", results: [] };
    const item = { object: "property_item", type: "number", number: 1 };
    expect(shapeDiff(list, item)).toEqual(["$: missing [number]", "$: not recorded [results]"]);
  });
});
