import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { Json, JsonObject, SeedFile } from "../../src/emulator/index.ts";
import {
  WorkspaceBuilder,
  botUser,
  dateValue,
  filesValue,
  formulaValue,
  multiSelectValue,
  optionValue,
  personUser,
  relationValue,
  rollupNumberValue,
  statusGroups,
  textItem,
  userValue,
} from "../../src/emulator/index.ts";
import type { ProjectConfig } from "../../src/config/project-config.ts";
import type { EmulatorSession } from "../support/emulator.ts";
import type { TestProject } from "../support/project.ts";

/** A property name that tries to break out of a quoted SQL identifier. */
export const HOSTILE_NAME = 'a"; DROP TABLE pages; --';

const T = "2025-07-01T00:00:00.000Z";

/** Ids of the fill workspace's pages and people, for rules and assertions. */
export interface FillWorkspace {
  seed: SeedFile;
  /** Items pages: every writable property empty (checkbox unchecked), title included. */
  empty: string;
  /** A second such page. */
  empty2: string;
  /** Items page whose Notes is a single space (typed by someone: not empty), the rest empty. */
  blank: string;
  /** Items page with every writable property holding a value. */
  filled: string;
  /** Items page with every writable property empty; {@link pullFillWorkspace} trashes it. */
  trashed: string;
  /** Others pages (the target of Items.Parent). */
  other: string;
  otherTrashed: string;
  /** A person who appears in a people value (known), and one who appears nowhere. */
  knownPerson: string;
  strangerPerson: string;
}

/**
 * A small workspace for plan tests: "Items" holds one property of every writable type (place
 * added to the schema by hand: the builder has no place spec), read-only ones, and a property with
 * a hostile name; "Others" is the relation target. Aliases: `items`, `others`.
 */
export function fillWorkspace(): FillWorkspace {
  const ws = new WorkspaceBuilder(41);
  const ada = personUser(ws.ids.next(), "Ada Byrne", "ada@example.com");
  const stranger = ws.ids.next();
  const bot = botUser(ws.ids.next(), "Plan Tests", "Plan");
  ws.addUser(ada);
  ws.addUser(bot);
  const people = { createdTime: T, lastEditedTime: T, createdBy: String(bot.id) };
  const others = ws.dataSource({
    key: "others",
    title: "Others",
    emoji: null,
    ...people,
    properties: [{ name: "Name", type: "title" }],
  });
  const items = ws.dataSource({
    key: "items",
    title: "Items",
    emoji: null,
    ...people,
    properties: [
      { name: "Name", type: "title" },
      { name: "Notes", type: "rich_text" },
      { name: "Amount", type: "number", format: "number" },
      {
        name: "Kind",
        type: "select",
        options: [
          { name: "Alpha", color: "red" },
          { name: "Beta", color: "blue" },
        ],
      },
      {
        name: "Tags",
        type: "multi_select",
        options: [
          { name: "red", color: "red" },
          { name: "blue", color: "blue" },
        ],
      },
      {
        name: "Stage",
        type: "status",
        groups: statusGroups(
          [{ name: "Not started", color: "default" }],
          [{ name: "Doing", color: "blue" }],
          [{ name: "Done", color: "green" }],
        ),
      },
      { name: "Due", type: "date" },
      { name: "Owner", type: "people" },
      { name: "Attachments", type: "files" },
      { name: "Checked", type: "checkbox" },
      { name: "Link", type: "url" },
      { name: "Mail", type: "email" },
      { name: "Phone", type: "phone_number" },
      { name: "Parent", type: "relation", target: "others" },
      { name: "Double", type: "formula", expression: "{{Amount}} * 2" },
      { name: "Parents", type: "rollup", relation: "Parent", property: "Name", function: "count" },
      { name: "Ref", type: "unique_id", prefix: "IT" },
      { name: "Created", type: "created_time" },
      { name: "Edited by", type: "last_edited_by" },
      { name: HOSTILE_NAME, type: "rich_text" },
    ],
  });
  const page = (source: typeof items, values: Record<string, Json>) =>
    String(ws.addPage(source, { values, ...people, lastEditedBy: String(bot.id) }).id as string);
  const other = page(others, { Name: [textItem("Other one")] });
  const otherTrashed = page(others, { Name: [textItem("Other gone")] });
  const computed = (amount: number | null, parents: number) => ({
    Double: formulaValue("number", amount === null ? null : amount * 2),
    Parents: rollupNumberValue(parents, "count"),
  });
  const empty = page(items, computed(null, 0));
  const empty2 = page(items, computed(null, 0));
  const blank = page(items, { Notes: [textItem(" ")], ...computed(null, 0) });
  const filled = page(items, {
    Name: [textItem("Filled")],
    Notes: [textItem("typed by a person")],
    Amount: 0,
    Kind: optionValue(items.option("Kind", "Beta")),
    Tags: multiSelectValue([items.option("Tags", "blue")]),
    Stage: optionValue(items.option("Stage", "Done")),
    Due: dateValue("2025-07-09"),
    Owner: [userValue(ada)],
    Attachments: filesValue([{ name: "a.pdf", url: "https://example.com/a.pdf" }]),
    Checked: true,
    Link: "https://example.com/filled",
    Mail: "filled@example.com",
    Phone: "+44 20 7946 0000",
    Parent: relationValue([other]),
    [HOSTILE_NAME]: [textItem("bobby")],
    ...computed(0, 1),
  });
  const trashed = page(items, { Name: [textItem("Trashed")], ...computed(null, 0) });
  const seed = ws.build({
    id: ws.ids.next(),
    name: "Plan Tests",
    bot_user_id: String(bot.id),
    workspace_name: "Plan",
  });
  addPlace(seed, items.id, filled);
  return {
    seed,
    empty,
    empty2,
    blank,
    filled,
    trashed,
    other,
    otherTrashed,
    knownPerson: String(ada.id),
    strangerPerson: stranger,
  };
}

