import type { Json, JsonObject } from "../../json.ts";
import { pageKey, peopleValue, userId } from "./demo-context.ts";
import type { DemoContext } from "./demo-context.ts";
import type { DemoPeople } from "./demo-people.ts";
import { july, later } from "./demo-people.ts";
import { demoPhases } from "./demo-phases.ts";
import {
  dateValue,
  formulaValue,
  multiSelectValue,
  offsetTimestamp,
  optionValue,
  relationValue,
  rollupNumberValue,
} from "../property-values.ts";
import { textItem } from "../rich-text.ts";

/** "Today" for stored formula results (`now()`): the day of the WT-8.0.4 run. */
const FORMULA_TODAY = "2025-07-29";

type Person = keyof Omit<DemoPeople, "all" | "integration" | "bot">;

interface TaskRow {
  title: string;
  status: "To do" | "Doing" | "Blocked" | "Done";
  assignee: Person;
  milestone: number | null;
  project: number;
  sprint: number | null;
  due: string | null;
  estimate: number | null;
  label: "Bug" | "Feature" | "Chore" | "Spike";
}

const TASKS: readonly TaskRow[] = [
  {
    title: "Draft data contract for Atlas ingestion",
    status: "Done",
    assignee: "priya",
    milestone: 1,
    project: 0,
    sprint: 0,
    due: "2025-07-11",
    estimate: 3,
    label: "Feature",
  },
  {
    title: "Set up Atlas staging warehouse",
    status: "Doing",
    assignee: "tomas",
    milestone: 1,
    project: 0,
    sprint: 1,
    due: "2025-07-25",
    estimate: 5,
    label: "Chore",
  },
  {
    title: "Fix SSO redirect loop on Beacon portal",
    status: "Blocked",
    assignee: "jonas",
    milestone: 2,
    project: 1,
    sprint: 1,
    due: "2025-07-24",
    estimate: 2,
    label: "Bug",
  },
  {
    title: "Beacon accessibility audit",
    status: "To do",
    assignee: "hannah",
    milestone: 2,
    project: 1,
    sprint: null,
    due: "2025-08-08",
    estimate: 3,
    label: "Chore",
  },
  {
    title: "Tokenise colour palette",
    status: "Doing",
    assignee: "hannah",
    milestone: 3,
    project: 11,
    sprint: 1,
    due: "2025-08-01",
    estimate: 5,
    label: "Feature",
  },
  {
    title: "Button and form components",
    status: "To do",
    assignee: "leo",
    milestone: 3,
    project: 11,
    sprint: null,
    due: null,
    estimate: 8,
    label: "Feature",
  },
  {
    title: "Cutover runbook dry run",
    status: "To do",
    assignee: "tomas",
    milestone: 4,
    project: 13,
    sprint: null,
    due: "2025-08-06",
    estimate: null,
    label: "Spike",
  },
  {
    title: "Phase-gate checklist template",
    status: "Done",
    assignee: "maya",
    milestone: 0,
    project: 0,
    sprint: 0,
    due: "2025-07-15",
    estimate: 1,
    label: "Chore",
  },
  {
    title: "Collect gate evidence for Q3 review",
    status: "Doing",
    assignee: "maya",
    milestone: 0,
    project: 3,
    sprint: 1,
    due: "2025-07-28",
    estimate: 3,
    label: "Chore",
  },
  {
    title: "Spike: pricing rules engine options",
    status: "Done",
    assignee: "priya",
    milestone: null,
    project: 12,
    sprint: 0,
    due: "2025-07-16",
    estimate: 2,
    label: "Spike",
  },
];

interface MilestoneRow {
  title: string;
  due: JsonObject;
  projects: number[];
  /** Phase positions; the Q3 review gathers thirty, past Notion's 25-item page limit. */
  phases: number[];
  owner: Person;
  done: boolean;
}

function phasesOf(project: number): number[] {
  return demoPhases()
    .filter((phase) => phase.project === project)
    .map((phase) => phase.index);
}

const MILESTONES: readonly MilestoneRow[] = [
  {
    title: "Q3 phase-gate review",
    due: dateValue(offsetTimestamp("2025-09-30", "16:00", "+02:00")),
    projects: [0, 3, 6, 9, 12, 15],
    phases: Array.from({ length: 30 }, (_, i) => i),
    owner: "maya",
    done: false,
  },
  {
    title: "Atlas beta release",
    due: dateValue("2025-08-15"),
    projects: [0],
    phases: phasesOf(0).slice(2, 4),
    owner: "jonas",
    done: false,
  },
  {
    title: "Beacon go-live",
    due: dateValue("2025-09-01"),
    projects: [1],
    phases: phasesOf(1),
    owner: "jonas",
    done: false,
  },
  {
    title: "Design system v1",
    due: dateValue("2025-08-25", "2025-08-29"),
    projects: [11],
    phases: [],
    owner: "hannah",
    done: false,
  },
  {
    title: "Cloud cutover rehearsal",
    due: dateValue(
      offsetTimestamp("2025-08-09", "22:00", "-04:00"),
      offsetTimestamp("2025-08-10", "02:00", "-04:00"),
    ),
    projects: [13],
    phases: [],
    owner: "tomas",
    done: true,
  },
];

