import type { DemoSourceKey, SeedFile } from "../../src/emulator/index.ts";
import { DEMO_DATA_SOURCES } from "../../src/emulator/index.ts";

type Obj = Record<string, unknown>;

/** A live page of the demo with a rich_text property, for write tests. */
export function firstWritableTextPage(seed: SeedFile): {
  pageId: string;
  property: string;
  dataSourceId: string;
} {
  for (const page of seed.pages as Obj[]) {
    if (page.in_trash) continue;
    const properties = page.properties as Record<string, Obj>;
    for (const [name, value] of Object.entries(properties)) {
      if (value.type === "rich_text") {
        const parent = page.parent as Obj;
        return {
          pageId: String(page.id),
          property: name,
          dataSourceId: String(parent.data_source_id),
        };
      }
    }
  }
  throw new Error("the demo has no page with a rich_text property");
}

/** The data source of the demo with this title. */
export function dataSourceNamed(seed: SeedFile, title: string): Obj {
  const found = (seed.data_sources as Obj[]).find(
    (source) =>
      (source.title as Array<{ plain_text: string }>).map((item) => item.plain_text).join("") ===
      title,
  );
  if (!found) throw new Error(`the demo has no data source named ${title}`);
  return found;
}

/** The pages of one data source, in seed order. */
export function pagesOf(seed: SeedFile, dataSourceId: string): Obj[] {
  return (seed.pages as Obj[]).filter(
    (page) => (page.parent as Obj).data_source_id === dataSourceId,
  );
}

/** The id of the demo data source with this key (see DEMO_DATA_SOURCES). */
export function demoSourceId(seed: SeedFile, key: DemoSourceKey): string {
  return String(dataSourceNamed(seed, DEMO_DATA_SOURCES[key]).id);
}

/** The first page of the seed with a property of `type`, with that property's name, id and value. */
export function pageWithType(
  seed: SeedFile,
  type: string,
  accept: (value: Obj) => boolean = () => true,
): { pageId: string; name: string; propertyId: string; value: Obj } {
  for (const page of seed.pages as Obj[]) {
    if (page.in_trash) continue;
    for (const [name, value] of Object.entries(page.properties as Record<string, Obj>)) {
      if (value.type === type && accept(value)) {
        return { pageId: String(page.id), name, propertyId: String(value.id), value };
      }
    }
  }
  throw new Error(`the seed has no page with a ${type} property`);
}

/** The page with the longest relation list (the demo's milestone with 30 phases). */
export function longestRelation(seed: SeedFile): {
  pageId: string;
  name: string;
  propertyId: string;
  targetIds: string[];
} {
  let best: { pageId: string; name: string; propertyId: string; targetIds: string[] } | undefined;
  for (const page of seed.pages as Obj[]) {
    for (const [name, value] of Object.entries(page.properties as Record<string, Obj>)) {
      if (value.type !== "relation") continue;
      const targetIds = (value.relation as Obj[]).map((item) => String(item.id));
      if (!best || targetIds.length > best.targetIds.length) {
        best = { pageId: String(page.id), name, propertyId: String(value.id), targetIds };
      }
    }
  }
  if (!best) throw new Error("the seed has no relation");
  return best;
}
