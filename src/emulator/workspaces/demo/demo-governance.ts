import { pageKey, peopleValue, userId } from "./demo-context.ts";
import type { DemoContext } from "./demo-context.ts";
import { july, later } from "./demo-people.ts";
import { PROJECT_NAMES } from "./demo-projects.ts";
import { dateValue, formulaValue, optionValue, relationValue } from "../property-values.ts";
import { pageMentionItem, textItem } from "../rich-text.ts";

const SEVERITY = { Low: 1, Medium: 2, High: 3, Critical: 4 } as const;
const LIKELIHOOD = { Rare: 1, Possible: 2, Likely: 3 } as const;

const RISKS = [
  {
    title: "Warehouse vendor contract renewal slips",
    severity: "High",
    likelihood: "Possible",
    project: 0,
    open: true,
    raised: "2025-07-08",
  },
  {
    title: "SSO provider deprecates SAML endpoint",
    severity: "Critical",
    likelihood: "Likely",
    project: 1,
    open: true,
    raised: "2025-07-15",
  },
  {
    title: "App store review delays launch",
    severity: "Medium",
    likelihood: "Possible",
    project: 3,
    open: true,
    raised: "2025-07-10",
  },
  {
    title: "Pricing data quality unknown",
    severity: "Low",
    likelihood: "Rare",
    project: 12,
    open: false,
    raised: "2025-07-02",
  },
] as const;

export function addRisks(ctx: DemoContext): void {
  const source = ctx.source("risks");
  const owners = [ctx.people.tomas, ctx.people.jonas, ctx.people.leo, ctx.people.priya];
  RISKS.forEach((row, i) => {
    const owner = owners[i] ?? ctx.people.maya;
    const created = july(Number(row.raised.slice(8)), 15, 5 * i);
    ctx.ws.addPage(source, {
      createdTime: created,
      lastEditedTime: later(created, 60 * 24 * 3 + 41),
      createdBy: userId(owner),
      lastEditedBy: userId(ctx.people.maya),
      values: {
        Risk: [textItem(row.title)],
        Severity: optionValue(source.option("Severity", row.severity)),
        Likelihood: optionValue(source.option("Likelihood", row.likelihood)),
        Project: relationValue([ctx.ws.pageId(pageKey.project(row.project))]),
        Mitigation:
          i === 3
            ? []
            : [
                textItem("Mitigation: ", { bold: true }),
                textItem(i === 1 ? "migrate to OIDC before 1 Sept" : "track weekly in steering", {
                  color: i === 1 ? "red" : "default",
                }),
              ],
        Owner: peopleValue(owner),
        Open: row.open,
        "Raised on": dateValue(row.raised),
        "Risk score": formulaValue("number", SEVERITY[row.severity] * LIKELIHOOD[row.likelihood]),
      },
    });
  });
}

export function addDecisions(ctx: DemoContext): void {
  const source = ctx.source("decisions");
  const atlas = ctx.ws.pageId(pageKey.project(0));
  const rows = [
    {
      title: "Every project carries a PRJ code",
      on: "2025-07-03",
      makers: [ctx.people.maya, ctx.people.jonas],
      context: [
        textItem("Adopt "),
        textItem("PRJ-###", { code: true }),
        textItem(" codes for all projects, starting with "),
        pageMentionItem(atlas, PROJECT_NAMES[0]),
        textItem("."),
      ],
      project: [0],
      outcome: "Accepted",
      record: "https://wiki.wt-studio.example/adr/0007-project-codes",
    },
    {
      title: "Phases link to exactly one project",
      on: "2025-07-09",
      makers: [ctx.people.maya],
      context: [
        textItem("A phase without a project is a data error; "),
        textItem("backfill", { italic: true }),
        textItem(" the link where the code is known."),
      ],
      project: [],
      outcome: "Accepted",
      record: "https://wiki.wt-studio.example/adr/0008-phase-links",
    },
    {
      title: "Use Jira for task tracking",
      on: "2025-06-20",
      makers: [ctx.people.jonas, ctx.people.tomas],
      context: [textItem("Superseded by WT Tasks in Notion.", { strikethrough: true })],
      project: [],
      outcome: "Superseded",
      record: null,
    },
  ];
  rows.forEach((row, i) => {
    const created = july(3 + 3 * i, 16, 20);
    ctx.ws.addPage(source, {
      createdTime: created,
      lastEditedTime: later(created, 60 * 26),
      createdBy: userId(ctx.people.maya),
      lastEditedBy: userId(ctx.people.maya),
      values: {
        Decision: [textItem(row.title)],
        "Decided on": dateValue(row.on),
        "Decision makers": peopleValue(...row.makers),
        Context: row.context,
        Project: relationValue(row.project.map((p) => ctx.ws.pageId(pageKey.project(p)))),
        Outcome: optionValue(source.option("Outcome", row.outcome)),
        Record: row.record,
      },
    });
  });
}
