import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { SeedFile } from "../../src/emulator/seed-file.ts";
import { DEMO_FACTS } from "../../src/emulator/workspaces/demo/demo-facts.ts";
import type { EmulatorSession } from "../support/emulator.ts";
import { openEmulator } from "../support/emulator.ts";
import { demoSourceId, longestRelation } from "../support/demo-lookups.ts";

type Obj = Record<string, unknown>;
type Relation = { relation: Array<{ id: string }>; has_more: boolean };

let session: EmulatorSession;
let seed: SeedFile;
let milestone: ReturnType<typeof longestRelation>;

beforeAll(async () => {
  session = await openEmulator();
  seed = session.emulator.dump();
  milestone = longestRelation(seed);
});
afterAll(() => session.stop());

const relationOf = (page: unknown, name: string) =>
  (page as { properties: Record<string, Relation> }).properties[name];

describe("relations longer than 25 items", () => {
  it("the demo milestone relates to 30 phases", () => {
    expect(milestone.targetIds).toHaveLength(DEMO_FACTS.maxRelationLength);
  });

  it("GET /v1/pages shows the first 25 with has_more true", async () => {
    const page = await session.notion.pages.retrieve({ page_id: milestone.pageId });
    const relation = relationOf(page, milestone.name);
    expect(relation?.has_more).toBe(true);
    expect(relation?.relation.map((item) => item.id)).toEqual(milestone.targetIds.slice(0, 25));
  });

  it("query results cut the same way, and relations of 25 or fewer say has_more false", async () => {
    const answer = await session.notion.dataSources.query({
      data_source_id: demoSourceId(seed, "milestones"),
    });
    let checked = 0;
    for (const page of answer.results as Obj[]) {
      for (const value of Object.values(page.properties as Record<string, Obj>)) {
        if (value.type !== "relation") continue;
        const relation = value as unknown as Relation;
        const full = page.id === milestone.pageId && value.id === milestone.propertyId;
        expect(relation.has_more).toBe(full);
        expect(relation.relation.length).toBeLessThanOrEqual(25);
        checked += 1;
      }
    }
    expect(checked).toBeGreaterThan(1);
  });

  it("the property endpoint returns all 30 in order", async () => {
    const answer = (await session.notion.pages.properties.retrieve({
      page_id: milestone.pageId,
      property_id: milestone.propertyId,
    })) as Obj;
    expect(answer.has_more).toBe(false);
    const results = answer.results as Array<{ relation: { id: string } }>;
    expect(results.map((item) => item.relation.id)).toEqual(milestone.targetIds);
  });

  it("pages through them 10 at a time with next_cursor and next_url", async () => {
    const ids: string[] = [];
    let cursor: string | undefined;
    let requests = 0;
    do {
      const answer = (await session.notion.pages.properties.retrieve({
        page_id: milestone.pageId,
        property_id: milestone.propertyId,
        page_size: 10,
        start_cursor: cursor,
      })) as Obj;
      requests += 1;
      const results = answer.results as Array<{ relation: { id: string } }>;
      ids.push(...results.map((item) => item.relation.id));
      const nextUrl = (answer.property_item as { next_url: string | null }).next_url;
      expect(answer.has_more).toBe(answer.next_cursor !== null);
      if (answer.has_more) {
        expect(nextUrl).toMatch(new RegExp(`^${session.emulator.url}/v1/pages/`));
        expect(nextUrl).toContain(`start_cursor=${String(answer.next_cursor)}`);
      } else {
        expect(nextUrl).toBeNull();
      }
      cursor = (answer.next_cursor as string | null) ?? undefined;
    } while (cursor);
    expect(requests).toBe(3);
    expect(ids).toEqual(milestone.targetIds);
  });

  it("next_url, fetched as given, continues where the page left off", async () => {
    const first = (await session.notion.pages.properties.retrieve({
      page_id: milestone.pageId,
      property_id: milestone.propertyId,
      page_size: 25,
    })) as Obj;
    const nextUrl = String((first.property_item as { next_url: string }).next_url);
    const rest = await session.fetchRaw(nextUrl.slice(session.emulator.url.length));
    expect(rest.status).toBe(200);
    const results = rest.json.results as Array<{ relation: { id: string } }>;
    expect(results.map((item) => item.relation.id)).toEqual(milestone.targetIds.slice(25));
    expect(rest.json.has_more).toBe(false);
  });
});
