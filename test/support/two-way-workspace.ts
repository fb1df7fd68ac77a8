import type { Json, SeedFile } from "../../src/emulator/index.ts";
import {
  WorkspaceBuilder,
  botUser,
  formulaValue,
  personUser,
  relationValue,
  rollupNumberValue,
  textItem,
} from "../../src/emulator/index.ts";

/** Projects and tasks of the crew workspace, by the titles its pages have. */
export const CREW_PROJECTS = ["apollo", "borealis", "cygnus"] as const;
export const CREW_TASKS = ["t1", "t2", "t3", "t4", "t5"] as const;

export interface Crew {
  seed: SeedFile;
  projectsId: string;
  tasksId: string;
  /** Page ids by title. */
  pages: Record<string, string>;
  /** Property ids by "Source.Property" (`"tasks.Project"`). */
  properties: Record<string, string>;
  people: { ada: string; ben: string };
  botId: string;
}

const at = "2025-06-01T10:00:00.000Z";
const UNSUPPORTED_FORMULA: Json = { type: "unsupported", unsupported: {} };
const UNSUPPORTED_ROLLUP: Json = {
  type: "unsupported",
  unsupported: {},
  function: "show_original",
};

/** Tasks as seeded: their project (by title) and estimate. */
const TASKS: ReadonlyArray<{
  title: (typeof CREW_TASKS)[number];
  project: (typeof CREW_PROJECTS)[number] | null;
  estimate: number | null;
  urgency: number;
}> = [
  { title: "t1", project: "apollo", estimate: 3, urgency: 3 },
  { title: "t2", project: "apollo", estimate: 5, urgency: 5 },
  { title: "t3", project: "cygnus", estimate: null, urgency: 0 },
  { title: "t4", project: null, estimate: null, urgency: 0 },
  { title: "t5", project: null, estimate: 8, urgency: 8 },
];

/**
 * A workspace where Notion changes pages by itself: projects and tasks joined by a two-way
 * relation (projects.Tasks ⇄ tasks.Project), rollups over it (a count, a sum, an unsupported
 * one), formulas over own properties (arithmetic, concatenation, over a rollup), one Notion
 * reports as unsupported, and one the emulator cannot compute (`if`). Every seeded derived value
 * is what Notion would show, so a write that recomputes nothing it should not leaves them as seeded.
 */
export function crewWorkspace(): Crew {
  const ws = new WorkspaceBuilder(0xc4e7);
  const ada = personUser(ws.ids.next(), "Ada Byrne", "ada@crew.example");
  const ben = personUser(ws.ids.next(), "Ben Osei", "ben@crew.example");
  const bot = botUser(ws.ids.next(), "Crew integration", "Crew");
  for (const user of [ada, ben, bot]) ws.addUser(user);
  const common = { createdTime: at, lastEditedTime: at, createdBy: String(ada.id) };
  const projects = ws.dataSource({
    ...common,
    key: "projects",
    title: "Crew Projects",
    emoji: null,
    properties: [
      { name: "Name", type: "title" },
      { name: "Tasks", type: "relation", target: "tasks", syncedWith: "Project" },
      {
        name: "Task count",
        type: "rollup",
        relation: "Tasks",
        property: "Name",
        function: "count",
      },
      { name: "Points", type: "rollup", relation: "Tasks", property: "Estimate", function: "sum" },
      {
        name: "Forecasts",
        type: "rollup",
        relation: "Tasks",
        property: "Forecast",
        function: "show_original",
      },
      { name: "Points x2", type: "formula", expression: "{{Points}} * 2" },
      { name: "Lead", type: "people" },
      { name: "Edited", type: "last_edited_time" },
      { name: "Editor", type: "last_edited_by" },
    ],
  });
  const tasks = ws.dataSource({
    ...common,
    key: "tasks",
    title: "Crew Tasks",
    emoji: null,
    properties: [
      { name: "Name", type: "title" },
      { name: "Project", type: "relation", target: "projects", syncedWith: "Tasks" },
      { name: "Estimate", type: "number", format: "number" },
      { name: "Done", type: "checkbox" },
      { name: "Cost", type: "formula", expression: "{{Estimate}} * 100" },
      { name: "Label", type: "formula", expression: '{{Name}} + " task"' },
      { name: "Forecast", type: "formula", expression: 'dateAdd(now(), {{Estimate}}, "days")' },
      { name: "Urgency", type: "formula", expression: "if({{Done}}, 0, {{Estimate}})" },
      { name: "Edited", type: "last_edited_time" },
      { name: "Editor", type: "last_edited_by" },
    ],
  });
  const pages: Record<string, string> = {};
  for (const title of CREW_PROJECTS) {
    const mine = TASKS.filter((task) => task.project === title);
    const points = mine.reduce((sum, task) => sum + (task.estimate ?? 0), 0);
    const page = ws.addPage(projects, {
      ...common,
      key: title,
      lastEditedBy: String(ada.id),
      values: {
        Name: [textItem(title)],
        Tasks: relationValue(mine.map((task) => ws.pageId(task.title))),
        "Task count": rollupNumberValue(mine.length, "count"),
        Points: rollupNumberValue(points, "sum"),
        Forecasts: UNSUPPORTED_ROLLUP,
        "Points x2": formulaValue("number", points * 2),
      },
    });
    pages[title] = String(page.id);
  }
  for (const task of TASKS) {
    const page = ws.addPage(tasks, {
      ...common,
      key: task.title,
      lastEditedBy: String(ada.id),
      values: {
        Name: [textItem(task.title)],
        Project: relationValue(task.project === null ? [] : [ws.pageId(task.project)]),
        Estimate: task.estimate,
        Cost: formulaValue("number", task.estimate === null ? null : task.estimate * 100),
        Label: formulaValue("string", `${task.title} task`),
        Forecast: UNSUPPORTED_FORMULA,
        Urgency: formulaValue("number", task.urgency),
      },
    });
    pages[task.title] = String(page.id);
  }
  const properties: Record<string, string> = {};
  for (const [key, source] of [
    ["projects", projects],
    ["tasks", tasks],
  ] as const) {
    for (const [name, defined] of source.properties) properties[`${key}.${name}`] = defined.id;
  }
  const seed = ws.build({
    id: ws.ids.next(),
    name: "Crew integration",
    bot_user_id: String(bot.id),
    workspace_name: "Crew",
  });
  return {
    seed,
    projectsId: projects.id,
    tasksId: tasks.id,
    pages,
    properties,
    people: { ada: String(ada.id), ben: String(ben.id) },
    botId: String(bot.id),
  };
}
