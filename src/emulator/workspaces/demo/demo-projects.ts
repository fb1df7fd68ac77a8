import type { JsonObject } from "../../json.ts";
import { pageKey, peopleValue, userId } from "./demo-context.ts";
import type { DemoContext } from "./demo-context.ts";
import { july, later } from "./demo-people.ts";
import {
  dateValue,
  filesValue,
  multiSelectValue,
  optionValue,
  relationValue,
} from "../property-values.ts";
import { plainText, textItem, userMentionItem } from "../rich-text.ts";

/**
 * WT Projects (22). `projectID` is the human-typed project code; it is filled on six projects
 * only (the sixteen empty ones are WT-8.0.4's "medium-confidence" gap). `Code` (unique id,
 * `PRJ-n`) numbers the projects in order, and filled `projectID`s follow it as `PRJ-00n`.
 */
export const PROJECT_NAMES = [
  "Atlas Data Platform",
  "Beacon Customer Portal",
  "Cobalt Billing Revamp",
  "Delta Mobile App",
  "Ember Analytics Suite",
  "Falcon Onboarding Flow",
  "Garnet Partner API",
  "Harbor Warehouse Sync",
  "Iris Search Relaunch",
  "Juniper HR Intranet",
  "Kestrel Fleet Tracker",
  "Lumen Design System",
  "Meridian Pricing Engine",
  "Nimbus Cloud Migration",
  "Onyx Security Audit",
  "Pioneer Field Service",
  "Quartz Reporting Hub",
  "Ridge Supplier Portal",
  "Sable Support Desk",
  "Tidal Event Platform",
  "Umber Content Studio",
  "Vertex Forecasting",
] as const;

/** Projects (by index) whose `projectID` is filled. */
export const PROJECTS_WITH_PROJECT_ID: readonly number[] = [0, 3, 6, 9, 12, 15];

/** The code a project is known by: `PRJ-` and its unique id number, three digits. */
export function projectCode(index: number): string {
  return `PRJ-${String(index + 1).padStart(3, "0")}`;
}

const KEY_TASKS = [
  "Ingestion contracts, warehouse staging, lineage dashboard",
  "SSO login, self-service invoices, accessibility audit",
  "Usage-based invoicing, dunning emails, tax rules",
  "Offline mode, push notifications, app store release",
  "KPI catalogue, embedded dashboards, alerting",
  "Identity checks, welcome journey, drop-off analytics",
  "OAuth for partners, rate limits, sandbox",
  "Stock sync, barcode scanning, nightly reconciliation",
  "Relevance tuning, synonyms, zero-result report",
];

const STATUSES = [
  "In progress",
  "In progress",
  "Planned",
  "On hold",
  "In progress",
  "Done",
] as const;
const TAGS = ["Client-facing", "Data", "Platform", "Mobile", "Internal", "Compliance"] as const;

function slug(name: string): string {
  return name.toLowerCase().replaceAll(" ", "-");
}

export function addProjects(ctx: DemoContext): void {
  const source = ctx.source("projects");
  const owners = [ctx.people.maya, ctx.people.jonas, ctx.people.tomas, ctx.people.priya];
  PROJECT_NAMES.forEach((name, i) => {
    const owner = owners[i % owners.length] ?? ctx.people.maya;
    const created = july(2, 9 + (i % 8), (i * 7) % 60);
    const keyTasks: JsonObject[] = [
      textItem("Key tasks: ", { bold: true }),
      textItem(KEY_TASKS[i % KEY_TASKS.length] ?? ""),
    ];
    if (i % 4 === 1) keyTasks.push(textItem(" — owner "), userMentionItem(owner));
    const startMonth = 3 + (i % 6);
    ctx.ws.addPage(source, {
      key: pageKey.project(i),
      emoji: i % 3 === 0 ? "🚀" : undefined,
      createdTime: created,
      lastEditedTime: later(created, 60 * 24 * (3 + (i % 9)) + 17 * i),
      createdBy: userId(ctx.people.maya),
      lastEditedBy: userId(owner),
      values: {
        "Project name": [textItem(name)],
        projectID: plainText(PROJECTS_WITH_PROJECT_ID.includes(i) ? projectCode(i) : ""),
        keyTasks,
        Client: relationValue(i % 5 === 4 ? [] : [ctx.ws.pageId(pageKey.client(i % 4))]),
        Owner: peopleValue(owner),
        Status: optionValue(source.option("Status", STATUSES[i % STATUSES.length] ?? "Planned")),
        Priority: optionValue(source.option("Priority", `P${i % 4}`)),
        Tags: multiSelectValue(
          [TAGS[i % TAGS.length], TAGS[(i + 2) % TAGS.length]].map((tag) =>
            source.option("Tags", tag ?? "Internal"),
          ),
        ),
        Timeline: dateValue(
          `2025-${String(startMonth).padStart(2, "0")}-01`,
          `2025-${String(startMonth + 4).padStart(2, "0")}-30`,
        ),
        Budget: i % 7 === 5 ? null : 40_000 + 7_500 * (i % 9),
        Repository: i % 6 === 4 ? null : `https://git.wt-studio.example/wt/${slug(name)}`,
        Brief: filesValue(
          i % 2 === 0
            ? [
                {
                  name: `${slug(name)}-brief.pdf`,
                  url: `https://files.wt-studio.example/briefs/${slug(name)}.pdf`,
                },
              ]
            : [],
        ),
      },
    });
  });
}
