import { DEMO_DATA_SOURCES } from "./demo-facts.ts";
import type { DemoSourceKey } from "./demo-facts.ts";
import { july } from "./demo-people.ts";
import { plainText } from "../rich-text.ts";
import type { OptionColor, OptionSpec, PropertySpec } from "../schema.ts";
import { statusGroups } from "../schema.ts";
import type { DataSourceSpec } from "../workspace-builder.ts";

function options(...pairs: [string, OptionColor][]): OptionSpec[] {
  return pairs.map(([name, color]) => ({ name, color }));
}

const AUDIT: PropertySpec[] = [
  { name: "Created time", type: "created_time" },
  { name: "Created by", type: "created_by" },
  { name: "Last edited time", type: "last_edited_time" },
  { name: "Last edited by", type: "last_edited_by" },
];

const SCHEMAS: Record<DemoSourceKey, PropertySpec[]> = {
  clients: [
    { name: "Client name", type: "title" },
    {
      name: "Industry",
      type: "select",
      options: options(
        ["Logistics", "blue"],
        ["Retail", "orange"],
        ["Energy", "yellow"],
        ["Healthcare", "green"],
      ),
    },
    { name: "Account manager", type: "people" },
    { name: "Contact email", type: "email" },
    { name: "Phone", type: "phone_number" },
    { name: "Website", type: "url" },
    { name: "Active", type: "checkbox" },
    { name: "Notes", type: "rich_text" },
    { name: "Created", type: "created_time" },
  ],
  teamMembers: [
    { name: "Name", type: "title" },
    { name: "Person", type: "people" },
    {
      name: "Role",
      type: "select",
      options: options(
        ["Programme lead", "purple"],
        ["Project manager", "blue"],
        ["Engineer", "green"],
        ["Designer", "pink"],
        ["Analyst", "orange"],
      ),
    },
    {
      name: "Skills",
      type: "multi_select",
      options: options(
        ["Data", "blue"],
        ["Frontend", "pink"],
        ["Backend", "green"],
        ["UX", "purple"],
        ["Cloud", "gray"],
        ["QA", "orange"],
      ),
    },
    { name: "Email", type: "email" },
    { name: "Phone", type: "phone_number" },
    { name: "Capacity (h/wk)", type: "number", format: "number" },
    { name: "Start date", type: "date" },
    { name: "On leave", type: "checkbox" },
  ],
  projects: [
    { name: "Project name", type: "title" },
    { name: "projectID", type: "rich_text" },
    { name: "Code", type: "unique_id", prefix: "PRJ" },
    { name: "keyTasks", type: "rich_text" },
    { name: "Client", type: "relation", target: "clients" },
    { name: "Owner", type: "people" },
    {
      name: "Status",
      type: "status",
      groups: statusGroups(
        options(["Planned", "default"]),
        options(["In progress", "blue"], ["On hold", "yellow"]),
        options(["Done", "green"], ["Cancelled", "red"]),
      ),
    },
    {
      name: "Priority",
      type: "select",
      options: options(["P0", "red"], ["P1", "orange"], ["P2", "yellow"], ["P3", "gray"]),
    },
    {
      name: "Tags",
      type: "multi_select",
      options: options(
        ["Internal", "gray"],
        ["Client-facing", "blue"],
        ["Data", "purple"],
        ["Platform", "green"],
        ["Mobile", "pink"],
        ["Compliance", "red"],
      ),
    },
    { name: "Timeline", type: "date" },
    { name: "Budget", type: "number", format: "dollar" },
    { name: "Repository", type: "url" },
    { name: "Brief", type: "files" },
    ...AUDIT,
  ],
  phases: [
    { name: "Phase name", type: "title" },
    {
      name: "status",
      type: "status",
      groups: statusGroups(
        options(["Not started", "default"]),
        options(["Active", "blue"], ["On hold", "yellow"]),
        options(["Complete", "green"]),
      ),
    },
    { name: "projectId", type: "relation", target: "projects" },
    { name: "projectCode", type: "rich_text" },
    {
      name: "Phase type",
      type: "select",
      options: options(
        ["Discovery", "purple"],
        ["Design", "pink"],
        ["Build", "blue"],
        ["Test", "orange"],
        ["Launch", "green"],
        ["Hypercare", "brown"],
      ),
    },
    { name: "Dates", type: "date" },
    { name: "Lead", type: "people" },
    { name: "Progress", type: "number", format: "percent" },
    { name: "Gate passed", type: "checkbox" },
    {
      name: "Days planned",
      type: "formula",
      expression: 'dateBetween(dateEnd({{Dates}}), dateStart({{Dates}}), "days")',
    },
    { name: "Last edited time", type: "last_edited_time" },
  ],
  milestones: [
    { name: "Milestone", type: "title" },
    { name: "Due", type: "date" },
    { name: "Project", type: "relation", target: "projects" },
    { name: "Phases", type: "relation", target: "phases" },
    { name: "Tasks", type: "relation", target: "tasks", syncedWith: "Milestone" },
    { name: "Task count", type: "rollup", relation: "Tasks", property: "Task", function: "count" },
    { name: "Owner", type: "people" },
    { name: "Done", type: "checkbox" },
  ],
  tasks: [
    { name: "Task", type: "title" },
    { name: "ID", type: "unique_id", prefix: "TSK" },
    {
      name: "Status",
      type: "status",
      groups: statusGroups(
        options(["To do", "default"]),
        options(["Doing", "blue"], ["Blocked", "red"]),
        options(["Done", "green"]),
      ),
    },
    { name: "Assignee", type: "people" },
    { name: "Milestone", type: "relation", target: "milestones", syncedWith: "Tasks" },
    { name: "Project", type: "relation", target: "projects" },
    { name: "Sprint", type: "relation", target: "sprints" },
    { name: "Due", type: "date" },
    { name: "Estimate (pts)", type: "number", format: "number" },
    {
      name: "Labels",
      type: "multi_select",
      options: options(["Bug", "red"], ["Feature", "blue"], ["Chore", "gray"], ["Spike", "purple"]),
    },
    { name: "Overdue", type: "formula", expression: 'and(now() > {{Due}}, {{Status}} != "Done")' },
    { name: "Created by", type: "created_by" },
    { name: "Last edited by", type: "last_edited_by" },
  ],
  sprints: [
    { name: "Sprint", type: "title" },
    { name: "Dates", type: "date" },
    { name: "Goal", type: "rich_text" },
    { name: "Velocity", type: "number", format: "number" },
    { name: "Team", type: "relation", target: "teamMembers" },
    { name: "Current", type: "checkbox" },
  ],
  risks: [
    { name: "Risk", type: "title" },
    {
      name: "Severity",
      type: "select",
      options: options(
        ["Low", "green"],
        ["Medium", "yellow"],
        ["High", "orange"],
        ["Critical", "red"],
      ),
    },
    {
      name: "Likelihood",
      type: "select",
      options: options(["Rare", "gray"], ["Possible", "yellow"], ["Likely", "red"]),
    },
    { name: "Project", type: "relation", target: "projects" },
    { name: "Mitigation", type: "rich_text" },
    { name: "Owner", type: "people" },
    { name: "Open", type: "checkbox" },
    { name: "Raised on", type: "date" },
    {
      name: "Risk score",
      type: "formula",
      expression:
        'ifs({{Severity}} == "Critical", 4, {{Severity}} == "High", 3, {{Severity}} == "Medium", 2, 1) * ifs({{Likelihood}} == "Likely", 3, {{Likelihood}} == "Possible", 2, 1)',
    },
  ],
  decisions: [
    { name: "Decision", type: "title" },
    { name: "Decided on", type: "date" },
    { name: "Decision makers", type: "people" },
    { name: "Context", type: "rich_text" },
    { name: "Project", type: "relation", target: "projects" },
    {
      name: "Outcome",
      type: "select",
      options: options(["Proposed", "gray"], ["Accepted", "green"], ["Superseded", "red"]),
    },
    { name: "Record", type: "url" },
  ],
  meetings: [
    { name: "Meeting", type: "title" },
    { name: "When", type: "date" },
    { name: "Attendees", type: "people" },
    {
      name: "Type",
      type: "select",
      options: options(
        ["Steering", "purple"],
        ["Stand-up", "gray"],
        ["Retro", "orange"],
        ["Client review", "blue"],
      ),
    },
    { name: "Notes", type: "rich_text" },
    { name: "Recording", type: "files" },
    { name: "Project", type: "relation", target: "projects" },
    { name: "Follow-up needed", type: "checkbox" },
  ],
  documents: [
    { name: "Document", type: "title" },
    { name: "File", type: "files" },
    { name: "Link", type: "url" },
    { name: "Owner", type: "people" },
    {
      name: "Doc type",
      type: "select",
      options: options(
        ["Spec", "blue"],
        ["Runbook", "green"],
        ["Contract", "red"],
        ["Handbook", "purple"],
      ),
    },
    {
      name: "Tags",
      type: "multi_select",
      options: options(
        ["Process", "gray"],
        ["Security", "red"],
        ["Delivery", "blue"],
        ["Finance", "yellow"],
      ),
    },
    { name: "Last reviewed", type: "date" },
    { name: "Approved", type: "checkbox" },
    { name: "Project", type: "relation", target: "projects" },
  ],
  budgetLines: [
    { name: "Line item", type: "title" },
    { name: "Project", type: "relation", target: "projects" },
    { name: "Budget", type: "number", format: "dollar" },
    { name: "Actual", type: "number", format: "dollar" },
    { name: "Variance", type: "formula", expression: "{{Budget}} - {{Actual}}" },
    {
      name: "Category",
      type: "select",
      options: options(
        ["Labour", "blue"],
        ["Licences", "purple"],
        ["Hardware", "gray"],
        ["Travel", "orange"],
      ),
    },
    { name: "Approver email", type: "email" },
    { name: "Vendor phone", type: "phone_number" },
    { name: "Invoice", type: "files" },
  ],
  tracker: [
    { name: "Task", type: "title" },
    {
      name: "Status",
      type: "status",
      groups: statusGroups(
        options(["Open", "default"]),
        options(["In progress", "blue"]),
        options(["Resolved", "green"]),
      ),
    },
    { name: "Records Affected", type: "number", format: "number" },
    {
      name: "Execution Mode",
      type: "select",
      options: options(
        ["High-Confidence", "green"],
        ["Medium-Confidence", "yellow"],
        ["Manual", "gray"],
      ),
    },
    { name: "Notes", type: "rich_text" },
    { name: "Run ID", type: "rich_text" },
    { name: "Date", type: "date" },
  ],
};

