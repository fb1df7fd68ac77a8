import type { ProjectConfig } from "../config/project-config.ts";
import { NotionMirrorError } from "../errors.ts";
import { openMirror } from "../mirror/open-mirror.ts";
import { insertPlannedRun } from "../runs/run-store.ts";
import { newRunId } from "../runs/run-id.ts";
import type { RuleRows } from "./build-plan.ts";
import { buildPlan, checkRuleTargets } from "./build-plan.ts";
import { loadRules } from "./load-rules.ts";
import { sqliteLookup } from "./mirror-lookup.ts";
import type { Plan } from "./plan-types.ts";
import type { Confidence } from "./rule-file.ts";
import { openSqlSandbox } from "./sql-sandbox.ts";

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
  const mirror = openMirror(config.mirrorPath);
  try {
    const pulled = mirror.sqlite
      .prepare("SELECT count(*) AS n FROM data_sources WHERE pulled_at IS NOT NULL")
      .get() as { n: number };
    if (pulled.n === 0) {
      throw new NotionMirrorError(
        "usage",
        "The mirror is empty: nothing to plan from.",
        "Try: notion-mirror sync pull",
      );
    }
    const lookup = sqliteLookup(mirror.sqlite);
    checkRuleTargets(rules, lookup);
    const results: RuleRows[] = [];
    const sandbox = openSqlSandbox(config.mirrorPath);
    try {
      for (const rule of rules) {
        try {
          const answer = await sandbox.run(rule.sql, {
            timeoutMs: options.ruleTimeoutMs ?? 10_000,
            maxRows: options.maxRowsPerRule ?? 200_000,
          });
          results.push({ rule, ...answer });
        } catch (error) {
          if (error instanceof NotionMirrorError) {
            throw new NotionMirrorError(
              error.code,
              `Rule ${rule.name} (${rule.file}): ${error.message}`,
              error.hint,
            );
          }
          throw error;
        }
      }
    } finally {
      await sandbox.close();
    }
    const plan = buildPlan(results, lookup, options.minConfidence ?? "high");
    if (plan.changes.length === 0) return { runId: null, plan };
    const runId = newRunId((options.now ?? (() => new Date()))());
    insertPlannedRun(
      mirror.sqlite,
      {
        id: runId,
        kind: "fill",
        createdAt: (options.now ?? (() => new Date()))().toISOString(),
        plan: planRecord(plan),
      },
      plan.changes,
    );
    return { runId, plan };
  } finally {
    mirror.close();
  }
}

/** What the run keeps of its plan: everything but the changes (they have their own rows). */
function planRecord(plan: Plan): Omit<Plan, "changes"> & { changeCount: number } {
  const { changes, ...rest } = plan;
  return { ...rest, changeCount: changes.length };
}
