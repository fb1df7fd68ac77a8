import type { SeedFile } from "../../../src/emulator/index.ts";
import {
  WorkspaceBuilder,
  botUser,
  multiSelectValue,
  optionValue,
  personUser,
  statusGroups,
  textItem,
} from "../../../src/emulator/index.ts";

const T = "2025-07-01T00:00:00.000Z";

/** The tasks workspace: its seed and the ids tests need. */
export interface TasksWorkspace {
  seed: SeedFile;
  dataSourceId: string;
  /** Pages whose Priority, Labels and Stage are empty, in seed order. */
  emptyPages: string[];
  /** A page with Priority "Low", Labels ["ops"] and Stage "Doing". */
  filledPage: string;
  personId: string;
}

/**
 * A small workspace for schema changes during a push: one data source "Tasks" (alias `tasks`)
 * with a select Priority (Low, High, Urgent), a multi_select Labels (ops, web) and a status Stage,
 * `pages` pages with all three empty, and one page holding an option of each.
 */
export function tasksWorkspace(pages = 12): TasksWorkspace {
  const ws = new WorkspaceBuilder(77);
  const person = personUser(ws.ids.next(), "Rosa Diaz", "rosa@example.com");
  const bot = botUser(ws.ids.next(), "Backfill", "Tasks");
  ws.addUser(person);
  ws.addUser(bot);
  const stamps = { createdTime: T, lastEditedTime: T, createdBy: String(bot.id) };
  const tasks = ws.dataSource({
    key: "tasks",
    title: "Tasks",
    emoji: null,
    ...stamps,
    properties: [
      { name: "Name", type: "title" },
      {
        name: "Priority",
        type: "select",
        options: [
          { name: "Low", color: "gray" },
          { name: "High", color: "red" },
          { name: "Urgent", color: "orange" },
        ],
      },
      {
        name: "Labels",
        type: "multi_select",
        options: [
          { name: "ops", color: "blue" },
          { name: "web", color: "green" },
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
    ],
  });
  const add = (values: Parameters<typeof ws.addPage>[1]["values"]) =>
    String(ws.addPage(tasks, { values, ...stamps, lastEditedBy: String(person.id) }).id);
  const emptyPages = Array.from({ length: pages }, (_, index) =>
    add({ Name: [textItem(`Task ${index + 1}`)], Stage: null }),
  );
  const filledPage = add({
    Name: [textItem("Task with values")],
    Priority: optionValue(tasks.option("Priority", "Low")),
    Labels: multiSelectValue([tasks.option("Labels", "ops")]),
    Stage: optionValue(tasks.option("Stage", "Doing")),
  });
  const seed = ws.build({
    id: ws.ids.next(),
    name: "Backfill",
    bot_user_id: String(bot.id),
    workspace_name: "Tasks",
  });
  return { seed, dataSourceId: tasks.id, emptyPages, filledPage, personId: String(person.id) };
}