const EMOJI: Record<DemoSourceKey, string> = {
  clients: "🤝",
  teamMembers: "👥",
  projects: "📁",
  phases: "🧭",
  milestones: "🏁",
  tasks: "✅",
  sprints: "🏃",
  risks: "⚠️",
  decisions: "⚖️",
  meetings: "🗓️",
  documents: "📄",
  budgetLines: "💰",
  tracker: "🛠️",
};

const DESCRIPTIONS: Partial<Record<DemoSourceKey, string>> = {
  phases: "Delivery phases of every project; one row per phase.",
  projects: "All client and internal projects.",
  tracker: "One row per backfill run: what ran, how, and how many records it touched.",
};

/** The demo's data sources in declaration order, created by `creatorId` on 1–2 July 2025. */
export function demoSchemas(creatorId: string): DataSourceSpec[] {
  return (Object.keys(SCHEMAS) as DemoSourceKey[]).map((key, index) => ({
    key,
    title: DEMO_DATA_SOURCES[key],
    emoji: EMOJI[key],
    description: plainText(DESCRIPTIONS[key] ?? ""),
    createdTime: july(1, 8, 5 * index),
    lastEditedTime: july(2, 14, 3 * index),
    createdBy: creatorId,
    properties: SCHEMAS[key],
  }));
}
