import { isoMinute } from "../clock.ts";
import type { Json, JsonObject } from "../json.ts";
import type { SeedFile } from "../seed-file.ts";
import {
  dateValue,
  filesValue,
  formulaValue,
  optionValue,
  relationValue,
} from "./property-values.ts";
import { textItem } from "./rich-text.ts";
import type { OptionSpec, PropertySpec } from "./schema.ts";
import { statusGroups } from "./schema.ts";
import { botUser, personUser, userValue } from "./users.ts";
import type { DataSourceHandle } from "./workspace-builder.ts";
import { WorkspaceBuilder } from "./workspace-builder.ts";
import { seededRandom } from "../seeded-random.ts";

export interface ScaleOptions {
  /** Pages in all, spread unevenly over the data sources. */
  pages: number;
  /** Data sources (each in its own database); default 12. */
  dataSources?: number;
  /** Seed for ids and for which fields are empty; default 1. */
  seed?: number;
}

/** Relation lists this long exceed Notion's 25-item page limit. */
const LONG_RELATION = 30;
const JULY_2025 = Date.UTC(2025, 6, 1);
const NAMES = [
  "Ada Byrne",
  "Bo Lindqvist",
  "Chen Wei",
  "Dara Nwosu",
  "Eli Navarro",
  "Fay Okonkwo",
  "Gus Moreau",
  "Hira Shah",
];

function options(...names: string[]): OptionSpec[] {
  const colors = ["gray", "blue", "green", "orange", "purple", "red"] as const;
  return names.map((name, i) => ({ name, color: colors[i % colors.length] ?? "default" }));
}

/** Three schema variants over a common core, so the mix of property types varies by source. */
function schemaFor(index: number): PropertySpec[] {
  const core: PropertySpec[] = [
    { name: "Name", type: "title" },
    { name: "Ref", type: "unique_id", prefix: `S${index + 1}` },
    {
      name: "Status",
      type: "status",
      groups: statusGroups(options("Not started"), options("In progress"), options("Done")),
    },
    { name: "Owner", type: "people" },
    { name: "Due", type: "date" },
    { name: "Estimate", type: "number", format: "number" },
    { name: "Notes", type: "rich_text" },
    { name: "Tags", type: "multi_select", options: options("alpha", "beta", "gamma", "delta") },
    { name: "Done", type: "checkbox" },
    { name: "Created", type: "created_time" },
    { name: "Last edited", type: "last_edited_time" },
  ];
  if (index > 0)
    core.push({ name: "Parent items", type: "relation", target: `source-${index - 1}` });
  switch (index % 3) {
    case 0:
      return [...core, { name: "Email", type: "email" }, { name: "Website", type: "url" }];
    case 1:
      return [
        ...core,
        { name: "Phone", type: "phone_number" },
        { name: "Priority", type: "select", options: options("Low", "Medium", "High") },
      ];
    default:
      return [
        ...core,
        { name: "Budget", type: "number", format: "dollar" },
        { name: "Score", type: "formula", expression: "{{Estimate}} * 2" },
        { name: "Attachment", type: "files" },
      ];
  }
}

/** Page counts per source, uneven (weights 1..4) and summing to `total`. */
function spread(total: number, sources: number): number[] {
  const weights = Array.from({ length: sources }, (_, j) => (j % 4) + 1);
  const sum = weights.reduce((a, b) => a + b, 0);
  const counts = weights.map((w) => Math.floor((total * w) / sum));
  let left = total - counts.reduce((a, b) => a + b, 0);
  for (let j = 0; left > 0; j = (j + 1) % sources, left -= 1) counts[j] = (counts[j] ?? 0) + 1;
  return counts;
}

/**
 * A generated workspace of `pages` pages over `dataSources` data sources, for load and scale
 * tests: every page fully shaped, some fields empty, relations to the previous source (a few
 * pages with thirty), deterministic for a seed. Linear in `pages`; 100k pages take seconds.
 *
 * @example
 * const seed = scaleWorkspace({ pages: 1000 });
 */
