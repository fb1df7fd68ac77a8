import { describe, expect, it } from "vitest";
import { NotionApiError } from "../../src/emulator/errors.ts";
import type { Json, JsonObject } from "../../src/emulator/json.ts";
import { cloneJson } from "../../src/emulator/json.ts";
import type { WriteContext } from "../../src/emulator/write/index.ts";
import {
  applyPropertyInput,
  isEmptyPropertyValue,
  newPageProperties,
} from "../../src/emulator/write/index.ts";

const DS = "3839ce7b-60a4-802c-b152-000ba814957b";
const OTHER_DS = "11111111-1111-4111-8111-111111111111";
const ADA = "00000000-0000-4000-8000-0000000000fa";
const BOT = "00000000-0000-4000-8000-0000000000f1";
const TARGET = "38c9ce7b-60a4-810e-83a3-d2934e2180fe";
const FOREIGN = "38c9ce7b-60a4-81fb-91d5-d261b09ae7d0";
const pageIds = (n: number) =>
  Array.from({ length: n }, (_, i) => `aaaaaaaa-0000-4000-8000-${String(i).padStart(12, "0")}`);

const ada: JsonObject = {
  object: "user",
  id: ADA,
  name: "Ada Lovelace",
  avatar_url: null,
  type: "person",
  person: { email: "ada@example.com" },
};
const bot: JsonObject = {
  object: "user",
  id: BOT,
  name: "Mirror Bot",
  avatar_url: null,
  type: "bot",
  bot: { owner: { type: "workspace", workspace: true }, workspace_name: "Acme" },
};

function schema(): JsonObject {
  const prop = (id: string, name: string, type: string, config: Json = {}) => ({
    id,
    name,
    description: null,
    type,
    [type]: config,
  });
  return {
    Title: prop("title", "Title", "title"),
    Text: prop("%3FB%3AW", "Text", "rich_text"),
    Number: prop("dDR%3B", "Number", "number", { format: "number" }),
    Checkbox: prop("LGzq", "Checkbox", "checkbox"),
    URL: prop("CWCZ", "URL", "url"),
    Email: prop("wua%3F", "Email", "email"),
    "Phone number": prop("%3F~%5Cw", "Phone number", "phone_number"),
    Date: prop("uUxQ", "Date", "date"),
    People: prop("~ak%40", "People", "people"),
    Files: prop("%3FbAF", "Files", "files"),
    Select: prop("grew", "Select", "select", {
      options: [
        { id: "opt-1", name: "Option1", color: "default", description: null },
        { id: "opt-2", name: "Option2", color: "red", description: null },
      ],
    }),
    "Multi-Select": prop("RIfI", "Multi-Select", "multi_select", {
      options: [{ id: "m-1", name: "MultiOption1", color: "purple", description: null }],
    }),
    Status: prop("hlY%3D", "Status", "status", {
      options: [
        { id: "s-1", name: "Not started", color: "default", description: null },
        { id: "s-2", name: "In progress", color: "blue", description: null },
        { id: "s-3", name: "Done", color: "green", description: null },
      ],
      groups: [
        { id: "g-1", name: "To-do", color: "gray", option_ids: ["s-1"] },
        { id: "g-2", name: "In progress", color: "blue", option_ids: ["s-2"] },
        { id: "g-3", name: "Complete", color: "green", option_ids: ["s-3"] },
      ],
    }),
    Relation: prop("v_%5D%3C", "Relation", "relation", {
      database_id: "00000000-0000-4000-8000-000000000009",
      data_source_id: DS,
      type: "single_property",
      single_property: {},
    }),
    Place: prop("rulX", "Place", "place"),
    Formula: prop("jeun", "Formula", "formula", { expression: "1" }),
    Rollup: prop("WYH%3A", "Rollup", "rollup", { function: "count" }),
    "Created time": prop("kRv%7B", "Created time", "created_time"),
    "Created by": prop("Ur%5DX", "Created by", "created_by"),
    "Last edited time": prop("kX%3Fw", "Last edited time", "last_edited_time"),
    "Last edited by": prop("~e%3F%5E", "Last edited by", "last_edited_by"),
    ID: prop("gY%7BP", "ID", "unique_id", { prefix: "TASK" }),
    Button: prop("ImzP", "Button", "button"),
  };
}

