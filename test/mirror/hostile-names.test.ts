import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Json, PropertySpec, SeedFile } from "../../src/emulator/index.ts";
import {
  WorkspaceBuilder,
  botUser,
  dateValue,
  personUser,
  textItem,
} from "../../src/emulator/index.ts";
import type { EmulatorSession } from "../support/emulator.ts";
import { openEmulator } from "../support/emulator.ts";
import type { TestProject } from "../support/project.ts";
import { createProject } from "../support/project.ts";

const LONG_A = `${"Very long property name ".repeat(8)}A`; // 193 characters
const LONG_B = `${"Very long property name ".repeat(8)}B`;

/** Property names a Notion user may well type, each with the value one page holds. */
const HOSTILE: Array<{ spec: PropertySpec; value: Json; expected: unknown }> = [
  { spec: { name: "Name", type: "title" }, value: [textItem("Row one")], expected: "Row one" },
  { spec: { name: "name", type: "rich_text" }, value: [textItem("lower")], expected: "lower" },
  {
    spec: { name: 'a"; DROP TABLE pages; --', type: "rich_text" },
    value: [textItem("bobby")],
    expected: "bobby",
  },
  {
    spec: { name: "x'); DELETE FROM pages; --", type: "rich_text" },
    value: [textItem("tables")],
    expected: "tables",
  },
  { spec: { name: "page_id", type: "rich_text" }, value: [textItem("mine")], expected: "mine" },
  {
    spec: { name: "URL", type: "url" },
    value: "https://example.com/u",
    expected: "https://example.com/u",
  },
  { spec: { name: "in_trash", type: "checkbox" }, value: true, expected: 1 },
  { spec: { name: "1st", type: "number", format: "number" }, value: 1, expected: 1 },
  { spec: { name: "🚀", type: "checkbox" }, value: true, expected: 1 },
  { spec: { name: "🎉🎉", type: "rich_text" }, value: [textItem("party")], expected: "party" },
  { spec: { name: LONG_A, type: "rich_text" }, value: [textItem("long a")], expected: "long a" },
  { spec: { name: LONG_B, type: "rich_text" }, value: [textItem("long b")], expected: "long b" },
  {
    spec: { name: "Due", type: "date" },
    value: dateValue("2025-07-01", "2025-07-02"),
    expected: "2025-07-01",
  },
  {
    spec: { name: "Due end", type: "rich_text" },
    value: [textItem("not a date")],
    expected: "not a date",
  },
  {
    spec: { name: "select", type: "rich_text" },
    value: [textItem("keyword")],
    expected: "keyword",
  },
];

function hostileSeed(): SeedFile {
  const ws = new WorkspaceBuilder(7);
  const person = personUser(ws.ids.next(), "Ada Byrne", "ada@example.com");
  const bot = botUser(ws.ids.next(), "Hostile Test", "Hostile");
  ws.addUser(person);
  ws.addUser(bot);
  const source = ws.dataSource({
    key: "hostile",
    title: 'Hostile "names"',
    emoji: null,
    createdTime: "2025-07-01T00:00:00.000Z",
    lastEditedTime: "2025-07-01T00:00:00.000Z",
    createdBy: String(person.id),
    properties: HOSTILE.map((item) => item.spec),
  });
  ws.addPage(source, {
    values: Object.fromEntries(HOSTILE.map((item) => [item.spec.name, item.value])),
    createdTime: "2025-07-01T00:00:00.000Z",
    lastEditedTime: "2025-07-01T00:00:00.000Z",
    createdBy: String(person.id),
    lastEditedBy: String(person.id),
  });
  return ws.build({
    id: ws.ids.next(),
    name: "Hostile Test",
    bot_user_id: String(bot.id),
    workspace_name: "Hostile",
  });
}

let session: EmulatorSession;
let project: TestProject;
const seed = hostileSeed();
const schema = seed.data_sources[0]?.properties as Record<string, { id: string }>;

beforeAll(async () => {
  session = await openEmulator({ seed });
  project = createProject(session);
  await project.pull();
});
afterAll(async () => {
  project?.remove();
  await session?.stop();
});

function read<T>(sql: string, ...params: unknown[]): T[] {
  const mirror = project.openMirror();
  try {
    return mirror.sqlite.prepare(sql).all(...params) as T[];
  } finally {
    mirror.close();
  }
}

describe("hostile property names", () => {
  const view = () => project.config.dataSources[0]?.alias ?? "";

  it("gives the data source a plain alias whatever its title", () => {
    expect(view()).toBe("hostile_names");
  });

  it("makes unique, collision-proof columns that never shadow the page columns", () => {
    const columns = read<{ name: string }>(`PRAGMA table_info("${view()}")`).map((c) => c.name);
    const long = "very_long_property_name_very_long_property_name_very_long_pr";
    expect(new Set(columns.map((name) => name.toLowerCase())).size).toBe(columns.length);
    expect([...columns].sort()).toEqual(
      [
        "page_id",
        "url",
        "created_time",
        "last_edited_time",
        "in_trash",
        "name",
        "name_2",
        "a_drop_table_pages",
        "x_delete_from_pages",
        "page_id_2",
        "url_2",
        "in_trash_2",
        "p_1st",
        "property",
        "property_2",
        long,
        `${long}_2`,
        "due",
        "due_end",
        "due_end_2",
        "select",
      ].sort(),
    );
    // Every column is a plain identifier: nothing to quote, nothing to inject.
    expect(columns.every((name) => /^[a-z][a-z0-9_]*$/.test(name))).toBe(true);
  });

  it("shows each property's value under the column the column map names", () => {
    const [row] = read<Record<string, unknown>>(`SELECT * FROM "${view()}"`);
    expect(row?.page_id).toBe(seed.pages[0]?.id);
    expect(row?.in_trash).toBe(0);
    expect(row?.url).toBe(seed.pages[0]?.url);
    for (const { spec, expected } of HOSTILE) {
      const [mapped] = read<{ column: string }>(
        "SELECT column_name AS column FROM column_map WHERE property_id = ? AND part IN ('value', 'start')",
        schema[spec.name]?.id,
      );
      expect(mapped, spec.name).toBeDefined();
      expect(row?.[mapped?.column ?? ""], spec.name).toEqual(expected);
    }
    expect(row?.due_end === "2025-07-02" || row?.due_end_2 === "2025-07-02").toBe(true);
  });

  it("leaves the mirror's own tables intact", () => {
    const tables = read<{ name: string }>(
      "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE '__drizzle%' ORDER BY name",
    ).map((table) => table.name);
    expect(tables).toEqual(
      expect.arrayContaining([
        "column_map",
        "data_sources",
        "pages",
        "properties",
        "relations",
        "schema_changes",
      ]),
    );
    expect(read("SELECT count(*) AS n FROM pages")).toEqual([{ n: 1 }]);
    expect(read("PRAGMA integrity_check")).toEqual([{ integrity_check: "ok" }]);
    const names = read<{ name: string }>("SELECT name FROM properties ORDER BY name").map(
      (p) => p.name,
    );
    expect(names).toEqual(HOSTILE.map((item) => item.spec.name).sort());
  });
});
