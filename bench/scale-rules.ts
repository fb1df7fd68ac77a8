import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";

/**
 * Ten fill rules over the views of a 12-source scale workspace (see scaleWorkspace's schemas):
 * constants, expressions over the row, and one join across two views, so planning exercises
 * the sandbox, the checks and the run store on a realistic mix.
 */
const RULES: ReadonlyArray<{ name: string; target: string; sql: string }> = [
  {
    name: "status-not-started",
    target: "scale_source_1.status",
    sql: "SELECT page_id, 'Not started' AS value FROM scale_source_1 WHERE status IS NULL",
  },
  {
    name: "notes-from-name",
    target: "scale_source_2.notes",
    sql: "SELECT page_id, 'About ' || name AS value FROM scale_source_2 WHERE notes IS NULL",
  },
  {
    name: "estimate-default",
    target: "scale_source_3.estimate",
    sql: "SELECT page_id, 1 AS value FROM scale_source_3 WHERE estimate IS NULL",
  },
  {
    name: "tags-alpha",
    target: "scale_source_4.tags",
    sql: "SELECT page_id, json_array('alpha') AS value FROM scale_source_4 WHERE tags IS NULL",
  },
  {
    name: "due-from-created",
    target: "scale_source_5.due",
    sql: "SELECT page_id, date(created_time, '+14 days') AS value FROM scale_source_5 WHERE due IS NULL",
  },
  {
    name: "budget-from-estimate",
    target: "scale_source_6.budget",
    sql: "SELECT page_id, estimate * 1000 AS value FROM scale_source_6 WHERE budget IS NULL AND estimate IS NOT NULL",
  },
  {
    name: "email-from-ref",
    target: "scale_source_7.email",
    sql: "SELECT page_id, lower(ref) || '@scale.example' AS value FROM scale_source_7 WHERE email IS NULL",
  },
  {
    name: "priority-medium",
    target: "scale_source_8.priority",
    sql: "SELECT page_id, 'Medium' AS value FROM scale_source_8 WHERE priority IS NULL",
  },
  {
    name: "website-from-ref",
    target: "scale_source_10.website",
    sql: "SELECT page_id, 'https://scale.example/' || lower(ref) AS value FROM scale_source_10 WHERE website IS NULL",
  },
  {
    name: "owner-from-parent",
    target: "scale_source_12.owner",
    sql: `SELECT child.page_id, parent.owner AS value
FROM scale_source_12 AS child
JOIN scale_source_11 AS parent ON parent.page_id = json_extract(child.parent_items, '$[0]')
WHERE child.owner IS NULL AND parent.owner IS NOT NULL`,
  },
];

/** Writes the ten rules into `dir` (one .sql file each); returns how many. */
export function writeScaleRules(dir: string): number {
  mkdirSync(dir, { recursive: true });
  for (const rule of RULES) {
    writeFileSync(
      join(dir, `${rule.name}.sql`),
      `-- rule: ${rule.name}\n-- target: ${rule.target}\n-- confidence: high\n-- description: bench rule\n${rule.sql};\n`,
    );
  }
  return RULES.length;
}