function page(id: string, dataSourceId: string, title: string): JsonObject {
  return {
    object: "page",
    id,
    parent: { type: "data_source_id", data_source_id: dataSourceId },
    properties: {
      Title: {
        id: "title",
        type: "title",
        title: [{ type: "text", text: { content: title, link: null }, plain_text: title }],
      },
    },
  };
}

function context(): WriteContext {
  const pages = new Map<string, JsonObject>();
  pages.set(TARGET, page(TARGET, DS, "Target"));
  pages.set(FOREIGN, page(FOREIGN, OTHER_DS, "Elsewhere"));
  for (const id of pageIds(101)) pages.set(id, page(id, DS, id));
  let counter = 0;
  return {
    schema: schema(),
    findUser: (id) => [ada, bot].find((user) => user.id === id),
    findPage: (id) => pages.get(id),
    pageDataSourceId: (p) => {
      const parent = p.parent as JsonObject;
      return typeof parent.data_source_id === "string" ? parent.data_source_id : undefined;
    },
    newId: () => `new-option-${++counter}`,
    botUser: bot,
  };
}

const META = { createdTime: "2026-06-26T13:45:00.000Z", uniqueIdNumber: 3 };

function blank(ctx: WriteContext): JsonObject {
  return newPageProperties(undefined, ctx, META).properties;
}

function write(input: JsonObject, ctx = context()) {
  return applyPropertyInput(blank(ctx), input, ctx);
}

function refusal(run: () => unknown): string {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(NotionApiError);
    const apiError = error as NotionApiError;
    expect(apiError.status).toBe(400);
    expect(apiError.code).toBe("validation_error");
    return apiError.message;
  }
  throw new Error("expected a 400 validation_error");
}

const text = (content: string) => ({ text: { content } });

describe("a new page", () => {
  it("has every property at the value Notion gives an unfilled page", () => {
    const properties = blank(context());
    expect(properties.Title).toEqual({ id: "title", type: "title", title: [] });
    expect(properties.Number).toEqual({ id: "dDR%3B", type: "number", number: null });
    expect(properties.Checkbox).toEqual({ id: "LGzq", type: "checkbox", checkbox: false });
    expect(properties.Select).toEqual({ id: "grew", type: "select", select: null });
    expect(properties.Relation).toEqual({
      id: "v_%5D%3C",
      type: "relation",
      relation: [],
      has_more: false,
    });
    expect(properties.Place).toEqual({ id: "rulX", type: "place", place: null });
    expect(properties.Button).toEqual({ id: "ImzP", type: "button", button: {} });
    expect(properties.Formula).toEqual({
      id: "jeun",
      type: "formula",
      formula: { type: "string", string: null },
    });
    expect(properties.Rollup).toEqual({
      id: "WYH%3A",
      type: "rollup",
      rollup: { type: "number", number: 0, function: "count" },
    });
    expect(properties.ID).toEqual({
      id: "gY%7BP",
      type: "unique_id",
      unique_id: { prefix: "TASK", number: 3 },
    });
    expect(properties["Created time"]).toEqual({
      id: "kRv%7B",
      type: "created_time",
      created_time: META.createdTime,
    });
    expect(properties["Created by"]).toEqual({
      id: "Ur%5DX",
      type: "created_by",
      created_by: { ...bot, bot: {} },
    });
  });

  it("gets the status property's default option (first of the To-do group)", () => {
    expect(blank(context()).Status).toEqual({
      id: "hlY%3D",
      type: "status",
      status: { id: "s-1", name: "Not started", color: "default" },
    });
  });

  it("applies the request's properties over the empty values", () => {
    const { properties } = newPageProperties(
      { Title: { title: [text("Hello")] } },
      context(),
      META,
    );
    expect((properties.Title as JsonObject).title).toHaveLength(1);
    expect((properties.Number as JsonObject).number).toBeNull();
  });
});

