import { describe, expect, it } from "vitest";
import type { Json, JsonObject } from "../../src/emulator/json.ts";
import { compileFilter } from "../../src/emulator/query/filter.ts";

const NOW = new Date("2025-06-18T12:00:00.000Z"); // a Wednesday
const ALICE = "11111111-1111-4111-8111-111111111111";
const BOB = "22222222-2222-4222-8222-222222222222";
const TARGET = "33333333-3333-4333-8333-333333333333";

const options = (...names: string[]) => ({
  options: names.map((name, i) => ({ id: `opt-${i}`, name, color: "default", description: null })),
});

const SCHEMA: JsonObject = {
  Name: { id: "title", name: "Name", type: "title", title: {} },
  Notes: { id: "%3FB%3AW", name: "Notes", type: "rich_text", rich_text: {} },
  Site: { id: "CWCZ", name: "Site", type: "url", url: {} },
  Score: { id: "dDR%3B", name: "Score", type: "number", number: { format: "number" } },
  Done: { id: "LGzq", name: "Done", type: "checkbox", checkbox: {} },
  Topic: { id: "grew", name: "Topic", type: "select", select: options("Tech", "Art") },
  Tags: { id: "RIfI", name: "Tags", type: "multi_select", multi_select: options("a", "b", "c") },
  Stage: { id: "hlY%3D", name: "Stage", type: "status", status: options("Not started", "Done") },
  Owners: { id: "~ak%40", name: "Owners", type: "people", people: {} },
  Attachments: { id: "%3FbAF", name: "Attachments", type: "files", files: {} },
  Links: { id: "v_%5D%3C", name: "Links", type: "relation", relation: {} },
  Calc: { id: "jeun", name: "Calc", type: "formula", formula: { expression: "" } },
  Roll: { id: "WYH%3A", name: "Roll", type: "rollup", rollup: { function: "show_original" } },
  Count: { id: "cnt", name: "Count", type: "rollup", rollup: { function: "count" } },
  ID: { id: "gY%7BP", name: "ID", type: "unique_id", unique_id: { prefix: null } },
  Creator: { id: "Ur%5DX", name: "Creator", type: "created_by", created_by: {} },
  Created: { id: "kRv%7B", name: "Created", type: "created_time", created_time: {} },
  Verified: { id: "ver", name: "Verified", type: "verification", verification: {} },
  Button: { id: "ImzP", name: "Button", type: "button", button: {} },
};

const richText = (content: string): Json[] =>
  content === ""
    ? []
    : [{ type: "text", text: { content, link: null }, plain_text: content, href: null }];

/** A page whose properties are given as raw inner values, keyed by property name. */
function page(
  id: string,
  values: Record<string, Json>,
  created = "2025-06-01T10:00:00.000Z",
): JsonObject {
  const properties: JsonObject = {};
  for (const [name, inner] of Object.entries(values)) {
    const config = SCHEMA[name] as JsonObject;
    const type = String(config.type);
    properties[name] = { id: String(config.id), type, [type]: inner };
  }
  return { object: "page", id, created_time: created, last_edited_time: created, properties };
}

function matching(filter: Json, pages: JsonObject[]): string[] {
  const keep = compileFilter(filter, SCHEMA, NOW, { me: ALICE });
  return pages.filter(keep).map((p) => String(p.id));
}

describe("text conditions", () => {
  const pages = [
    page("bridge", { Name: richText("Golden Gate Bridge"), Notes: richText("") }),
    page("tower", { Name: richText("Eiffel Tower"), Notes: richText("tall") }),
    page("blank", { Name: richText("") }),
  ];

  it("contains compares case-insensitively on the concatenated plain text", () => {
    expect(matching({ property: "Name", title: { contains: "bridge" } }, pages)).toEqual([
      "bridge",
    ]);
  });

  it("accepts a rich_text filter on the title property", () => {
    expect(matching({ property: "Name", rich_text: { starts_with: "eiffel" } }, pages)).toEqual([
      "tower",
    ]);
  });

  it("equals, ends_with and does_not_contain", () => {
    expect(matching({ property: "Name", title: { equals: "eiffel tower" } }, pages)).toEqual([
      "tower",
    ]);
    expect(matching({ property: "Name", title: { ends_with: "Bridge" } }, pages)).toEqual([
      "bridge",
    ]);
    expect(matching({ property: "Name", title: { does_not_contain: "e" } }, pages)).toEqual([
      "blank",
    ]);
  });

  it("treats no rich text items, and a missing value, as empty", () => {
    expect(matching({ property: "Notes", rich_text: { is_empty: true } }, pages)).toEqual([
      "bridge",
      "blank",
    ]);
    expect(matching({ property: "Notes", rich_text: { is_not_empty: true } }, pages)).toEqual([
      "tower",
    ]);
  });

  it("reads url values as text, null being empty", () => {
    const sites = [page("a", { Site: "https://notion.so" }), page("b", { Site: null })];
    expect(matching({ property: "Site", url: { contains: "notion" } }, sites)).toEqual(["a"]);
    expect(matching({ property: "Site", url: { is_empty: true } }, sites)).toEqual(["b"]);
  });

  it("finds a property by id, encoded or decoded", () => {
    const notes = [page("n", { Notes: richText("tall") })];
    expect(matching({ property: "%3FB%3AW", rich_text: { equals: "tall" } }, notes)).toEqual(["n"]);
    expect(matching({ property: "?B:W", rich_text: { equals: "tall" } }, notes)).toEqual(["n"]);
  });
});

