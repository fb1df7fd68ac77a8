import type { JsonObject, SeedFile } from "../../../src/emulator/index.ts";
import { textItem } from "../../../src/emulator/index.ts";

/**
 * Schema changes a person makes in Notion, applied to a dump (then `reseed`): each edits the data
 * source's schema and every one of its pages alike. Page timestamps are left alone, as Notion
 * leaves them on a schema change.
 */
function sourceAndPages(seed: SeedFile, dataSourceId: string) {
  const source = seed.data_sources.find((candidate) => candidate.id === dataSourceId);
  if (!source) throw new Error(`no data source ${dataSourceId}`);
  const pages = seed.pages
    .filter((page) => (page.parent as JsonObject).data_source_id === dataSourceId)
    .map((page) => page.properties as JsonObject);
  return { schema: source.properties as JsonObject, pages };
}

function renameKey(map: JsonObject, from: string, to: string): void {
  const value = map[from] as JsonObject | undefined;
  if (!value) throw new Error(`no property ${from}`);
  delete map[from];
  map[to] = "name" in value ? { ...value, name: to } : value;
}

export function renameProperty(seed: SeedFile, dataSourceId: string, from: string, to: string) {
  const { schema, pages } = sourceAndPages(seed, dataSourceId);
  renameKey(schema, from, to);
  for (const properties of pages) renameKey(properties, from, to);
  return seed;
}

export function removeProperty(seed: SeedFile, dataSourceId: string, name: string) {
  const { schema, pages } = sourceAndPages(seed, dataSourceId);
  delete schema[name];
  for (const properties of pages) delete properties[name];
  return seed;
}

/** Turns a property into rich text, each value becoming its JSON text (or empty). */
export function retypeToText(seed: SeedFile, dataSourceId: string, name: string) {
  const { schema, pages } = sourceAndPages(seed, dataSourceId);
  const old = schema[name] as JsonObject;
  const id = String(old.id);
  schema[name] = { id, name, description: null, type: "rich_text", rich_text: {} };
  for (const properties of pages) {
    const value = properties[name] as JsonObject;
    const inner = value[String(value.type)];
    properties[name] = {
      id,
      type: "rich_text",
      rich_text: inner === null || inner === undefined ? [] : [textItem(JSON.stringify(inner))],
    };
  }
  return seed;
}
