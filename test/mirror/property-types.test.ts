import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { EmulatorSession } from "../support/emulator.ts";
import { openEmulator } from "../support/emulator.ts";
import type { TestProject } from "../support/project.ts";
import { createProject } from "../support/project.ts";
import { FILLED_PAGE_ID, PERSON_ID, RECORDED_BOT_ID, allTypesSeed } from "./all-types-seed.ts";

// The plain sqlite3 shell is part of the promise ("the views read right in the plain sqlite3
// CLI"); this machine has it at /usr/bin/sqlite3. Without it the test fails rather than skips.
const SQLITE3 = "/usr/bin/sqlite3";

const { seed, dataSourceId, recordedPages } = allTypesSeed();
const [recorded2, recorded1] = recordedPages; // the query answered "Item 2" first
const VIEW = "all_properties_db";

let session: EmulatorSession;
let project: TestProject;

beforeAll(async () => {
  session = await openEmulator({ seed });
  project = createProject(session);
  await project.pull();
});
afterAll(async () => {
  project?.remove();
  await session?.stop();
});

type Row = Record<string, unknown>;

/** Each column of one view row with its value and SQLite's typeof(), read through better-sqlite3. */
function typedRow(pageId: string): Record<string, { value: unknown; type: string }> {
  const mirror = project.openMirror();
  try {
    const columns = (mirror.sqlite.prepare(`PRAGMA table_info("${VIEW}")`).all() as Row[]).map(
      (column) => String(column.name),
    );
    const select = columns
      .map(
        (name, i) =>
          `"${name.replaceAll('"', '""')}" AS v${i}, typeof("${name.replaceAll('"', '""')}") AS t${i}`,
      )
      .join(", ");
    const row = mirror.sqlite
      .prepare(`SELECT ${select} FROM "${VIEW}" WHERE page_id = ?`)
      .get(pageId) as Row;
    return Object.fromEntries(
      columns.map((name, i) => [name, { value: row[`v${i}`], type: String(row[`t${i}`]) }]),
    );
  } finally {
    mirror.close();
  }
}

