import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { SeedFile } from "../../src/emulator/seed-file.ts";
import type { EmulatorSession } from "../support/emulator.ts";
import { openEmulator } from "../support/emulator.ts";
import { pageWithType } from "../support/demo-lookups.ts";

type Obj = Record<string, unknown>;

let session: EmulatorSession;
let seed: SeedFile;

beforeAll(async () => {
  session = await openEmulator();
  seed = session.emulator.dump();
});
afterAll(() => session.stop());

const retrieve = (pageId: string, propertyId: string, extra: Obj = {}) =>
  session.notion.pages.properties.retrieve({
    page_id: pageId,
    property_id: propertyId,
    ...extra,
  }) as Promise<Obj>;

/** Every item of a paginated property, following next_cursor. */
async function allItems(pageId: string, propertyId: string, pageSize: number) {
  const items: Obj[] = [];
  let cursor: string | undefined;
  let requests = 0;
  do {
    const answer = await retrieve(pageId, propertyId, {
      page_size: pageSize,
      start_cursor: cursor,
    });
    requests += 1;
    expect(answer.object).toBe("list");
    items.push(...(answer.results as Obj[]));
    cursor = (answer.next_cursor as string | null) ?? undefined;
  } while (cursor);
  return { items, requests };
}

describe("GET /v1/pages/{id}/properties/{property_id}: paginated types", () => {
  it("title: one property_item per rich text item, with the list's property_item summary", async () => {
    const { pageId, propertyId, value } = pageWithType(seed, "title");
    const answer = await retrieve(pageId, propertyId);
    expect(answer).toMatchObject({
      object: "list",
      type: "property_item",
      has_more: false,
      next_cursor: null,
      property_item: { id: propertyId, next_url: null, type: "title", title: {} },
    });
    expect((answer.results as Obj[]).map((item) => item.title)).toEqual(value.title);
    for (const item of answer.results as Obj[]) {
      expect(item).toMatchObject({ object: "property_item", type: "title", id: propertyId });
    }
  });

  it("rich_text: pages through the items one at a time", async () => {
    const { pageId, propertyId, value } = pageWithType(
      seed,
      "rich_text",
      (candidate) => (candidate.rich_text as unknown[]).length >= 3,
    );
    const { items, requests } = await allItems(pageId, propertyId, 1);
    const expected = value.rich_text as unknown[];
    expect(requests).toBe(expected.length);
    expect(items.map((item) => item.rich_text)).toEqual(expected);
  });

  it("relation and people: the complete list in order", async () => {
    for (const type of ["relation", "people"]) {
      const { pageId, propertyId, value } = pageWithType(
        seed,
        type,
        (candidate) => (candidate[type] as unknown[]).length >= 2,
      );
      const { items } = await allItems(pageId, propertyId, 100);
      expect(items.map((item) => item[type])).toEqual(value[type]);
      expect(items.every((item) => item.type === type && item.id === propertyId)).toBe(true);
    }
  });

  it("rollup: the computed value rides in property_item", async () => {
    const { pageId, propertyId, value } = pageWithType(seed, "rollup");
    const answer = await retrieve(pageId, propertyId);
    expect(answer).toMatchObject({
      object: "list",
      type: "property_item",
      property_item: { id: propertyId, type: "rollup", next_url: null },
    });
    const rollup = value.rollup as Obj;
    if (rollup.type === "array") {
      expect((answer.results as Obj[]).map((item) => item.rollup)).toEqual(rollup.array);
    } else {
      expect(answer.results).toEqual([]);
      expect((answer.property_item as Obj).rollup).toEqual(rollup);
    }
  });

  it("refuses a page_size over 100 and a cursor it never gave out", async () => {
    const { pageId, propertyId } = pageWithType(seed, "title");
    for (const extra of [{ page_size: 101 }, { start_cursor: "nowhere" }]) {
      const error = await retrieve(pageId, propertyId, extra).catch((caught: unknown) => caught);
      expect(error).toMatchObject({ status: 400, code: "validation_error" });
    }
  });
});

describe("GET /v1/pages/{id}/properties/{property_id}: single items", () => {
  const singles = [
    "number",
    "checkbox",
    "select",
    "multi_select",
    "status",
    "date",
    "email",
    "url",
    "phone_number",
    "files",
    "formula",
    "unique_id",
    "created_time",
    "created_by",
    "last_edited_time",
    "last_edited_by",
  ];
  for (const type of singles) {
    it(`${type}: one property_item holding the page's value`, async () => {
      const { pageId, propertyId, value } = pageWithType(seed, type);
      const answer = await retrieve(pageId, propertyId);
      expect({ ...answer, request_id: undefined }).toEqual({
        object: "property_item",
        type,
        id: propertyId,
        [type]: value[type],
        request_id: undefined,
      });
    });
  }

  it("finds the property by its id decoded, and refuses an id the page does not have", async () => {
    const { pageId, propertyId } = pageWithType(seed, "number");
    const answer = await retrieve(pageId, decodeURIComponent(propertyId));
    expect(answer.id).toBe(propertyId);
    const error = await retrieve(pageId, "zzzz").catch((caught: unknown) => caught);
    expect(error).toMatchObject({ status: 400, code: "validation_error" });
  });
});