describe("number, unique_id and checkbox conditions", () => {
  const pages = [
    page("low", { Score: 1, ID: { prefix: null, number: 1 }, Done: true }),
    page("high", { Score: 10, ID: { prefix: null, number: 2 }, Done: false }),
    page("none", { Score: null, ID: { prefix: null, number: 3 }, Done: false }),
  ];

  it("compares numbers; an empty number only satisfies is_empty and does_not_equal", () => {
    expect(matching({ property: "Score", number: { greater_than: 1 } }, pages)).toEqual(["high"]);
    expect(matching({ property: "Score", number: { less_than_or_equal_to: 10 } }, pages)).toEqual([
      "low",
      "high",
    ]);
    expect(matching({ property: "Score", number: { does_not_equal: 1 } }, pages)).toEqual([
      "high",
      "none",
    ]);
    expect(matching({ property: "Score", number: { is_empty: true } }, pages)).toEqual(["none"]);
  });

  it("filters unique ids by their number", () => {
    expect(matching({ property: "ID", unique_id: { greater_than_or_equal_to: 2 } }, pages)).toEqual(
      ["high", "none"],
    );
  });

  it("matches checkboxes with equals and does_not_equal", () => {
    expect(matching({ property: "Done", checkbox: { equals: true } }, pages)).toEqual(["low"]);
    expect(matching({ property: "Done", checkbox: { does_not_equal: true } }, pages)).toEqual([
      "high",
      "none",
    ]);
  });
});

describe("select, status and multi_select conditions", () => {
  const option = (name: string) => ({ id: "x", name, color: "default" });
  const pages = [
    page("tech", {
      Topic: option("Tech"),
      Tags: [option("a"), option("b")],
      Stage: option("Done"),
    }),
    page("art", { Topic: option("Art"), Tags: [option("c")], Stage: option("Not started") }),
    page("unset", { Topic: null, Tags: [], Stage: null }),
  ];

  it("select equals by option name; does_not_equal includes empty selects", () => {
    expect(matching({ property: "Topic", select: { equals: "Tech" } }, pages)).toEqual(["tech"]);
    expect(matching({ property: "Topic", select: { does_not_equal: "Tech" } }, pages)).toEqual([
      "art",
      "unset",
    ]);
    expect(matching({ property: "Topic", select: { is_empty: true } }, pages)).toEqual(["unset"]);
  });

  it("an array operand means any of the options", () => {
    expect(matching({ property: "Topic", select: { equals: ["Tech", "Art"] } }, pages)).toEqual([
      "tech",
      "art",
    ]);
  });

  it("status filters work like select", () => {
    expect(matching({ property: "Stage", status: { equals: "Done" } }, pages)).toEqual(["tech"]);
    expect(matching({ property: "Stage", status: { is_not_empty: true } }, pages)).toEqual([
      "tech",
      "art",
    ]);
  });

  it("multi_select contains, does_not_contain and emptiness", () => {
    expect(matching({ property: "Tags", multi_select: { contains: "b" } }, pages)).toEqual([
      "tech",
    ]);
    expect(matching({ property: "Tags", multi_select: { does_not_contain: "a" } }, pages)).toEqual([
      "art",
      "unset",
    ]);
    expect(matching({ property: "Tags", multi_select: { is_empty: true } }, pages)).toEqual([
      "unset",
    ]);
  });
});

describe("people, files and relation conditions", () => {
  const user = (id: string) => ({ object: "user", id });
  const pages = [
    page("mine", {
      Owners: [user(ALICE)],
      Attachments: [{ name: "a.pdf", type: "external", external: { url: "https://x" } }],
      Links: [{ id: TARGET }],
      Creator: user(BOB),
    }),
    page("theirs", { Owners: [user(BOB)], Attachments: [], Links: [], Creator: user(ALICE) }),
    page("nobody", { Owners: [], Attachments: [], Links: [], Creator: user(BOB) }),
  ];

  it("people contains a user id, or the integration itself with 'me'", () => {
    expect(matching({ property: "Owners", people: { contains: BOB } }, pages)).toEqual(["theirs"]);
    expect(matching({ property: "Owners", people: { contains: "me" } }, pages)).toEqual(["mine"]);
    expect(matching({ property: "Owners", people: { is_empty: true } }, pages)).toEqual(["nobody"]);
  });

  it("created_by takes a people condition", () => {
    expect(matching({ property: "Creator", created_by: { contains: ALICE } }, pages)).toEqual([
      "theirs",
    ]);
    expect(matching({ property: "Creator", people: { does_not_contain: ALICE } }, pages)).toEqual([
      "mine",
      "nobody",
    ]);
  });

  it("files only know emptiness", () => {
    expect(matching({ property: "Attachments", files: { is_not_empty: true } }, pages)).toEqual([
      "mine",
    ]);
  });

  it("relation contains a page id, with or without dashes", () => {
    const compact = TARGET.replaceAll("-", "");
    expect(matching({ property: "Links", relation: { contains: compact } }, pages)).toEqual([
      "mine",
    ]);
    expect(matching({ property: "Links", relation: { is_empty: true } }, pages)).toEqual([
      "theirs",
      "nobody",
    ]);
  });
});

