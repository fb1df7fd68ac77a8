import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { SeedFile } from "../../src/emulator/seed-file.ts";
import { demoWorkspace } from "../../src/emulator/workspaces/demo/demo-workspace.ts";
import { personUser } from "../../src/emulator/workspaces/users.ts";
import type { EmulatorSession } from "../support/emulator.ts";
import { openEmulator } from "../support/emulator.ts";
import { demoSourceId, pagesOf } from "../support/demo-lookups.ts";

// A page object carries at most 25 page or person references per property: people lists are cut
// (the 26th on not at all), and in title / rich text a mention of the 26th+ distinct page comes
// back as "Untitled", of the 26th+ distinct user as "@Anonymous". The property endpoint has them
// whole. Relations keep their own cut with has_more (truncation.test.ts).

type Obj = Record<string, unknown>;
type Item = {
  type: string;
  plain_text: string;
  href: string | null;
  mention?: { type: string; page?: { id: string }; user?: Obj };
};

const EXTRA_PEOPLE = 30;

function seedWithPeople(): SeedFile {
  const seed = demoWorkspace();
  for (let i = 0; i < EXTRA_PEOPLE; i += 1) {
    const id = `00000000-0000-4000-8000-${String(0xe000 + i).padStart(12, "0")}`;
    seed.users.push(personUser(id, `Person ${i + 1}`, `person${i + 1}@cut.example`));
  }
  return seed;
}

let session: EmulatorSession;
let seed: SeedFile;
let projectsId: string;
let pageId: string;
let people: string[];
let mentioned: string[];
let names: { title: string; people: string; notes: string; other: string };
let ids: Record<keyof typeof names, string>;
let stored: Record<string, Obj>;

type MentionRequest =
  | { mention: { page: { id: string } } }
  | { mention: { user: { id: string } } }
  | { text: { content: string } };
const separator: MentionRequest = { text: { content: ", " } };
const withSeparators = (mentions: MentionRequest[]) =>
  mentions.flatMap((mention) => [mention, separator]);

beforeAll(async () => {
  session = await openEmulator({ seed: seedWithPeople() });
  seed = session.emulator.dump();
  projectsId = demoSourceId(seed, "projects");
  const source = seed.data_sources.find((candidate) => candidate.id === projectsId) as Obj;
  const schema = Object.entries(source.properties as Record<string, { type: string; id: string }>);
  const named = (type: string, index = 0) => {
    const found = schema.filter(([, value]) => value.type === type)[index];
    if (!found) throw new Error(`the projects have no ${type} property #${index}`);
    return found;
  };
  const [title, people_, notes, other] = [
    named("title"),
    named("people"),
    named("rich_text", 0),
    named("rich_text", 1),
  ];
  names = { title: title[0], people: people_[0], notes: notes[0], other: other[0] };
  ids = { title: title[1].id, people: people_[1].id, notes: notes[1].id, other: other[1].id };

  pageId = String(pagesOf(seed, projectsId)[0]?.id);
  people = seed.users.filter((user) => user.type === "person").map((user) => String(user.id));
  expect(people.length).toBeGreaterThanOrEqual(EXTRA_PEOPLE);
  mentioned = pagesOf(seed, demoSourceId(seed, "phases"))
    .slice(0, 30)
    .map((page) => String(page.id));
  await session.notion.pages.update({
    page_id: pageId,
    properties: {
      [names.people]: { people: people.slice(0, 30).map((id) => ({ id })) },
      [names.title]: {
        title: withSeparators(mentioned.map((id) => ({ mention: { page: { id } } }))),
      },
      [names.notes]: {
        rich_text: withSeparators(people.slice(0, 30).map((id) => ({ mention: { user: { id } } }))),
      },
      [names.other]: {
        rich_text: withSeparators(
          Array.from({ length: 50 }, () => ({ mention: { user: { id: people[0] ?? "" } } })),
        ),
      },
    },
  });
  stored = (session.emulator.workspace().pages.get(pageId) as { properties: Record<string, Obj> })
    .properties;
});
afterAll(() => session.stop());

const propertiesOf = (page: unknown) => (page as { properties: Record<string, Obj> }).properties;
const itemsOf = (value: Obj | undefined, type: string) => (value?.[type] ?? []) as Item[];
const mentionsIn = (items: Item[]) => items.filter((item) => item.type === "mention");