describe("writing each property type", () => {
  const cases: Array<[string, JsonObject, JsonObject, JsonObject]> = [
    ["Number", { number: 42.5 }, { number: 42.5 }, { number: null }],
    ["Checkbox", { checkbox: true }, { checkbox: true }, { checkbox: false }],
    ["URL", { url: "https://example.com" }, { url: "https://example.com" }, { url: null }],
    ["Email", { email: "a@b.co" }, { email: "a@b.co" }, { email: null }],
    [
      "Phone number",
      { phone_number: "+1 555" },
      { phone_number: "+1 555" },
      { phone_number: null },
    ],
    [
      "Date",
      { date: { start: "2026-07-01" } },
      { date: { start: "2026-07-01", end: null, time_zone: null } },
      { date: null },
    ],
    [
      "Select",
      { select: { name: "Option2" } },
      { select: { id: "opt-2", name: "Option2", color: "red" } },
      { select: null },
    ],
    [
      "Multi-Select",
      { multi_select: [{ name: "MultiOption1" }] },
      { multi_select: [{ id: "m-1", name: "MultiOption1", color: "purple" }] },
      { multi_select: [] },
    ],
    [
      "Status",
      { status: { name: "Done" } },
      { status: { id: "s-3", name: "Done", color: "green" } },
      { status: null },
    ],
    ["People", { people: [{ object: "user", id: ADA }] }, { people: [ada] }, { people: [] }],
    [
      "Relation",
      { relation: [{ id: TARGET }] },
      { relation: [{ id: TARGET }], has_more: false },
      { relation: [] },
    ],
    [
      "Files",
      { files: [{ name: "spec.pdf", external: { url: "https://x.test/spec.pdf" } }] },
      {
        files: [
          { name: "spec.pdf", type: "external", external: { url: "https://x.test/spec.pdf" } },
        ],
      },
      { files: [] },
    ],
    [
      "Place",
      { place: { lat: 48.85, lon: 2.35, name: "Paris" } },
      {
        place: {
          lat: 48.85,
          lon: 2.35,
          name: "Paris",
          address: null,
          aws_place_id: null,
          google_place_id: null,
        },
      },
      { place: null },
    ],
    [
      "Text",
      { rich_text: [text("notes")] },
      {
        rich_text: [
          {
            type: "text",
            text: { content: "notes", link: null },
            annotations: {
              bold: false,
              italic: false,
              strikethrough: false,
              underline: false,
              code: false,
              color: "default",
            },
            plain_text: "notes",
            href: null,
          },
        ],
      },
      { rich_text: [] },
    ],
  ];

  for (const [name, input, expected, clear] of cases) {
    it(`${name} is set, stored in response form, and cleared again`, () => {
      const ctx = context();
      const set = applyPropertyInput(blank(ctx), { [name]: input }, ctx).properties;
      const stored = set[name] as JsonObject;
      expect(stored).toMatchObject(expected);
      expect(isEmptyPropertyValue(stored)).toBe(false);
      const cleared = applyPropertyInput(set, { [name]: clear }, ctx).properties[
        name
      ] as JsonObject;
      expect(cleared).toMatchObject(
        name === "Relation" ? { relation: [], has_more: false } : clear,
      );
      if (name !== "Checkbox") expect(isEmptyPropertyValue(cleared)).toBe(true);
    });
  }

  it("accepts the property id instead of its name, encoded or decoded", () => {
    expect(write({ "dDR%3B": { number: 1 } }).properties.Number).toMatchObject({ number: 1 });
    expect(write({ "dDR;": { number: 2 } }).properties.Number).toMatchObject({ number: 2 });
  });

  it("accepts an explicit type next to the value", () => {
    expect(write({ Number: { type: "number", number: 3 } }).properties.Number).toMatchObject({
      number: 3,
    });
  });

  it("leaves the properties it was not asked to change, and never mutates the input page", () => {
    const ctx = context();
    const before = applyPropertyInput(blank(ctx), { Number: { number: 1 } }, ctx).properties;
    const snapshot = cloneJson(before);
    const after = applyPropertyInput(before, { Checkbox: { checkbox: true } }, ctx).properties;
    expect(after.Number).toEqual(snapshot.Number);
    expect(before).toEqual(snapshot);
  });

  it("moves last_edited_time and last_edited_by when given an edit stamp", () => {
    const ctx = context();
    const { properties } = applyPropertyInput(blank(ctx), { Number: { number: 1 } }, ctx, {
      time: "2026-06-27T10:00:00.000Z",
      by: ada,
    });
    expect(properties["Last edited time"]).toMatchObject({
      last_edited_time: "2026-06-27T10:00:00.000Z",
    });
    expect(properties["Last edited by"]).toMatchObject({ last_edited_by: ada });
  });
});

