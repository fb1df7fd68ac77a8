import { createHash } from "node:crypto";
import { and, eq } from "drizzle-orm";
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
 * every relation value of its pages, read in id order without loading them all at once. Pages in
 * `leaveOut` are not part of the fingerprint (nor of the count and latest edit).
 */
export function mirrorState(
  mirror: Mirror,
  source: { id: string; alias: string },
  leaveOut: ReadonlySet<string> = new Set(),
): Omit<PlanInput, "runId" | "pushing" | "unsettledPagesJson"> {
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
    if (leaveOut.has(row.id)) continue;
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
    if (leaveOut.has(row.page)) continue;
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

/**
 * Binds a run being pushed to the mirror as its own writes left it: called as each push
 * invocation ends, so that a resume compares the mirror with this state and what the run wrote
 * itself does not count as moved. Pages the mirror marked as not known to be current (the other
 * side of a two-way relation the run wrote) are left out until a pull re-reads them: they move
 * because of the run. Runs without recorded inputs are left as they are.
 */
export function rebindPlanInputs(mirror: Mirror, runId: string): void {
  const recorded = mirror.db.select().from(planInputs).where(eq(planInputs.runId, runId)).all();
  if (recorded.length === 0) return;
  const unsettled = mirror.sqlite.prepare(
    "SELECT id FROM pages WHERE data_source_id = ? AND last_edited_time = '' ORDER BY id",
  );
  mirror.sqlite.transaction(() => {
    for (const input of recorded) {
      const leaveOut = unsettled.pluck().all(input.dataSourceId) as string[];
      mirror.db
        .update(planInputs)
        .set({
          ...mirrorState(mirror, { id: input.dataSourceId, alias: input.alias }, new Set(leaveOut)),
          pushing: false,
          unsettledPagesJson: leaveOut.length > 0 ? JSON.stringify(leaveOut) : null,
        })
        .where(and(eq(planInputs.runId, runId), eq(planInputs.dataSourceId, input.dataSourceId)))
        .run();
    }
  })();
}

/**
 * Marks run `runId` as being pushed, before the invocation's first write: if it dies before
 * {@link rebindPlanInputs} records the mirror as its writes left it, the next push knows that the
 * recorded state predates some of the run's own writes.
 */
export function markPushing(mirror: Mirror, runId: string): void {
  mirror.db.update(planInputs).set({ pushing: true }).where(eq(planInputs.runId, runId)).run();
}

/** What moved in one data source since the plan, in words. */
export interface MovedInput {
  alias: string;
  what: string[];
}

/**
 * Compares a run's recorded inputs (as planned, or as its last push invocation left them) with
 * the mirror now. Empty when nothing moved, or when the run records no inputs (planned by a
 * version that did not record them). `since` names the recorded moment in the words.
 */
export function movedInputs(mirror: Mirror, runId: string, since = "the plan"): MovedInput[] {
  const recorded = mirror.db.select().from(planInputs).where(eq(planInputs.runId, runId)).all();
  const names = pageNames(mirror.sqlite, new Map());
  const moved: MovedInput[] = [];
  const editedAfter = mirror.sqlite
    .prepare(
      "SELECT id FROM pages WHERE data_source_id = ? AND (last_edited_time > ? OR last_edited_time = '') ORDER BY last_edited_time DESC LIMIT 6",
    )
    .pluck();
  // Notion's last_edited_time has minutes only: an edit in the minute of the latest one seen then
  // has the same time. The run's own pages are left out of that list (their own write has it).
  const editedThen = mirror.sqlite
    .prepare(
      "SELECT id FROM pages WHERE data_source_id = ? AND last_edited_time = ? AND id NOT IN (SELECT page_id FROM changes WHERE run_id = ? AND status <> 'planned') ORDER BY id LIMIT 6",
    )
    .pluck();
  const listed = (ids: string[]) =>
    `${ids
      .slice(0, 5)
      .map((id) => `${pageNameText(names.of(id))} (${id})`)
      .join(", ")}${ids.length > 5 ? ", …" : ""}`;
  for (const input of recorded) {
    const leaveOut = new Set(
      input.unsettledPagesJson ? (JSON.parse(input.unsettledPagesJson) as string[]) : [],
    );
    const now = mirrorState(mirror, { id: input.dataSourceId, alias: input.alias }, leaveOut);
    if (now.pagesFingerprint === input.pagesFingerprint) continue;
    const what: string[] = [];
    if (now.pullId !== input.pullId)
      what.push(
        `pulled again since ${since} (pull ${input.pullId ?? "none"} → ${now.pullId ?? "none"})`,
      );
    if (now.pageCount !== input.pageCount) what.push(`${input.pageCount} → ${now.pageCount} pages`);
    const edited = (
      editedAfter.all(input.dataSourceId, input.maxLastEditedTime ?? "") as string[]
    ).filter((id) => !leaveOut.has(id));
    const sameMinute =
      edited.length === 0 && input.maxLastEditedTime
        ? (editedThen.all(input.dataSourceId, input.maxLastEditedTime, runId) as string[])
        : [];
    if (edited.length > 0) what.push(`edited since: ${listed(edited)}`);
    else if (sameMinute.length > 0)
      what.push(`edited in the minute of the latest edit seen then: ${listed(sameMinute)}`);
    else
      what.push(`pages or relations changed (within the minute of the latest edit ${since} saw)`);
    moved.push({ alias: input.alias, what });
  }
  return moved;
}

/** What push found comparing a run's recorded inputs with the mirror now. */
export interface BindingCheck {
  /** What moved since the recorded state (pushed anyway only with `ignoreMoved`). */
  moved: MovedInput[];
  /**
   * True when the recorded state may predate some of the run's own writes (an invocation killed
   * before it could record the mirror as it left it): what moved cannot then be told apart from
   * the run's own writes, and is not checked this once.
   */
  unchecked: boolean;
}

/**
 * Refuses to push (or resume) a run whose inputs moved since it was planned, or since the last
 * push invocation of it ended (a pull changed a page or relation of a data source its rules
 * read), naming what moved, unless `ignoreMoved`. Only runs with something left to send are
 * checked: planned, applying or partial.
 */
export function checkPlanBinding(mirror: Mirror, run: RunRow, ignoreMoved = false): BindingCheck {
  if (!["planned", "applying", "partial"].includes(run.status))
    return { moved: [], unchecked: false };
  const recorded = mirror.db.select().from(planInputs).where(eq(planInputs.runId, run.id)).all();
  if (recorded.length === 0) return { moved: [], unchecked: false };
  if (recorded.some((input) => input.pushing)) return { moved: [], unchecked: true };
  const moved = movedInputs(
    mirror,
    run.id,
    run.status === "planned" ? "the plan" : "its last push",
  );
  if (moved.length === 0 || ignoreMoved) return { moved, unchecked: false };
  const since = run.status === "planned" ? "" : " since its last push stopped";
  throw new NotionMirrorError(
    "usage",
    `Run ${run.id} was planned from a mirror that has moved on${since}; re-plan. What moved since:\n${moved.map((item) => `  ${item.alias}: ${item.what.join("; ")}`).join("\n")}`,
    `Try: notion-mirror plan (decisions on unchanged proposals are carried over), or push ${run.id} --ignore-moved-inputs to push it as planned anyway.`,
  );
}
