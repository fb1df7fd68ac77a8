import { isObject } from "../../json.ts";
import { pageKey, peopleValue, userId } from "./demo-context.ts";
import type { DemoContext } from "./demo-context.ts";
import { july, later } from "./demo-people.ts";
import { dateValue, multiSelectValue, optionValue } from "../property-values.ts";
import { textItem } from "../rich-text.ts";

const CLIENTS = [
  {
    name: "Northwind Logistics",
    industry: "Logistics",
    domain: "northwind.example",
    phone: "+44 20 7946 0102",
    active: true,
  },
  {
    name: "Contoso Retail",
    industry: "Retail",
    domain: "contoso.example",
    phone: "+1 206 555 0143",
    active: true,
  },
  {
    name: "Globex Energy",
    industry: "Energy",
    domain: "globex.example",
    phone: null,
    active: true,
  },
  {
    name: "Initech Health",
    industry: "Healthcare",
    domain: "initech.example",
    phone: "+49 30 901820",
    active: false,
  },
] as const;

export function addClients(ctx: DemoContext): void {
  const source = ctx.source("clients");
  const managers = [ctx.people.maya, ctx.people.jonas];
  CLIENTS.forEach((row, i) => {
    const created = july(1, 11, 15 * i);
    const manager = managers[i % managers.length] ?? ctx.people.maya;
    ctx.ws.addPage(source, {
      key: pageKey.client(i),
      createdTime: created,
      lastEditedTime: later(created, 60 * 24 * (5 + i)),
      createdBy: userId(ctx.people.maya),
      lastEditedBy: userId(manager),
      values: {
        "Client name": [textItem(row.name)],
        Industry: optionValue(source.option("Industry", row.industry)),
        "Account manager": peopleValue(manager),
        "Contact email": `projects@${row.domain}`,
        Phone: row.phone,
        Website: `https://www.${row.domain}`,
        Active: row.active,
        Notes: row.active
          ? [
              textItem("Framework agreement on file; see "),
              textItem("client site", { underline: true }, `https://www.${row.domain}/partners`),
              textItem("."),
            ]
          : [
              textItem("Contract ended June 2025.", { strikethrough: true }),
              textItem(" Keep for references.", { color: "gray" }),
            ],
      },
    });
  });
}

const MEMBERS = [
  {
    person: "maya",
    role: "Programme lead",
    skills: ["Data", "UX"],
    capacity: 40,
    start: "2021-03-01",
    phone: "+44 7700 900101",
  },
  {
    person: "jonas",
    role: "Project manager",
    skills: ["Backend", "QA"],
    capacity: 40,
    start: "2022-01-10",
    phone: "+44 7700 900102",
  },
  {
    person: "priya",
    role: "Analyst",
    skills: ["Data"],
    capacity: 32,
    start: "2023-05-15",
    phone: "+44 7700 900103",
  },
  {
    person: "tomas",
    role: "Engineer",
    skills: ["Backend", "Cloud"],
    capacity: 40,
    start: "2022-09-01",
    phone: null,
  },
  {
    person: "hannah",
    role: "Designer",
    skills: ["UX", "Frontend"],
    capacity: 24,
    start: "2024-02-05",
    phone: "+44 7700 900105",
  },
  {
    person: "leo",
    role: "Engineer",
    skills: ["Frontend", "QA"],
    capacity: 40,
    start: "2025-06-02",
    phone: "+44 7700 900106",
  },
] as const;

export function addTeamMembers(ctx: DemoContext): void {
  const source = ctx.source("teamMembers");
  MEMBERS.forEach((row, i) => {
    const person = ctx.people[row.person];
    const created = july(1, 13, 4 * i);
    ctx.ws.addPage(source, {
      key: pageKey.member(row.person),
      createdTime: created,
      lastEditedTime: later(created, 60 * 24 * 10 + 7 * i),
      createdBy: userId(ctx.people.maya),
      lastEditedBy: userId(i === 0 ? ctx.people.maya : person),
      values: {
        Name: [textItem(String(person.name))],
        Person: peopleValue(person),
        Role: optionValue(source.option("Role", row.role)),
        Skills: multiSelectValue(row.skills.map((skill) => source.option("Skills", skill))),
        Email: isObject(person.person) ? (person.person.email ?? null) : null,
        Phone: row.phone,
        "Capacity (h/wk)": row.capacity,
        "Start date": dateValue(row.start),
        "On leave": row.person === "leo",
      },
    });
  });
}
