import type { JsonObject, SeedFile } from "../../src/emulator/index.ts";
import { DEMO_DATA_SOURCES, demoWorkspace } from "../../src/emulator/index.ts";

/** Property ids of the types the demo does not use, as Notion would encode them. */
export const EXTRA_PROPERTY_IDS = { button: "Btn%3F", place: "Plc%7E" } as const;

/**
 * The demo workspace plus a `button` and a `place` property on the tracker data source (types
 * the demo leaves out: they are neither writable nor part of the backfill story), in Notion's own
 * formats, so tests can read and refuse-to-write them like any other property.
 */
export function demoWithExtraTypes(): SeedFile {
  const seed = demoWorkspace();
  const tracker = seed.data_sources.find(
    (source) =>
      (source.title as Array<{ plain_text: string }>).map((item) => item.plain_text).join("") ===
      DEMO_DATA_SOURCES.tracker,
  );
  if (!tracker) throw new Error("the demo has no tracker data source");
  const schema = tracker.properties as JsonObject;
  schema.Run = {
    id: EXTRA_PROPERTY_IDS.button,
    name: "Run",
    description: null,
    type: "button",
    button: {},
  };
  schema.Office = {
    id: EXTRA_PROPERTY_IDS.place,
    name: "Office",
    description: null,
    type: "place",
    place: {},
  };
  for (const page of seed.pages) {
    if ((page.parent as JsonObject).data_source_id !== tracker.id) continue;
    const properties = page.properties as JsonObject;
    properties.Run = { id: EXTRA_PROPERTY_IDS.button, type: "button", button: {} };
    properties.Office = { id: EXTRA_PROPERTY_IDS.place, type: "place", place: null };
  }
  return seed;
}
