import { pageKey, peopleValue, userId } from "./demo-context.ts";
import type { DemoContext } from "./demo-context.ts";
import { july, later } from "./demo-people.ts";
import { PROJECT_NAMES, projectCode } from "./demo-projects.ts";
import { dateValue, formulaValue, optionValue, relationValue } from "../property-values.ts";
import { plainText, textItem } from "../rich-text.ts";

const KINDS = ["Discovery", "Design", "Build", "Test", "Launch", "Hypercare"] as const;

/**
 * Which phases each project has and whether their `projectId` relation is set. The 33 unlinked
 * phases all belong to projects whose `projectID` is filled, so the join
 * `phase.projectCode = project.projectID` links each to exactly one project (as does the title
 * prefix `"<project name> — "`).
 */
const PLAN: readonly { project: number; phases: number; linked: boolean }[] = [
  { project: 0, phases: 6, linked: false },
  { project: 1, phases: 2, linked: true },
  { project: 2, phases: 1, linked: true },
  { project: 3, phases: 6, linked: false },
  { project: 4, phases: 3, linked: true },
  { project: 5, phases: 1, linked: true },
  { project: 6, phases: 6, linked: false },
  { project: 9, phases: 5, linked: false },
  { project: 12, phases: 5, linked: false },
  { project: 15, phases: 5, linked: false },
];

/** Phases (by position) whose `status` is null: the five WT-8.0.4 filled with "Active" (each is its project's current phase). */
const NULL_STATUS: ReadonlySet<number> = new Set([0, 10, 18, 28, 34]);

export interface DemoPhase {
  index: number;
  project: number;
  kind: (typeof KINDS)[number];
}

/** Every phase in page order. */
export function demoPhases(): DemoPhase[] {
  const phases: DemoPhase[] = [];
  for (const entry of PLAN) {
    for (let k = 0; k < entry.phases; k += 1) {
      phases.push({ index: phases.length, project: entry.project, kind: KINDS[k] ?? "Build" });
    }
  }
  return phases;
}

function isLinked(project: number): boolean {
  return PLAN.some((entry) => entry.project === project && entry.linked);
}

function isoDay(base: number, days: number): string {
  return new Date(base + days * 86_400_000).toISOString().slice(0, 10);
}

export function addPhases(ctx: DemoContext): void {
  const source = ctx.source("phases");
  const leads = [
    ctx.people.priya,
    ctx.people.tomas,
    ctx.people.hannah,
    ctx.people.jonas,
    ctx.people.leo,
  ];
  for (const phase of demoPhases()) {
    const { index, project } = phase;
    const kind = KINDS.indexOf(phase.kind);
    const stage = (project * 7) % 5;
    const status = kind < stage ? "Complete" : kind === stage ? "Active" : "Not started";
    const start = Date.UTC(2025, 2 + (project % 6), 3) + kind * 28 * 86_400_000;
    const hasDates = index !== 23;
    const lead = leads[(project + kind) % leads.length] ?? ctx.people.maya;
    const created = july(3 + (index % 10), 10 + (index % 7), (index * 13) % 60);
    const edited = later(created, 60 * 24 * (4 + (index % 12)) + 11 * index);
    const name = PROJECT_NAMES[project] ?? "Project";
    ctx.ws.addPage(source, {
      key: pageKey.phase(index),
      createdTime: created,
      lastEditedTime: edited,
      createdBy: userId(ctx.people.maya),
      lastEditedBy: userId(index % 3 === 0 ? ctx.people.maya : lead),
      values: {
        "Phase name": [textItem(`${name} — ${phase.kind}`)],
        status: NULL_STATUS.has(index) ? null : optionValue(source.option("status", status)),
        projectId: relationValue(
          isLinked(project) ? [ctx.ws.pageId(pageKey.project(project))] : [],
        ),
        projectCode: plainText(projectCode(project)),
        "Phase type": optionValue(source.option("Phase type", phase.kind)),
        Dates: hasDates ? dateValue(isoDay(start, 0), isoDay(start, 27)) : null,
        Lead: index % 17 === 16 ? [] : peopleValue(lead),
        Progress:
          status === "Complete" ? 1 : status === "Active" ? (25 + 10 * (project % 5)) / 100 : 0,
        "Gate passed": status === "Complete",
        "Days planned": formulaValue("number", hasDates ? 27 : null),
      },
    });
  }
}