describe("every property type of the recorded 'All Properties DB'", () => {
  it("gives each property its view column, with the column map recording id, type and SQL type", () => {
    const mirror = project.openMirror();
    const map = mirror.sqlite
      .prepare(
        "SELECT column_name, property_id, property_type, sql_type, part FROM column_map WHERE data_source_id = ? ORDER BY rowid",
      )
      .all(dataSourceId) as Row[];
    mirror.close();
    const byColumn = Object.fromEntries(map.map((row) => [row.column_name, row]));
    const schema = (seed.data_sources[0]?.properties ?? {}) as Record<
      string,
      { id: string; type: string }
    >;
    const expected: Record<string, [property: string, sqlType: string, part: string]> = {
      text: ["Text", "TEXT", "value"],
      files: ["Files", "TEXT", "value"],
      phone_number: ["Phone number", "TEXT", "value"],
      url_2: ["URL", "TEXT", "value"], // `url` is the page's own column
      button: ["Button", "TEXT", "value"],
      checkbox: ["Checkbox", "INTEGER", "value"],
      multi_select: ["Multi-Select", "TEXT", "value"],
      ai_summary: ["AI summary", "TEXT", "value"],
      created_by: ["Created by", "TEXT", "value"],
      rollup: ["Rollup", "ANY", "value"],
      ai_custom: ["AI custom", "TEXT", "value"],
      number: ["Number", "REAL", "value"],
      ai_key_info: ["AI key info", "TEXT", "value"],
      id: ["ID", "INTEGER", "value"],
      select: ["Select", "TEXT", "value"],
      status: ["Status", "TEXT", "value"],
      relation_two_way: ["Relation two-way", "TEXT", "value"],
      formula: ["Formula", "ANY", "value"],
      created_time_2: ["Created time", "TEXT", "value"],
      last_edited_time_2: ["Last edited time", "TEXT", "value"],
      place: ["Place", "TEXT", "value"],
      date: ["Date", "TEXT", "start"],
      date_end: ["Date", "TEXT", "end"],
      relation: ["Relation", "TEXT", "value"],
      email: ["Email", "TEXT", "value"],
      people: ["People", "TEXT", "value"],
      last_edited_by: ["Last edited by", "TEXT", "value"],
      title: ["Title", "TEXT", "value"],
    };
    for (const [column, [property, sqlType, part]] of Object.entries(expected)) {
      expect(byColumn[column], column).toEqual({
        column_name: column,
        property_id: schema[property]?.id,
        property_type: schema[property]?.type,
        sql_type: sqlType,
        part,
      });
    }
    const pageColumns = ["page_id", "url", "created_time", "last_edited_time", "in_trash"];
    expect(map.slice(0, 5).map((row) => [row.column_name, row.part])).toEqual(
      pageColumns.map((name) => [name, "page"]),
    );
    expect(map).toHaveLength(pageColumns.length + Object.keys(expected).length);
  });

  it("reads the recorded page as Notion shows it: empties are NULL, a checkbox is 0/1", () => {
    const row = typedRow(String(recorded1?.id));
    expect(row.page_id).toEqual({ value: recorded1?.id, type: "text" });
    expect(row.url).toEqual({ value: recorded1?.url, type: "text" });
    expect(row.created_time).toEqual({ value: "2026-06-26T13:45:00.000Z", type: "text" });
    expect(row.in_trash).toEqual({ value: 0, type: "integer" });
    expect(row.title).toEqual({ value: "Item 1", type: "text" });
    expect(row.text).toEqual({ value: "Text 1", type: "text" });
    expect(row.number).toEqual({ value: 1, type: "real" });
    expect(row.checkbox).toEqual({ value: 0, type: "integer" });
    expect(row.status).toEqual({ value: "Not started", type: "text" });
    expect(row.id).toEqual({ value: 2, type: "integer" });
    expect(row.rollup).toEqual({ value: 0, type: "integer" });
    expect(row.created_by).toEqual({ value: RECORDED_BOT_ID, type: "text" });
    expect(row.last_edited_by).toEqual({ value: RECORDED_BOT_ID, type: "text" });
    expect(row.created_time_2).toEqual({ value: "2026-06-26T13:45:00.000Z", type: "text" });
    expect(row.last_edited_time_2).toEqual({ value: "2026-06-26T13:45:00.000Z", type: "text" });
    for (const empty of [
      "files",
      "phone_number",
      "url_2",
      "button",
      "multi_select",
      "ai_summary",
      "select",
      "relation_two_way",
      "formula",
      "place",
      "date",
      "date_end",
      "relation",
      "email",
      "people",
    ]) {
      expect(row[empty], empty).toEqual({ value: null, type: "null" });
    }
    expect(typedRow(String(recorded2?.id)).checkbox).toEqual({ value: 1, type: "integer" });
  });

  it("reads every type with a value: names, plain text, JSON arrays, date start and end", () => {
    const row = typedRow(FILLED_PAGE_ID);
    const json = (name: string) => JSON.parse(String(row[name]?.value)) as unknown;
    expect(row.title).toEqual({ value: "Item 3", type: "text" });
    expect(row.text).toEqual({ value: "Hello world", type: "text" });
    expect(row.number).toEqual({ value: 12.5, type: "real" });
    expect(row.checkbox).toEqual({ value: 1, type: "integer" });
    expect(row.select).toEqual({ value: "Option2", type: "text" });
    expect(row.status).toEqual({ value: "Done", type: "text" });
    expect(row.date).toEqual({ value: "2025-07-01", type: "text" });
    expect(row.date_end).toEqual({ value: "2025-07-03", type: "text" });
    expect(row.phone_number).toEqual({ value: "+44 20 7946 0958", type: "text" });
    expect(row.url_2).toEqual({ value: "https://example.com/item-3", type: "text" });
    expect(row.email).toEqual({ value: "ada@example.com", type: "text" });
    expect(row.id).toEqual({ value: 4, type: "integer" });
    expect(row.formula).toEqual({ value: 25, type: "integer" });
    expect(row.rollup).toEqual({ value: 2, type: "integer" });
    expect(row.button).toEqual({ value: null, type: "null" });
    expect(json("multi_select")).toEqual(["MultiOption1", "MultiOption2"]);
    expect(json("people")).toEqual([PERSON_ID]);
    expect(json("relation")).toEqual([recorded1?.id, recorded2?.id]);
    // A Notion-hosted file shows its name (its URL is signed and expires), an external one its URL.
    expect(json("files")).toEqual(["spec.pdf", "https://example.com/logo.png"]);
    expect(json("place")).toEqual({ lat: 51.5, lon: -0.12, name: "Office", address: "1 Main St" });
    for (const name of ["multi_select", "people", "relation", "files", "place"]) {
      expect(row[name]?.type, name).toBe("text");
    }
  });

  it("keeps each page lossless: the raw JSON is Notion's page, relations in their own table", () => {
    const mirror = project.openMirror();
    try {
      const raw = mirror.sqlite
        .prepare("SELECT raw_json FROM pages WHERE id = ?")
        .pluck()
        .get(recorded1?.id) as string;
      const stored = JSON.parse(raw) as Row;
      expect(stored.properties).toEqual(recorded1?.properties);
      const relations = mirror.sqlite
        .prepare(
          "SELECT property_id, target_page_id FROM relations WHERE page_id = ? ORDER BY position",
        )
        .all(FILLED_PAGE_ID);
      expect(relations).toEqual([
        { property_id: "v_%5D%3C", target_page_id: recorded1?.id },
        { property_id: "v_%5D%3C", target_page_id: recorded2?.id },
      ]);
    } finally {
      mirror.close();
    }
  });

  it("reads the same in the plain sqlite3 shell", () => {
    expect(existsSync(SQLITE3), `${SQLITE3} is needed for this test`).toBe(true);
    const out = execFileSync(
      SQLITE3,
      [
        "-json",
        "-readonly",
        project.config.mirrorPath,
        `SELECT title, number, typeof(number) AS number_type, checkbox, date, date_end, "select", status, multi_select, people, relation, formula, id FROM ${VIEW} ORDER BY title`,
      ],
      { encoding: "utf8" },
    );
    const rows = JSON.parse(out) as Row[];
    expect(rows.map((row) => row.title)).toEqual(["Item 1", "Item 2", "Item 3"]);
    expect(rows[2]).toEqual({
      title: "Item 3",
      number: 12.5,
      number_type: "real",
      checkbox: 1,
      date: "2025-07-01",
      date_end: "2025-07-03",
      select: "Option2",
      status: "Done",
      multi_select: '["MultiOption1","MultiOption2"]',
      people: JSON.stringify([PERSON_ID]),
      relation: JSON.stringify([recorded1?.id, recorded2?.id]),
      formula: 25,
      id: 4,
    });
    expect(rows[0]).toMatchObject({
      title: "Item 1",
      number: 1.0,
      checkbox: 0,
      status: "Not started",
    });
  });
});