describe("select options", () => {
  it("an unknown select name creates the option in the schema", () => {
    const ctx = context();
    const result = applyPropertyInput(
      blank(ctx),
      { Select: { select: { name: "Brand new" } } },
      ctx,
    );
    expect(result.schemaChanged).toBe(true);
    expect(result.properties.Select).toMatchObject({
      select: { id: "new-option-1", name: "Brand new", color: "default" },
    });
    const options = ((ctx.schema.Select as JsonObject).select as JsonObject)
      .options as JsonObject[];
    expect(options.at(-1)).toEqual({
      id: "new-option-1",
      name: "Brand new",
      color: "default",
      description: null,
    });
  });

  it("a new option takes the requested color", () => {
    const result = write({ Select: { select: { name: "Backlog", color: "gray" } } });
    expect(result.properties.Select).toMatchObject({ select: { name: "Backlog", color: "gray" } });
  });

  it("unknown multi_select names are created, order kept, repeats kept once", () => {
    const ctx = context();
    const result = applyPropertyInput(
      blank(ctx),
      {
        "Multi-Select": {
          multi_select: [{ name: "Zeta" }, { name: "MultiOption1" }, { name: "Zeta" }],
        },
      },
      ctx,
    );
    expect(result.schemaChanged).toBe(true);
    expect((result.properties["Multi-Select"] as JsonObject).multi_select).toEqual([
      { id: "new-option-1", name: "Zeta", color: "default" },
      { id: "m-1", name: "MultiOption1", color: "purple" },
    ]);
  });

  it("a select option chosen by id uses the stored option", () => {
    expect(write({ Select: { select: { id: "opt-1" } } }).properties.Select).toMatchObject({
      select: { id: "opt-1", name: "Option1" },
    });
  });

  it("an unknown select id is refused", () => {
    expect(refusal(() => write({ Select: { select: { id: "nope" } } }))).toMatch(/does not exist/);
  });

  it("a select name with a comma is refused as Notion does", () => {
    expect(refusal(() => write({ Select: { select: { name: "High, really" } } }))).toBe(
      "Invalid select option, commas not allowed: High, really",
    );
  });

  it("a failed write adds no option to the schema", () => {
    const ctx = context();
    const before = cloneJson(ctx.schema);
    refusal(() =>
      applyPropertyInput(
        blank(ctx),
        { Select: { select: { name: "Fresh" } }, Number: { number: "x" } },
        ctx,
      ),
    );
    expect(ctx.schema).toEqual(before);
  });

  it("an unknown status is refused and never created", () => {
    const ctx = context();
    expect(
      refusal(() =>
        applyPropertyInput(blank(ctx), { Status: { status: { name: "Blocked" } } }, ctx),
      ),
    ).toBe('Invalid status option. Status option "Blocked" does not exist.');
    expect(((ctx.schema.Status as JsonObject).status as JsonObject).options).toHaveLength(3);
  });
});

