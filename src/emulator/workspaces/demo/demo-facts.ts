/**
 * What the demo workspace is known to contain: the situation of the team's first backfill
 * (WT-8.0.4). Tests and the demo command assert against these instead of repeating numbers.
 */

/** Data source titles by key. The first twelve are the canonical ones; the tracker is not. */
export const DEMO_DATA_SOURCES = {
  clients: "WT Clients",
  teamMembers: "WT Team Members",
  projects: "WT Projects",
  phases: "WT Phase Database",
  milestones: "WT Milestones",
  tasks: "WT Tasks",
  sprints: "WT Sprints",
  risks: "WT Risks",
  decisions: "WT Decisions",
  meetings: "WT Meetings",
  documents: "WT Documents",
  budgetLines: "WT Budget Lines",
  tracker: "wt-backfill-task-tracker",
} as const;

export type DemoSourceKey = keyof typeof DEMO_DATA_SOURCES;

/** The twelve canonical data sources, in declaration order. */
export const DEMO_CANONICAL_SOURCES: readonly DemoSourceKey[] = [
  "clients",
  "teamMembers",
  "projects",
  "phases",
  "milestones",
  "tasks",
  "sprints",
  "risks",
  "decisions",
  "meetings",
  "documents",
  "budgetLines",
];

/** Property names the backfill story is about. */
export const DEMO_PROPERTIES = {
  phaseTitle: "Phase name",
  phaseStatus: "status",
  phaseProjectId: "projectId",
  phaseProjectCode: "projectCode",
  projectTitle: "Project name",
  projectID: "projectID",
  projectKeyTasks: "keyTasks",
  projectCode: "Code",
  trackerTitle: "Task",
  trackerStatus: "Status",
  trackerRecordsAffected: "Records Affected",
  trackerExecutionMode: "Execution Mode",
  trackerNotes: "Notes",
  trackerRunId: "Run ID",
  trackerDate: "Date",
} as const;

/** Pages per data source. */
export const DEMO_PAGE_COUNTS: Readonly<Record<DemoSourceKey, number>> = {
  clients: 4,
  teamMembers: 6,
  projects: 22,
  phases: 40,
  milestones: 5,
  tasks: 10,
  sprints: 2,
  risks: 4,
  decisions: 3,
  meetings: 3,
  documents: 3,
  budgetLines: 3,
  tracker: 3,
};

export const DEMO_FACTS = {
  seed: 0x0778,
  workspaceName: "WT Workspace",
  integrationName: "WT Backfill Agent",
  canonicalDataSources: 12,
  /** Pages in the twelve canonical data sources (the tracker's are not counted). */
  records: 105,
  /** WT Phase Database pages whose `status` is null; WT-8.0.4 filled them with "Active". */
  emptyPhaseStatus: 5,
  phaseStatusFill: "Active",
  /** WT Phase Database pages whose `projectId` relation is empty. */
  emptyPhaseProjectId: 33,
  /** Of those, how many a rule `phase.projectCode = project.projectID` matches to one project. */
  matchablePhaseProjectId: 33,
  /** WT Projects pages whose `projectID` rich text is empty. */
  emptyProjectID: 16,
  /** WT Projects pages whose `keyTasks` is empty: none. */
  emptyKeyTasks: 0,
  /** The longest relation list (milestone "Q3 phase-gate review" → 30 phases). */
  maxRelationLength: 30,
  people: 6,
  trackerEntries: 3,
  trackerRunIds: ["WT-8.0.1", "WT-8.0.2", "WT-8.0.3"],
} as const;