/** Checks one page object (from any endpoint) for the cut. */
function expectCut(page: unknown): void {
  const properties = propertiesOf(page);
  const shownPeople = (properties[names.people]?.people ?? []) as Obj[];
  expect(shownPeople.map((user) => user.id)).toEqual(people.slice(0, 25));
  expect(shownPeople[0]).toEqual((stored[names.people]?.people as Obj[])[0]);

  const title = mentionsIn(itemsOf(properties[names.title], "title"));
  expect(title).toHaveLength(30);
  const storedTitle = mentionsIn(itemsOf(stored[names.title], "title"));
  expect(title.slice(0, 25)).toEqual(storedTitle.slice(0, 25));
  for (const [index, item] of title.slice(25).entries()) {
    expect(item.plain_text).toBe("Untitled");
    expect(item.mention).toEqual({ type: "page", page: { id: mentioned[25 + index] } });
  }
  expect(storedTitle[25]?.plain_text).not.toBe("Untitled");

  const notes = mentionsIn(itemsOf(properties[names.notes], "rich_text"));
  const storedNotes = mentionsIn(itemsOf(stored[names.notes], "rich_text"));
  expect(notes.slice(0, 25)).toEqual(storedNotes.slice(0, 25));
  for (const [index, item] of notes.slice(25).entries()) {
    expect(item.plain_text).toBe("@Anonymous");
    expect(item.mention).toEqual({
      type: "user",
      user: { object: "user", id: people[25 + index] },
    });
  }
  // Text between the mentions is untouched.
  expect(
    itemsOf(properties[names.notes], "rich_text").filter((item) => item.type === "text"),
  ).toEqual(itemsOf(stored[names.notes], "rich_text").filter((item) => item.type === "text"));

  // Fifty mentions of ONE user are one reference: whole, as the recording shows.
  expect(properties[names.other]).toEqual(stored[names.other]);
}

describe("people and mentions past 25 in page objects", () => {
  it("the stored page holds them whole (the write took all 30)", () => {
    expect((stored[names.people]?.people as Obj[]).map((user) => user.id)).toEqual(
      people.slice(0, 30),
    );
    expect(mentionsIn(itemsOf(stored[names.title], "title"))).toHaveLength(30);
  });

  it("GET /v1/pages cuts them", async () => {
    expectCut(await session.notion.pages.retrieve({ page_id: pageId }));
  });

  it("query results cut them", async () => {
    const answer = await session.notion.dataSources.query({
      data_source_id: projectsId,
      filter: { property: names.title, title: { is_not_empty: true } },
      page_size: 100,
    });
    expectCut((answer.results as Obj[]).find((page) => page.id === pageId));
  });

  it("search results cut them", async () => {
    const answer = await session.notion.search({
      filter: { property: "object", value: "page" },
      page_size: 100,
    });
    expectCut((answer.results as Obj[]).find((page) => page.id === pageId));
  });

  it("the PATCH answer cuts them", async () => {
    const answer = await session.notion.pages.update({
      page_id: pageId,
      properties: { [names.people]: { people: people.slice(0, 30).map((id) => ({ id })) } },
    });
    stored = (session.emulator.workspace().pages.get(pageId) as { properties: Record<string, Obj> })
      .properties;
    expectCut(answer);
  });

  it("counts pages and people in one budget of 25 distinct references per property", async () => {
    const mixed: MentionRequest[] = [
      ...mentioned.slice(0, 20).map((id) => ({ mention: { page: { id } } })),
      ...people.slice(0, 10).map((id) => ({ mention: { user: { id } } })),
    ];
    const page = String(pagesOf(seed, projectsId)[1]?.id);
    const answer = await session.notion.pages.update({
      page_id: page,
      properties: { [names.notes]: { rich_text: withSeparators(mixed) } },
    });
    const shown = mentionsIn(itemsOf(propertiesOf(answer)[names.notes], "rich_text"));
    expect(
      shown.slice(0, 25).every((item) => !["Untitled", "@Anonymous"].includes(item.plain_text)),
    ).toBe(true);
    expect(shown.slice(25).map((item) => item.plain_text)).toEqual(Array(5).fill("@Anonymous"));
  });
});

describe("the property endpoint has them whole", () => {
  /** Every item of a paginated property, following next_cursor. */
  async function allItems(propertyId: string): Promise<unknown[]> {
    const items: unknown[] = [];
    let cursor: string | undefined;
    do {
      const answer = (await session.notion.pages.properties.retrieve({
        page_id: pageId,
        property_id: propertyId,
        page_size: 10,
        ...(cursor ? { start_cursor: cursor } : {}),
      })) as { results: Obj[]; next_cursor: string | null; type: string };
      items.push(...answer.results.map((item) => item[String(item.type)]));
      cursor = answer.next_cursor ?? undefined;
    } while (cursor);
    return items;
  }

  it("people: all 30", async () => {
    expect(await allItems(ids.people)).toEqual(stored[names.people]?.people);
  });

  it("title and rich text: every mention as written", async () => {
    expect(await allItems(ids.title)).toEqual(stored[names.title]?.title);
    expect(await allItems(ids.notes)).toEqual(stored[names.notes]?.rich_text);
  });
});