export function addMilestones(ctx: DemoContext): void {
  const source = ctx.source("milestones");
  MILESTONES.forEach((row, i) => {
    const tasks = TASKS.flatMap((task, t) =>
      task.milestone === i ? [ctx.ws.pageId(pageKey.task(t))] : [],
    );
    const created = july(4, 9, 10 * i);
    ctx.ws.addPage(source, {
      key: pageKey.milestone(i),
      emoji: "🏁",
      createdTime: created,
      lastEditedTime: later(created, 60 * 24 * 12 + 37 * i),
      createdBy: userId(ctx.people.maya),
      lastEditedBy: userId(ctx.people[row.owner]),
      values: {
        Milestone: [textItem(row.title)],
        Due: row.due,
        Project: relationValue(row.projects.map((p) => ctx.ws.pageId(pageKey.project(p)))),
        Phases: relationValue(row.phases.map((p) => ctx.ws.pageId(pageKey.phase(p)))),
        Tasks: relationValue(tasks),
        "Task count": rollupNumberValue(tasks.length, "count"),
        Owner: peopleValue(ctx.people[row.owner]),
        Done: row.done,
      },
    });
  });
}

export function addTasks(ctx: DemoContext): void {
  const source = ctx.source("tasks");
  TASKS.forEach((row, i) => {
    const created = july(7 + i, 9 + (i % 5), (i * 19) % 60);
    const overdue = row.due !== null && row.due < FORMULA_TODAY && row.status !== "Done";
    const milestone: Json =
      row.milestone === null
        ? []
        : relationValue([ctx.ws.pageId(pageKey.milestone(row.milestone))]);
    ctx.ws.addPage(source, {
      key: pageKey.task(i),
      createdTime: created,
      lastEditedTime: later(created, 60 * 24 * 2 + 29 * i),
      createdBy: userId(i % 2 === 0 ? ctx.people.jonas : ctx.people.maya),
      lastEditedBy: userId(ctx.people[row.assignee]),
      values: {
        Task: [textItem(row.title)],
        Status: optionValue(source.option("Status", row.status)),
        Assignee: peopleValue(ctx.people[row.assignee]),
        Milestone: milestone,
        Project: relationValue([ctx.ws.pageId(pageKey.project(row.project))]),
        Sprint: relationValue(
          row.sprint === null ? [] : [ctx.ws.pageId(pageKey.sprint(row.sprint))],
        ),
        Due: row.due === null ? null : dateValue(row.due),
        "Estimate (pts)": row.estimate,
        Labels: multiSelectValue([source.option("Labels", row.label)]),
        Overdue: formulaValue("boolean", overdue),
      },
    });
  });
}

export function addSprints(ctx: DemoContext): void {
  const source = ctx.source("sprints");
  const sprints = [
    {
      title: "Sprint 14",
      start: "2025-07-07",
      end: "2025-07-18",
      goal: "Atlas contracts signed off; gate template ready",
      velocity: 21,
      team: ["maya", "priya", "tomas", "jonas"],
    },
    {
      title: "Sprint 15",
      start: "2025-07-21",
      end: "2025-08-01",
      goal: "Atlas staging live; Beacon SSO fixed",
      velocity: null,
      team: ["maya", "tomas", "jonas", "hannah", "leo"],
    },
  ];
  sprints.forEach((row, i) => {
    const created = july(4 + 14 * i, 8, 30);
    ctx.ws.addPage(source, {
      key: pageKey.sprint(i),
      emoji: "🏃",
      createdTime: created,
      lastEditedTime: later(created, 60 * 24 * 9 + 5),
      createdBy: userId(ctx.people.jonas),
      lastEditedBy: userId(ctx.people.jonas),
      values: {
        Sprint: [textItem(row.title)],
        Dates: dateValue(row.start, row.end),
        Goal: [textItem("Goal: ", { bold: true }), textItem(row.goal, { italic: true })],
        Velocity: row.velocity,
        Team: relationValue(row.team.map((person) => ctx.ws.pageId(pageKey.member(person)))),
        Current: i === 1,
      },
    });
  });
}
