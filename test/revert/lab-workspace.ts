import type { SeedFile } from "../../src/emulator/index.ts";
import {
  WorkspaceBuilder,
  botUser,
  personUser,
  statusGroups,
  textItem,
} from "../../src/emulator/index.ts";

/** Titles of the lab's pages: `item-*` have every writable field empty, `target-*` are relation targets. */
export const LAB_ITEMS = ["alpha", "beta", "gamma", "delta"] as const;
export const LAB_TARGET_COUNT = 110;

export interface Lab {
  seed: SeedFile;
  itemsId: string;
  targetsId: string;
  /** Page ids by title. */
  pages: Record<string, string>;
  people: { ada: string; ben: string; cleo: string };
}

const at = "2025-06-01T10:00:00.000Z";

/**
 * A small workspace with one property of every writable type (rich text, number, checkbox, url,
 * email, phone, select, status, multi-select, date, relation, people, files) on pages whose fields
 * are all empty, and 110 pages to relate to (more than Notion's 25 per page object and 100 per
 * write), plus a last_edited_time property to show that revert bumps it.
 */
export function labWorkspace(): Lab {
  const ws = new WorkspaceBuilder(0x1ab);
  const ada = personUser(ws.ids.next(), "Ada Byrne", "ada@lab.example");
  const ben = personUser(ws.ids.next(), "Ben Osei", "ben@lab.example");
  const cleo = personUser(ws.ids.next(), "Cleo Varga", "cleo@lab.example");
  const bot = botUser(ws.ids.next(), "Lab integration", "Lab");
  for (const user of [ada, ben, cleo, bot]) ws.addUser(user);
  const common = { createdTime: at, lastEditedTime: at, createdBy: String(ada.id) };
  const targets = ws.dataSource({
    ...common,
    key: "targets",
    title: "Lab Targets",
    emoji: null,
    properties: [{ name: "Name", type: "title" }],
  });
  const items = ws.dataSource({
    ...common,
    key: "items",
    title: "Lab Items",
    emoji: null,
    properties: [
      { name: "Name", type: "title" },
      { name: "Notes", type: "rich_text" },
      { name: "Score", type: "number", format: "number" },
      { name: "Done", type: "checkbox" },
      { name: "Site", type: "url" },
      { name: "Mail", type: "email" },
      { name: "Phone", type: "phone_number" },
      {
        name: "Kind",
        type: "select",
        options: [
          { name: "Alpha", color: "red" },
          { name: "Beta", color: "blue" },
        ],
      },
      {
        name: "Stage",
        type: "status",
        groups: statusGroups(
          [{ name: "Not started", color: "default" }],
          [{ name: "Active", color: "blue" }],
          [{ name: "Done", color: "green" }],
        ),
      },
      {
        name: "Tags",
        type: "multi_select",
        options: [
          { name: "red", color: "red" },
          { name: "green", color: "green" },
          { name: "blue", color: "blue" },
          { name: "amber", color: "yellow" },
        ],
      },
      { name: "When", type: "date" },
      { name: "Links", type: "relation", target: "targets" },
      { name: "Owners", type: "people" },
      { name: "Attachments", type: "files" },
      { name: "Edited", type: "last_edited_time" },
      { name: "Editor", type: "last_edited_by" },
    ],
  });
  const pages: Record<string, string> = {};
  for (let n = 1; n <= LAB_TARGET_COUNT; n += 1) {
    const title = `target-${String(n).padStart(3, "0")}`;
    const page = ws.addPage(targets, {
      ...common,
      lastEditedBy: String([ada, ben, cleo][n % 3]?.id), // so the mirror has seen all three
      values: { Name: [textItem(title)] },
    });
    pages[title] = String(page.id);
  }
  for (const title of LAB_ITEMS) {
    const page = ws.addPage(items, {
      ...common,
      lastEditedBy: String(ada.id),
      values: { Name: [textItem(title)] },
    });
    pages[title] = String(page.id);
  }
  const seed = ws.build({
    id: ws.ids.next(),
    name: "Lab integration",
    bot_user_id: String(bot.id),
    workspace_name: "Lab",
  });
  return {
    seed,
    itemsId: items.id,
    targetsId: targets.id,
    pages,
    people: { ada: String(ada.id), ben: String(ben.id), cleo: String(cleo.id) },
  };
}
