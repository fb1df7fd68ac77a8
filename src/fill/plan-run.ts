import type { ProjectConfig } from "../config/project-config.ts";
import { NotionMirrorError } from "../errors.ts";
import type { Mirror } from "../mirror/open-mirror.ts";
import { openMirror } from "../mirror/open-mirror.ts";
import type { CarriedFrom } from "../review/carry-decisions.ts";
import { recordPlan } from "../review/record-plan.ts";
import { newRunId } from "../runs/run-id.ts";
import type { RuleRows } from "./build-plan.ts";
import { checkRuleTargets, planBuilder } from "./build-plan.ts";
import { loadRules } from "./load-rules.ts";
import { sqliteLookup } from "./mirror-lookup.ts";
import type { Plan } from "./plan-types.ts";
import type { Confidence, FillRule } from "./rule-file.ts";
import type { SqlSandbox } from "./sql-sandbox.ts";
import { openSqlSandbox } from "./sql-sandbox.ts";
import { counted } from "../util/plural.ts";
import { pulledSourceCount } from "../mirror/stored-schemas.ts";

export interface PlanOptions {
  /** Rule names (default: every rule in the rules folder). */
  rules?: readonly string[];
  minConfidence?: Confidence;
  /** Time limit per rule, ms. */
  ruleTimeoutMs?: number;
  /** Rows a rule may return before it is cut (and reported). */
  maxRowsPerRule?: number;
  now?: () => Date;
}

export interface PlanResult {
  /** The planned run's id, or null when there was nothing to fill. */
  runId: string | null;
  plan: Plan;
  /**
   * Decisions carried over from earlier plans to unchanged proposals, per run they came from
   * (absent: no run recorded).
   */
  carriedDecisions?: CarriedFrom[];
  /** Proposals left for review: not decided in an earlier plan (absent: no run recorded). */
  undecided?: number;
  /** Older planned runs this plan superseded (absent: no run recorded). */
  superseded?: string[];
}

/**
 * `plan`: runs the fill rules read-only against the mirror, checks every proposal, and records a
 * planned run (changes, rules with their SQL, review items, and the mirror state it was computed
 * from) for `push`. Nothing is sent to Notion.
 */
export async function planRun(
  config: ProjectConfig,
  options: PlanOptions = {},
): Promise<PlanResult> {
  const rules = loadRules(config.fillsDir, options.rules);
  // The sandbox process starts now: its start-up overlaps opening and checking the mirror.
  const sandbox = openSqlSandbox(config.mirrorPath);
  sandbox.start();
  try {
    return await planWith(config, options, rules, sandbox);
  } finally {
    await sandbox.close();
  }
}

async function planWith(
  config: ProjectConfig,
  options: PlanOptions,
  rules: readonly FillRule[],
  sandbox: SqlSandbox,
): Promise<PlanResult> {
  const mirror = openMirror(config.mirrorPath);
  try {
    if (pulledSourceCount(mirror.sqlite) === 0) {
      throw new NotionMirrorError(
        "usage",
        "The mirror is empty: nothing to plan from.",
        "Try: notion-mirror sync pull",
      );
    }
    refuseStalePages(mirror.sqlite);
    const lookup = sqliteLookup(mirror.sqlite);
    checkRuleTargets(rules, lookup);
    // Each rule's rows are checked while the sandbox runs the next rule's SQL, in slices between
    // which the event loop turns (so the sandbox's time limit stays exact). Rows that cannot be
    // checked fail the plan as before: once every rule's SQL has run, so a SQL error comes first.
    const builder = planBuilder(lookup, options.minConfidence ?? "high");
    let checkFailure: { error: unknown } | undefined;
    let next = runRule(sandbox, rules[0], options);
    for (let index = 0; index < rules.length; index += 1) {
      const result = await next;
      next = runRule(sandbox, rules[index + 1], options);
      if (!result || checkFailure) continue;
      try {
        const slices = builder.add(result);
        do await new Promise<void>((resolve) => setImmediate(resolve));
        while (!slices.next().done);
      } catch (error) {
        checkFailure = { error };
      }
    }
    await sandbox.close();
    if (checkFailure) throw checkFailure.error;
    const plan = builder.finish();
    if (plan.changes.length === 0 && plan.review.length === 0) return { runId: null, plan };
    const runId = newRunId((options.now ?? (() => new Date()))());
    const { carried, undecided, superseded } = recordPlan(
      mirror,
      {
        id: runId,
        kind: "fill",
        createdAt: (options.now ?? (() => new Date()))().toISOString(),
        plan: planRecord(plan),
      },
      plan,
    );
    return { runId, plan, carriedDecisions: carried, undecided, superseded };
  } finally {
    mirror.close();
  }
}

/**
 * Runs one rule's SQL in the sandbox (undefined for no rule), naming the rule in its errors. The
 * promise is marked handled: its rejection is awaited later, after the previous rule's checks.
 */
function runRule(
  sandbox: SqlSandbox,
  rule: FillRule | undefined,
  options: PlanOptions,
): Promise<RuleRows | undefined> {
  if (!rule) return Promise.resolve(undefined);
  const running = sandbox
    .run(rule.sql, {
      timeoutMs: options.ruleTimeoutMs ?? 10_000,
      maxRows: options.maxRowsPerRule ?? 200_000,
      start: rule.sqlStart,
    })
    .then(
      (answer) => ({ rule, ...answer }),
      (error: unknown) => {
        if (error instanceof NotionMirrorError) {
          throw new NotionMirrorError(
            error.code,
            `Rule ${rule.name} (${rule.file}): ${error.message}`,
            error.hint,
          );
        }
        throw error;
      },
    );
  running.catch(() => undefined);
  return running;
}

/**
 * Refuses to plan from a mirror holding pages it knows are not current: pages Notion changed by
 * itself after a push or revert (the other side of a two-way relation, pages whose rollups it
 * recomputed), or whose write's answer was never recorded. A rule may read any of them, through
 * any view, so the whole plan waits for the pull that re-reads them.
 */
function refuseStalePages(sqlite: Mirror["sqlite"]): void {
  const stale = sqlite
    .prepare(
      `SELECT COALESCE(d.alias, p.data_source_id) AS alias, count(*) AS n FROM pages AS p
       LEFT JOIN data_sources AS d ON d.id = p.data_source_id
       WHERE p.last_edited_time = '' AND p.gone = 0 GROUP BY 1 ORDER BY 1`,
    )
    .all() as Array<{ alias: string; n: number }>;
  if (stale.length === 0) return;
  const total = stale.reduce((sum, row) => sum + row.n, 0);
  throw new NotionMirrorError(
    "usage",
    `The mirror's copy of ${counted(total, "page")} is not known to be current (${stale.map((row) => `${row.alias}: ${row.n}`).join(", ")}): Notion changed ${total === 1 ? "it" : "them"} by itself after a write (the other side of a two-way relation, a recomputed rollup), or a write's answer was never recorded. A plan made now could read stale values.`,
    "Try: notion-mirror sync pull (it re-reads them), then plan again.",
  );
}

/**
 * What the run keeps of its plan in `plan_json`: everything but the changes and the proposals for
 * review, which have their own rows (`changes`, `review_proposals`: the one record of each); their
 * counts stay, for a reader of the plan alone.
 */
function planRecord(
  plan: Plan,
): Omit<Plan, "changes" | "review"> & { changeCount: number; reviewCount: number } {
  const { changes, review, ...rest } = plan;
  return { ...rest, changeCount: changes.length, reviewCount: review.length };
}
