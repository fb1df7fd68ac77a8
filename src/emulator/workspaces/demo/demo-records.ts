import { pageKey, peopleValue, userId } from "./demo-context.ts";
import type { DemoContext } from "./demo-context.ts";
import { july, later } from "./demo-people.ts";
import {
  dateValue,
  filesValue,
  formulaValue,
  multiSelectValue,
  offsetTimestamp,
  optionValue,
  relationValue,
} from "../property-values.ts";
import { textItem, userMentionItem } from "../rich-text.ts";

export function addMeetings(ctx: DemoContext): void {
  const source = ctx.source("meetings");
  const { maya, jonas, priya, tomas, hannah } = ctx.people;
  const rows = [
    {
      title: "Steering committee — July",
      day: "2025-07-14",
      from: "09:30",
      to: "10:30",
      offset: "+02:00",
      people: [maya, jonas, priya],
      type: "Steering",
      project: [0, 3],
      recording: true,
      followUp: true,
    },
    {
      title: "Beacon client review",
      day: "2025-07-17",
      from: "15:00",
      to: "16:00",
      offset: "-04:00",
      people: [jonas, hannah],
      type: "Client review",
      project: [1],
      recording: true,
      followUp: false,
    },
    {
      title: "Sprint 14 retro",
      day: "2025-07-18",
      from: "16:00",
      to: "16:45",
      offset: "+01:00",
      people: [maya, jonas, priya, tomas],
      type: "Retro",
      project: [],
      recording: false,
      followUp: false,
    },
  ];
  rows.forEach((row, i) => {
    const created = july(Number(row.day.slice(8)) - 2, 12, 10 * i);
    ctx.ws.addPage(source, {
      emoji: "🗓️",
      createdTime: created,
      lastEditedTime: later(created, 60 * 24 * 3),
      createdBy: userId(jonas),
      lastEditedBy: userId(i === 0 ? maya : jonas),
      values: {
        Meeting: [textItem(row.title)],
        When: dateValue(
          offsetTimestamp(row.day, row.from, row.offset),
          offsetTimestamp(row.day, row.to, row.offset),
        ),
        Attendees: peopleValue(...row.people),
        Type: optionValue(source.option("Type", row.type)),
        Notes: [
          textItem("Actions: ", { bold: true }),
          userMentionItem(row.people[0] ?? maya),
          textItem(" to circulate notes by Friday."),
        ],
        Recording: filesValue(
          row.recording
            ? [
                {
                  name: `recording-${row.day}.mp4`,
                  url: `https://media.wt-studio.example/meetings/${row.day}.mp4`,
                },
              ]
            : [],
        ),
        Project: relationValue(row.project.map((p) => ctx.ws.pageId(pageKey.project(p)))),
        "Follow-up needed": row.followUp,
      },
    });
  });
}

export function addDocuments(ctx: DemoContext): void {
  const source = ctx.source("documents");
  const rows = [
    {
      title: "Delivery handbook",
      type: "Handbook",
      tags: ["Process", "Delivery"],
      owner: ctx.people.maya,
      file: "delivery-handbook.pdf",
      reviewed: "2025-07-01",
      approved: true,
      project: [],
    },
    {
      title: "Atlas ingestion spec",
      type: "Spec",
      tags: ["Delivery"],
      owner: ctx.people.priya,
      file: "atlas-ingestion-spec.docx",
      reviewed: "2025-07-11",
      approved: true,
      project: [0],
    },
    {
      title: "Nimbus cutover runbook",
      type: "Runbook",
      tags: ["Security", "Delivery"],
      owner: ctx.people.tomas,
      file: null,
      reviewed: null,
      approved: false,
      project: [13],
    },
  ];
  rows.forEach((row, i) => {
    const created = july(2 + 5 * i, 10, 0);
    ctx.ws.addPage(source, {
      emoji: "📄",
      createdTime: created,
      lastEditedTime: later(created, 60 * 24 * 4 + 90),
      createdBy: userId(row.owner),
      lastEditedBy: userId(row.owner),
      values: {
        Document: [textItem(row.title)],
        File: filesValue(
          row.file === null
            ? []
            : [{ name: row.file, url: `https://files.wt-studio.example/docs/${row.file}` }],
        ),
        Link: `https://wiki.wt-studio.example/docs/${row.title.toLowerCase().replaceAll(" ", "-")}`,
        Owner: peopleValue(row.owner),
        "Doc type": optionValue(source.option("Doc type", row.type)),
        Tags: multiSelectValue(row.tags.map((tag) => source.option("Tags", tag))),
        "Last reviewed": row.reviewed === null ? null : dateValue(row.reviewed),
        Approved: row.approved,
        Project: relationValue(row.project.map((p) => ctx.ws.pageId(pageKey.project(p)))),
      },
    });
  });
}

export function addBudgetLines(ctx: DemoContext): void {
  const source = ctx.source("budgetLines");
  const rows = [
    {
      title: "Atlas — contract engineers",
      project: 0,
      budget: 120_000,
      actual: 86_500,
      category: "Labour",
      phone: "+44 20 7946 0877",
      invoice: "inv-2025-0412.pdf",
    },
    {
      title: "Atlas — warehouse licences",
      project: 0,
      budget: 36_000,
      actual: 38_250,
      category: "Licences",
      phone: null,
      invoice: "inv-2025-0419.pdf",
    },
    {
      title: "Delta — test devices",
      project: 3,
      budget: 8_000,
      actual: 7_420,
      category: "Hardware",
      phone: "+1 415 555 0190",
      invoice: null,
    },
  ];
  rows.forEach((row, i) => {
    const created = july(5 + i, 11, 45);
    ctx.ws.addPage(source, {
      createdTime: created,
      lastEditedTime: later(created, 60 * 24 * 14 + 12 * i),
      createdBy: userId(ctx.people.priya),
      lastEditedBy: userId(ctx.people.priya),
      values: {
        "Line item": [textItem(row.title)],
        Project: relationValue([ctx.ws.pageId(pageKey.project(row.project))]),
        Budget: row.budget,
        Actual: row.actual,
        Variance: formulaValue("number", row.budget - row.actual),
        Category: optionValue(source.option("Category", row.category)),
        "Approver email": "finance@wt-studio.example",
        "Vendor phone": row.phone,
        Invoice: filesValue(
          row.invoice === null
            ? []
            : [
                {
                  name: row.invoice,
                  url: `https://files.wt-studio.example/invoices/${row.invoice}`,
                },
              ],
        ),
      },
    });
  });
}
