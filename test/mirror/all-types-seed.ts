import type { JsonObject, SeedFile } from "../../src/emulator/index.ts";
import { botUser, databaseObject, personUser } from "../../src/emulator/index.ts";
import { readFixture } from "../support/fixtures.ts";

/** The recorded integration's bot (created_by / last_edited_by of the recorded pages). */
export const RECORDED_BOT_ID = "00000000-0000-4000-8000-0000000000f1";
export const PERSON_ID = "fc820d21-80ec-4d06-878c-f991bc8070d2";
/** The page this seed adds beside the two recorded ones, with every property filled. */
export const FILLED_PAGE_ID = "38b9ce7b-60a4-81ff-9c00-00000000f111";

const text = (content: string, extra: JsonObject = {}): JsonObject => ({
  type: "text",
  text: { content, link: null },
  annotations: {
    bold: false,
    italic: false,
    strikethrough: false,
    underline: false,
    code: false,
    color: "default",
  },
  plain_text: content,
  href: null,
  ...extra,
});

/**
 * A workspace around Notion's recorded "All Properties DB" data source
 * (un_data_source_all_property_types_2025-09-03.json) and the two pages of its recorded query
 * (un_ds_query_all_property_types_page.json), kept exactly as recorded, plus a third page in the
 * same shape with every property holding a value. Fails (never skips) when the fixtures are missing.
 */
export function allTypesSeed(): {
  seed: SeedFile;
  dataSourceId: string;
  recordedPages: JsonObject[];
} {
  const source = structuredClone(
    readFixture("un_data_source_all_property_types_2025-09-03.json"),
  ) as JsonObject;
  delete source.request_id;
  const query = readFixture("un_ds_query_all_property_types_page.json") as {
    results: JsonObject[];
  };
  const recordedPages = structuredClone(query.results);
  const dataSourceId = String(source.id);
  const databaseId = String((source.parent as JsonObject).database_id);
  const options = (name: string) =>
    (
      ((source.properties as JsonObject)[name] as JsonObject)[
        name === "Multi-Select" ? "multi_select" : name.toLowerCase()
      ] as { options: JsonObject[] }
    ).options;
  const bot = botUser(RECORDED_BOT_ID, "Ultimate Notion Tests", "Recorded Workspace");
  const person = personUser(PERSON_ID, "Ada Byrne", "ada@example.com");
  const botValue = {
    object: "user",
    id: RECORDED_BOT_ID,
    name: "Ultimate Notion Tests",
    avatar_url: null,
    type: "bot",
    bot: {},
  };

  const filled = structuredClone(recordedPages[1]) as JsonObject;
  filled.id = FILLED_PAGE_ID;
  filled.url = `https://www.notion.so/Item-3-${FILLED_PAGE_ID.replaceAll("-", "")}`;
  const [multi1, multi2] = options("Multi-Select");
  const [, option2] = options("Select");
  const done = options("Status")[2];
  const set = (name: string, value: unknown) => {
    const property = (filled.properties as JsonObject)[name] as JsonObject;
    property[String(property.type)] = value as JsonObject;
  };
  set("Title", [text("Item 3")]);
  set("Text", [text("Hello "), text("world", { href: "https://example.com/w" })]);
  set("Files", [
    {
      name: "spec.pdf",
      type: "file",
      file: {
        url: "https://prod-files.example/spec.pdf?sig=1",
        expiry_time: "2026-06-26T14:45:00.000Z",
      },
    },
    { name: "logo", type: "external", external: { url: "https://example.com/logo.png" } },
  ]);
  set("Phone number", "+44 20 7946 0958");
  set("URL", "https://example.com/item-3");
  set("Checkbox", true);
  set(
    "Multi-Select",
    [multi1, multi2].map((option) => ({
      id: option?.id,
      name: option?.name,
      color: option?.color,
    })),
  );
  set("Rollup", { type: "number", number: 2, function: "count" });
  set("Number", 12.5);
  set("ID", { prefix: null, number: 4 });
  set("Select", { id: option2?.id, name: option2?.name, color: option2?.color });
  set("Status", { id: done?.id, name: done?.name, color: done?.color });
  set("Formula", { type: "number", number: 25 });
  set("Date", { start: "2025-07-01", end: "2025-07-03", time_zone: null });
  set("Place", { lat: 51.5, lon: -0.12, name: "Office", address: "1 Main St" });
  // "Item 1", then "Item 2" (the recorded query answered them the other way round).
  set("Relation", [{ id: String(recordedPages[1]?.id) }, { id: String(recordedPages[0]?.id) }]);
  set("Email", "ada@example.com");
  set("People", [
    {
      object: "user",
      id: PERSON_ID,
      name: "Ada Byrne",
      avatar_url: null,
      type: "person",
      person: { email: "ada@example.com" },
    },
  ]);
  set("Created by", botValue);
  set("Last edited by", botValue);

  const seed: SeedFile = {
    integration: {
      id: "00000000-0000-4000-8000-0000000000e1",
      name: "Ultimate Notion Tests",
      bot_user_id: RECORDED_BOT_ID,
      workspace_name: "Recorded Workspace",
    },
    users: [bot, person],
    databases: [
      databaseObject(
        {
          id: databaseId,
          title: "All Properties DB",
          createdTime: String(source.created_time),
          lastEditedTime: String(source.last_edited_time),
          icon: null,
        },
        { type: "page_id", page_id: "00000000-0000-4000-8000-000000000001" },
        [{ id: dataSourceId, name: "All Properties DB" }],
      ),
    ],
    data_sources: [source],
    pages: [...recordedPages.map((page) => structuredClone(page)), filled],
  };
  return { seed, dataSourceId, recordedPages };
}
