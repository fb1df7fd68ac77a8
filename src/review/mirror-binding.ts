import { createHash } from "node:crypto";
import { eq } from "drizzle-orm";
import { NotionMirrorError } from "../errors.ts";
import type { RuleOutcome } from "../fill/plan-types.ts";
import type { Mirror } from "../mirror/open-mirror.ts";
import { planInputs } from "../mirror/schema.ts";
import { pageNames, pageNameText } from "../report/page-names.ts";
import type { RunRow } from "../runs/run-store.ts";

/** The mirror state of one data source a plan read, as `plan_inputs` records it. */
export type PlanInput = typeof planInputs.$inferSelect;

/** Whether `sql` names `alias` as a whole identifier (bare, or in "", `` or []). */
function mentions(sql: string, alias: string): boolean {
  const text = sql.toLowerCase();
  const name = alias.toLowerCase();
  for (let at = text.indexOf(name); at !== -1; at = text.indexOf(name, at + 1)) {
    const before = text[at - 1] ?? " ";
    const after = text[at + name.length] ?? " ";
    if (!/[a-z0-9_$]/.test(before) && !/[a-z0-9_$]/.test(after)) return true;
  }
  return false;
}

/** The data sources a plan's rules read: each rule's target and every view its SQL names. */
export function dataSourcesRead(
  mirror: Mirror,
  rules: readonly Pick<RuleOutcome, "sql" | "target">[],
): Array<{ id: string; alias: string }> {
  const sources = mirror.sqlite
    .prepare("SELECT id, alias FROM data_sources ORDER BY alias")
    .all() as Array<{
    id: string;
    alias: string;
  }>;
  return sources.filter((source) =>
    rules.some(
      (rule) => rule.target.startsWith(`${source.alias}.`) || mentions(rule.sql, source.alias),
    ),
  );
}

/**
 * The state of one data source in the mirror now: the latest pull, its page count, latest
 * last_edited_time, and a fingerprint of every page (id, last edit, trash and gone flags) and
 * every relation value of its pages, read in id order without loading them all at once.
 */
export function mirrorState(
  mirror: Mirror,
  source: { id: string; alias: string },
): Omit<PlanInput, "runId"> {
  const hash = createHash("sha256");
  let pageCount = 0;
  let maxLastEditedTime: string | null = null;
  const pages = mirror.sqlite.prepare(
    "SELECT id, last_edited_time AS edited, in_trash AS trash, gone FROM pages WHERE data_source_id = ? ORDER BY id",
  );
  for (const row of pages.iterate(source.id) as Iterable<{
    id: string;
    edited: string;
    trash: number;
    gone: number;
  }>) {
    hash.update(`${row.id}\t${row.edited}\t${row.trash}\t${row.gone}\n`);
    pageCount += 1;
    if (maxLastEditedTime === null || row.edited > maxLastEditedTime)
      maxLastEditedTime = row.edited;
  }
  hash.update("relations\n");
  const relations = mirror.sqlite.prepare(
    `SELECT r.page_id AS page, r.property_id AS property, r.position AS position, r.target_page_id AS target
     FROM relations AS r JOIN pages AS p ON p.id = r.page_id
     WHERE p.data_source_id = ? ORDER BY r.page_id, r.property_id, r.position`,
  );
  for (const row of relations.iterate(source.id) as Iterable<{
    page: string;
    property: string;
    position: number;
    target: string;
  }>) {
    hash.update(`${row.page}\t${row.property}\t${row.position}\t${row.target}\n`);
  }
  const pull = mirror.sqlite.prepare("SELECT max(id) FROM pulls").pluck().get() as number | null;
  return {
    dataSourceId: source.id,
    alias: source.alias,
    pullId: pull,
    pageCount,
    maxLastEditedTime,
    pagesFingerprint: hash.digest("hex"),
  };
}

/** Records the state of every data source the plan's rules read; inside the plan's transaction. */
export function recordPlanInputs(
  mirror: Mirror,
  runId: string,
  rules: readonly Pick<RuleOutcome, "sql" | "target">[],
): void {
  for (const source of dataSourcesRead(mirror, rules)) {
    mirror.db
      .insert(planInputs)
      .values({ runId, ...mirrorState(mirror, source) })
      .run();
  }
}

/** What moved in one data source since the plan, in words. */
export interface MovedInput {
  alias: string;
  what: string[];
}

/**
 * Compares a planned run's recorded inputs with the mirror now. Empty when nothing moved, or when
 * the run records no inputs (planned by a version that did not record them).
 */
export function movedInputs(mirror: Mirror, runId: string): MovedInput[] {
  const recorded = mirror.db.select().from(planInputs).where(eq(planInputs.runId, runId)).all();
  const names = pageNames(mirror.sqlite, new Map());
  const moved: MovedInput[] = [];
  for (const input of recorded) {
    const now = mirrorState(mirror, { id: input.dataSourceId, alias: input.alias });
    if (now.pagesFingerprint === input.pagesFingerprint) continue;
    const what: string[] = [];
    if (now.pullId !== input.pullId)
      what.push(
        `pulled again since the plan (pull ${input.pullId ?? "none"} → ${now.pullId ?? "none"})`,
      );
    if (now.pageCount !== input.pageCount) what.push(`${input.pageCount} → ${now.pageCount} pages`);
    const edited = mirror.sqlite
      .prepare(
        "SELECT id FROM pages WHERE data_source_id = ? AND (last_edited_time > ? OR last_edited_time = '') ORDER BY last_edited_time DESC LIMIT 6",
      )
      .pluck()
      .all(input.dataSourceId, input.maxLastEditedTime ?? "") as string[];
    if (edited.length > 0) {
      const shown = edited.slice(0, 5).map((id) => `${pageNameText(names.of(id))} (${id})`);
      what.push(`edited since: ${shown.join(", ")}${edited.length > 5 ? ", …" : ""}`);
    }
    if (what.length === 0)
      what.push("pages or relations changed (within the minute of the latest edit the plan saw)");
    moved.push({ alias: input.alias, what });
  }
  return moved;
}

/**
 * Refuses to push a planned run whose inputs moved since it was planned (a pull changed a page or
 * relation of a data source its rules read), naming what moved, unless `ignoreMoved`. Runs already
 * being pushed are not checked: their own writes move the mirror.
 */
export function checkPlanBinding(mirror: Mirror, run: RunRow, ignoreMoved = false): MovedInput[] {
  if (run.status !== "planned") return [];
  const moved = movedInputs(mirror, run.id);
  if (moved.length === 0 || ignoreMoved) return moved;
  throw new NotionMirrorError(
    "usage",
    `Run ${run.id} was planned from a mirror that has moved on; re-plan. What moved since:\n${moved.map((item) => `  ${item.alias}: ${item.what.join("; ")}`).join("\n")}`,
    `Try: notion-mirror plan (decisions on unchanged proposals are carried over), or push ${run.id} --ignore-moved-inputs to push it as planned anyway.`,
  );
}
