import type { SeedFile } from "../../src/emulator/seed-file.ts";

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