/**
 * Pulls the workspace, then moves `trashed` and `otherTrashed` to the trash in Notion and pulls
 * again in full, so the mirror holds them as trashed pages (a first pull never sees trashed pages).
 */
export async function pullFillWorkspace(
  session: EmulatorSession,
  project: TestProject,
  workspace: FillWorkspace,
): Promise<void> {
  await project.pull();
  for (const id of [workspace.trashed, workspace.otherTrashed]) {
    await session.notion.pages.update({ page_id: id, in_trash: true });
  }
  await project.pull({ full: true });
}

/** Adds a `Place` property to the Items schema and its pages (set on `filledId` only). */
function addPlace(seed: SeedFile, itemsId: string, filledId: string): void {
  const id = "plc%7B";
  const source = (seed.data_sources as JsonObject[]).find((candidate) => candidate.id === itemsId);
  (source?.properties as JsonObject).Place = {
    id,
    name: "Place",
    description: null,
    type: "place",
    place: {},
  };
  for (const page of seed.pages as JsonObject[]) {
    if ((page.parent as JsonObject).data_source_id !== itemsId) continue;
    (page.properties as JsonObject).Place = {
      id,
      type: "place",
      place:
        page.id === filledId
          ? { lat: 51.5, lon: -0.12, name: "Office", address: "1 Main St" }
          : null,
    };
  }
}

/** A rule file's text. */
export function ruleText(header: Record<string, string>, sql: string): string {
  const lines = Object.entries(header).map(([key, value]) => `-- ${key}: ${value}`);
  return `${lines.join("\n")}\n${sql}\n`;
}

/**
 * A fresh rules folder holding `files` (name → text), and the config pointing at it: tests share
 * one pulled mirror and give each plan its own rules.
 */
export function withRules(
  config: ProjectConfig,
  files: Record<string, string>,
): ProjectConfig & { fillsDir: string } {
  const dir = mkdtempSync(join(config.fillsDir, "..", "rules-"));
  mkdirSync(dir, { recursive: true });
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  return { ...config, fillsDir: dir };
}