describe("refusals", () => {
  it("an unknown property", () => {
    expect(refusal(() => write({ Nope: { number: 1 } }))).toBe(
      "Nope is not a property that exists.",
    );
  });

  it("several name and type problems in one message, as Notion joins them", () => {
    expect(refusal(() => write({ Number: { checkbox: true }, Nope: { number: 1 } }))).toBe(
      "Number is expected to be number. Nope is not a property that exists.",
    );
  });

  for (const name of [
    "Formula",
    "Rollup",
    "Created time",
    "Created by",
    "Last edited time",
    "Last edited by",
    "ID",
    "Button",
  ]) {
    it(`a write to the read-only ${name} property`, () => {
      const type = (schema()[name] as JsonObject).type as string;
      expect(refusal(() => write({ [name]: { [type]: null } }))).toMatch(
        new RegExp(
          `^body failed validation\\. Fix one:\\nbody\\.properties\\.${name}\\.title should be defined`,
        ),
      );
    });
  }

  it("a value of the wrong shape", () => {
    expect(refusal(() => write({ Number: { number: "5" } }))).toBe(
      'body failed validation: body.properties.Number.number should be a number or `null`, instead was `"5"`.',
    );
    expect(refusal(() => write({ Checkbox: { checkbox: null } }))).toMatch(
      /checkbox should be a boolean/,
    );
    expect(refusal(() => write({ URL: { url: 5 } }))).toMatch(/url should be a string or `null`/);
    expect(refusal(() => write({ People: { people: { id: ADA } } }))).toMatch(
      /people should be an array/,
    );
  });

  it("an unknown user in people", () => {
    expect(refusal(() => write({ People: { people: [{ id: TARGET }] } }))).toMatch(
      /Could not find user/,
    );
  });

  it("a relation to a page outside the related data source, or to no page", () => {
    expect(refusal(() => write({ Relation: { relation: [{ id: FOREIGN }] } }))).toMatch(FOREIGN);
    expect(refusal(() => write({ Relation: { relation: [{ id: "not-an-id" }] } }))).toBe(
      'body failed validation: body.properties.Relation.relation[0].id should be a valid uuid, instead was `"not-an-id"`.',
    );
  });

  it("a url longer than 2000 characters", () => {
    const url = `https://x.test/${"a".repeat(1985)}`;
    expect(write({ URL: { url } }).properties.URL).toMatchObject({ url });
    expect(refusal(() => write({ URL: { url: `${url}a` } }))).toBe(
      "body failed validation: body.properties.URL.url.length should be ≤ `2000`, instead was `2001`.",
    );
  });
});

describe("limits of 100 items", () => {
  it("relation: 100 accepted in order and stored in full, 101 refused", () => {
    const ids = pageIds(101);
    const result = write({ Relation: { relation: ids.slice(0, 100).map((id) => ({ id })) } });
    const stored = result.properties.Relation as JsonObject;
    expect(stored.relation).toEqual(ids.slice(0, 100).map((id) => ({ id })));
    expect(stored.has_more).toBe(false);
    expect(refusal(() => write({ Relation: { relation: ids.map((id) => ({ id })) } }))).toBe(
      "body failed validation: body.properties.Relation.relation.length should be ≤ `100`, instead was `101`.",
    );
  });

  it("multi_select: 100 accepted, 101 refused", () => {
    const names = Array.from({ length: 101 }, (_, i) => ({ name: `n${i}` }));
    const result = write({ "Multi-Select": { multi_select: names.slice(0, 100) } });
    expect((result.properties["Multi-Select"] as JsonObject).multi_select).toHaveLength(100);
    expect(refusal(() => write({ "Multi-Select": { multi_select: names } }))).toMatch(
      /multi_select\.length should be ≤ `100`, instead was `101`/,
    );
  });

  it("people: 101 refused", () => {
    const people = Array.from({ length: 101 }, () => ({ id: ADA }));
    expect(refusal(() => write({ People: { people } }))).toMatch(
      /people\.length should be ≤ `100`/,
    );
  });
});

describe("authors", () => {
  it("a created_by given as a user reference is expanded to the full user", () => {
    const { properties } = newPageProperties(undefined, context(), {
      ...META,
      createdBy: { object: "user", id: ADA },
    });
    expect(properties["Created by"]).toMatchObject({ created_by: ada });
    expect(properties["Last edited by"]).toMatchObject({ last_edited_by: ada });
  });
});