export function scaleWorkspace(options: ScaleOptions): SeedFile {
  const total = Math.max(0, Math.floor(options.pages));
  const sourceCount = Math.max(1, Math.floor(options.dataSources ?? 12));
  const seed = options.seed ?? 1;
  const random = seededRandom(seed);
  const ws = new WorkspaceBuilder(seed);
  const people = NAMES.map((name) =>
    personUser(ws.ids.next(), name, `${name.split(" ")[0]?.toLowerCase()}@scale.example`),
  );
  for (const person of people) ws.addUser(person);
  const bot = botUser(ws.ids.next(), "Scale Test Integration", "Scale Workspace");
  ws.addUser(bot);
  const creator = String(people[0]?.id);

  const counts = spread(total, sourceCount);
  let previousIds: string[] = [];
  let global = 0;
  for (let j = 0; j < sourceCount; j += 1) {
    const source = ws.dataSource({
      key: `source-${j}`,
      title: `Scale Source ${j + 1}`,
      emoji: null,
      createdTime: isoMinute(new Date(JULY_2025 + j * 60_000)),
      lastEditedTime: isoMinute(new Date(JULY_2025 + 86_400_000)),
      createdBy: creator,
      properties: schemaFor(j),
    });
    const ids: string[] = [];
    const count = counts[j] ?? 0;
    for (let i = 0; i < count; i += 1, global += 1) {
      const page = ws.addPage(source, pageSpec(source, j, i, global, previousIds, people, random));
      ids.push(String(page.id));
    }
    previousIds = ids;
  }
  return ws.build({
    id: ws.ids.next(),
    name: "Scale Test Integration",
    bot_user_id: String(bot.id),
    workspace_name: "Scale Workspace",
  });
}

function pageSpec(
  source: DataSourceHandle,
  j: number,
  i: number,
  global: number,
  targets: readonly string[],
  people: readonly JsonObject[],
  random: () => number,
) {
  const created = JULY_2025 + ((global * 7919) % (28 * 1440)) * 60_000;
  const owner = people[global % people.length] ?? {};
  const empty = (share: number) => random() < share;
  const estimate = empty(0.15) ? null : 1 + (global % 13);
  const values: Record<string, Json> = {
    Name: [textItem(`Item ${j + 1}.${i + 1}`)],
    Status: empty(0.05)
      ? null
      : optionValue(
          source.option("Status", ["Not started", "In progress", "Done"][global % 3] ?? "Done"),
        ),
    Owner: empty(0.1) ? [] : [userValue(owner)],
    Due: empty(0.2) ? null : dateValue(isoMinute(new Date(created + 14 * 86_400_000)).slice(0, 10)),
    Estimate: estimate,
    Notes: empty(0.3)
      ? []
      : [textItem(`Notes for item ${i + 1}`, global % 5 === 0 ? { bold: true } : undefined)],
    Tags: empty(0.25)
      ? []
      : [
          optionValue(
            source.option("Tags", ["alpha", "beta", "gamma", "delta"][global % 4] ?? "alpha"),
          ),
        ],
    Done: global % 3 === 2,
  };
  if (j > 0 && targets.length > 0) {
    const wanted = i % 10_000 === 7 ? LONG_RELATION : Math.floor(random() * 4);
    const picked: string[] = [];
    for (let k = 0; k < Math.min(wanted, targets.length); k += 1) {
      picked.push(targets[(i * 31 + k) % targets.length] ?? "");
    }
    values["Parent items"] = relationValue(picked);
  }
  switch (j % 3) {
    case 0:
      values.Email = empty(0.2) ? null : `item${global}@scale.example`;
      values.Website = empty(0.3) ? null : `https://scale.example/items/${global}`;
      break;
    case 1:
      values.Phone = empty(0.4) ? null : `+1 555 01${String(global % 100).padStart(2, "0")}`;
      values.Priority = empty(0.2)
        ? null
        : optionValue(source.option("Priority", ["Low", "Medium", "High"][global % 3] ?? "Low"));
      break;
    default:
      values.Budget = empty(0.25) ? null : 1000 * (1 + (global % 50));
      values.Score = formulaValue("number", estimate === null ? null : estimate * 2);
      values.Attachment = empty(0.7)
        ? []
        : filesValue([
            { name: `item-${global}.pdf`, url: `https://files.scale.example/${global}.pdf` },
          ]);
  }
  return {
    values,
    createdTime: isoMinute(new Date(created)),
    lastEditedTime: isoMinute(new Date(created + ((global * 31) % 1440) * 60_000)),
    createdBy: String(owner.id),
    lastEditedBy: String(owner.id),
  };
}