describe("formula, rollup and verification conditions", () => {
  it("formula conditions read the formula's result of the matching type", () => {
    const pages = [
      page("text", { Calc: { type: "string", string: "Hello" } }),
      page("num", { Calc: { type: "number", number: 4 } }),
      page("bool", { Calc: { type: "boolean", boolean: true } }),
      page("date", {
        Calc: { type: "date", date: { start: "2025-06-10", end: null, time_zone: null } },
      }),
    ];
    expect(matching({ property: "Calc", formula: { string: { contains: "ell" } } }, pages)).toEqual(
      ["text"],
    );
    expect(matching({ property: "Calc", formula: { number: { equals: 4 } } }, pages)).toEqual([
      "num",
    ]);
    expect(matching({ property: "Calc", formula: { checkbox: { equals: true } } }, pages)).toEqual([
      "bool",
    ]);
    expect(
      matching({ property: "Calc", formula: { date: { on_or_after: "2025-06-10" } } }, pages),
    ).toEqual(["date"]);
  });

  it("rollup any / every / none test the elements of an array rollup", () => {
    const element = (name: string) => ({ type: "title", title: richText(name) });
    const roll = (...names: string[]) => ({
      type: "array",
      array: names.map(element),
      function: "show_original",
    });
    const pages = [
      page("both", { Roll: roll("alpha", "beta") }),
      page("alpha", { Roll: roll("alpha") }),
      page("empty", { Roll: roll() }),
    ];
    const where = (quantifier: string) => ({
      property: "Roll",
      rollup: { [quantifier]: { rich_text: { contains: "alpha" } } },
    });
    expect(matching(where("any"), pages)).toEqual(["both", "alpha"]);
    expect(matching(where("every"), pages)).toEqual(["alpha", "empty"]);
    expect(matching(where("none"), pages)).toEqual(["empty"]);
  });

  it("rollup number conditions read a number rollup", () => {
    const pages = [
      page("three", { Count: { type: "number", number: 3, function: "count" } }),
      page("zero", { Count: { type: "number", number: 0, function: "count" } }),
    ];
    expect(matching({ property: "Count", rollup: { number: { greater_than: 0 } } }, pages)).toEqual(
      ["three"],
    );
  });

  it("verification status distinguishes verified, expired and none", () => {
    const pages = [
      page("ok", { Verified: { state: "verified", date: null, verified_by: null } }),
      page("old", { Verified: { state: "expired", date: null, verified_by: null } }),
      page("never", { Verified: { state: "unverified", date: null, verified_by: null } }),
    ];
    expect(matching({ property: "Verified", verification: { status: "verified" } }, pages)).toEqual(
      ["ok"],
    );
    expect(matching({ property: "Verified", verification: { status: "none" } }, pages)).toEqual([
      "never",
    ]);
    expect(
      matching({ property: "Verified", verification: { does_not_equal: "verified" } }, pages),
    ).toEqual(["old", "never"]);
  });
});

describe("compound filters", () => {
  const option = (name: string) => ({ id: "x", name, color: "default" });
  const pages = [
    page("a", { Topic: option("Tech"), Score: 5, Done: true }),
    page("b", { Topic: option("Tech"), Score: 1, Done: false }),
    page("c", { Topic: option("Art"), Score: 9, Done: false }),
  ];

  it("and / or combine, nested two levels deep", () => {
    const filter: Json = {
      or: [
        { property: "Done", checkbox: { equals: true } },
        {
          and: [
            { property: "Topic", select: { equals: "Art" } },
            { property: "Score", number: { greater_than: 5 } },
          ],
        },
      ],
    };
    expect(matching(filter, pages)).toEqual(["a", "c"]);
  });

  it("a missing or null filter matches every page", () => {
    expect(matching(null, pages)).toEqual(["a", "b", "c"]);
    expect(pages.filter(compileFilter(undefined, SCHEMA, NOW))).toHaveLength(3);
  });

  it("an empty and matches every page", () => {
    expect(matching({ and: [] }, pages)).toEqual(["a", "b", "c"]);
  });
});
