import {
  fillPayload,
  isEmptyValue,
  isWritableType,
  normalizeNotionId,
} from "../notion/codec/index.ts";
import { NotionMirrorError } from "../errors.ts";
import type { MirrorLookup, PropertyInfo, DataSourceInfo } from "./mirror-lookup.ts";
import type { Plan, PlannedChange, PlannedFrom, RuleOutcome } from "./plan-types.ts";
import type { Confidence, FillRule } from "./rule-file.ts";
import { CONFIDENCE_RANK } from "./rule-file.ts";

/** A rule's result set, as the sandbox returned it. */
export interface RuleRows {
  rule: FillRule;
  columns: string[];
  rows: unknown[][];
  truncated: boolean;
}

/** Rows checked between two pauses of {@link PlanBuilder.add}. */
const CHECK_SLICE = 500;

/**
 * Builds the plan from the rules' results, one rule at a time, so that a rule's rows are checked
 * while the next rule's SQL runs: each proposal checked against the mirror (page live in the
 * target data source, value of the right type, relation targets and people known, then target
 * empty), sorted into planned changes, review items (below `minConfidence`), protected targets
 * and refusals. A value that cannot be written is refused even where the target is not empty.
 * Pure given the lookup: it writes nothing.
 *
 * `add` throws a usage error for a rule that cannot run as written (unknown target, read-only
 * target, missing columns, the same page twice) or for two rules proposing valid values for the
 * same field, whatever their confidence (the plan must not depend on the threshold to be valid).
 */
export interface PlanBuilder {
  /**
   * Checks one rule's rows (rules in order), pausing every few hundred rows so that the caller
   * can let its event loop turn (a sandbox's time limit is a timer); run it to the end. Throws
   * the usage errors listed above for these rows.
   */
  add(result: RuleRows): Generator<undefined, void>;
  /** The plan of the rules added so far. */
  finish(): Plan;
}

export function planBuilder(lookup: MirrorLookup, minConfidence: Confidence): PlanBuilder {
  const plan: Plan = {
    minConfidence,
    changes: [],
    review: [],
    protected: [],
    refusals: [],
    rules: [],
    plannedFrom: [],
  };
  const claimedBy = new Map<string, string>();
  const touched = new Map<string, PlannedFrom>();

  function* add({ rule, columns, rows, truncated }: RuleRows): Generator<undefined, void> {
    const { source, property } = resolveTarget(rule, lookup);
    const pageColumn = columns.indexOf("page_id");
    const valueColumn = columns.indexOf("value");
    if (pageColumn < 0 || valueColumn < 0) {
      throw new NotionMirrorError(
        "usage",
        `Rule ${rule.name} (${rule.file}) must return columns page_id and value; it returns ${columns.join(", ") || "none"}.`,
      );
    }
    const extraColumns = columns.flatMap((name, index) =>
      index === pageColumn || index === valueColumn ? [] : [{ name, index }],
    );
    const outcome: RuleOutcome = {
      rule: rule.name,
      file: rule.file,
      target: `${rule.target.alias}.${rule.target.property}`,
      confidence: rule.confidence,
      description: rule.description,
      sql: rule.sql,
      rows: rows.length,
      planned: 0,
      protected: 0,
      refused: 0,
      forReview: 0,
      truncated,
    };
    const planned = CONFIDENCE_RANK[rule.confidence] >= CONFIDENCE_RANK[minConfidence];
    const seenInRule = new Set<string>();
    for (const [index, row] of rows.entries()) {
      if (index > 0 && index % CHECK_SLICE === 0) yield;
      const rawId = row[pageColumn];
      const pageId =
        typeof rawId === "string" ? (normalizeNotionId(rawId) ?? undefined) : undefined;
      const value = row[valueColumn];
      const refuse = (reason: string) => {
        plan.refusals.push({ rule: rule.name, pageId: pageId ?? null, value, reason });
        outcome.refused += 1;
      };
      if (!pageId) {
        refuse(`page_id ${JSON.stringify(row[pageColumn])} is not a Notion page id`);
        continue;
      }
      if (seenInRule.has(pageId)) {
        throw new NotionMirrorError(
          "usage",
          `Rule ${rule.name} proposes two values for page ${pageId} (${outcome.target}); a rule must return each page at most once.`,
          "Add GROUP BY page_id or make the join unique.",
        );
      }
      seenInRule.add(pageId);
      const page = lookup.pageWithValue(pageId, property.id);
      if (!page) {
        refuse(`page ${pageId} is not in the mirror (no mirrored data source has it)`);
        continue;
      }
      if (page.dataSourceId !== source.id) {
        const home = lookup.dataSourceById(page.dataSourceId)?.alias ?? page.dataSourceId;
        refuse(`page ${pageId} belongs to ${home}, not to ${source.alias}`);
        continue;
      }
      if (!page.live) {
        refuse(`page ${pageId} is in the trash or no longer shared`);
        continue;
      }
      if (value === null || value === undefined) {
        refuse(`the value is NULL; a fill puts a value (leave such pages out of the SELECT)`);
        continue;
      }
      // The value is checked before the target's emptiness: a value that cannot be written is a
      // mistake in the rule whether or not this page's field happens to be empty today.
      const converted = fillPayload(property.type, property.schema, value, {
        allowNewOption: rule.allowNewOption,
      });
      if (!converted.ok) {
        refuse(converted.reason);
        continue;
      }
      const referenceProblem = checkReferences(property, converted.payload, lookup);
      if (referenceProblem) {
        refuse(referenceProblem);
        continue;
      }
      const current = page.current;
      if (current && !isEmptyValue(current)) {
        plan.protected.push({ rule: rule.name, pageId, propertyName: property.name, current });
        outcome.protected += 1;
        continue;
      }
      const change: PlannedChange = {
        pageId,
        pageTitle: page.title,
        dataSourceId: source.id,
        alias: source.alias,
        propertyId: property.id,
        propertyName: property.name,
        propertyType: property.type,
        rule: rule.name,
        confidence: rule.confidence,
        before: current ?? null,
        natural: converted.adjusted?.natural ?? value,
        payload: converted.payload,
        ...(converted.adjusted ? { note: converted.adjusted.note } : {}),
        ...(extraColumns.length > 0
          ? { extra: Object.fromEntries(extraColumns.map(({ name, index }) => [name, row[index]])) }
          : {}),
      };
      const field = `${pageId}/${property.id}`;
      const other = claimedBy.get(field);
      if (other) {
        throw new NotionMirrorError(
          "usage",
          `Rules ${other} and ${rule.name} both fill ${property.name} of page ${pageId}; a field takes one value.`,
          "Narrow one rule's WHERE clause, or plan them separately.",
        );
      }
      claimedBy.set(field, rule.name);
      if (!planned) {
        plan.review.push(change);
        outcome.forReview += 1;
        continue;
      }
      plan.changes.push(change);
      outcome.planned += 1;
      touched.set(source.id, {
        dataSourceId: source.id,
        alias: source.alias,
        fingerprint: source.fingerprint,
        watermark: source.watermark,
        pulledAt: source.pulledAt,
      });
    }
    plan.rules.push(outcome);
  }
  return {
    add,
    finish() {
      plan.plannedFrom = [...touched.values()];
      return plan;
    },
  };
}

/**
 * Checks that every rule's target is a writable property of a mirrored data source, before any
 * SQL runs. Throws the usage error {@link PlanBuilder.add} would throw for the first rule that is not.
 */
export function checkRuleTargets(rules: readonly FillRule[], lookup: MirrorLookup): void {
  for (const rule of rules) resolveTarget(rule, lookup);
}

function resolveTarget(
  rule: FillRule,
  lookup: MirrorLookup,
): { source: DataSourceInfo; property: PropertyInfo } {
  const source = lookup.dataSourceByAlias(rule.target.alias);
  if (!source) {
    const nearest = lookup.nearestAliases(rule.target.alias);
    throw new NotionMirrorError(
      "usage",
      `Rule ${rule.name} (${rule.file}) targets ${rule.target.alias}.${rule.target.property}, but no data source has the alias ${rule.target.alias}${nearest ? `; ${nearest}` : "."}`,
      "Check the aliases in notion-mirror.json, and run sync pull.",
    );
  }
  const property = lookup.property(source, rule.target.property);
  if (!property) {
    const nearest = lookup.nearestProperties(source, rule.target.property);
    throw new NotionMirrorError(
      "usage",
      `Rule ${rule.name} (${rule.file}) targets ${rule.target.property}, which is not a property or column of ${source.alias}${nearest ? `; ${nearest}` : "."}`,
      `Try: notion-mirror scan, to list the columns of ${source.alias}.`,
    );
  }
  if (!isWritableType(property.type)) {
    throw new NotionMirrorError(
      "usage",
      `Rule ${rule.name} (${rule.file}) targets ${source.alias}.${property.name}, a ${property.type} property: Notion computes it or it is read-only, so it cannot be filled.`,
      "Target a writable property; `notion-mirror scan` shows which properties can be filled.",
    );
  }
  return { source, property };
}

/** Relation targets must be live pages of the related data source; people must be known users. */
function checkReferences(
  property: PropertyInfo,
  payload: unknown,
  lookup: MirrorLookup,
): string | undefined {
  const body = payload as { relation?: Array<{ id: string }>; people?: Array<{ id: string }> };
  if (property.schema.type === "relation" && body.relation) {
    const targetSource = property.schema.relation.data_source_id;
    for (const { id } of body.relation) {
      const target = lookup.page(id);
      const related = lookup.dataSourceById(targetSource)?.alias ?? targetSource;
      if (!target) {
        return `related page ${id} is not in the mirror (${property.name} relates to ${related})`;
      }
      if (target.dataSourceId !== targetSource) {
        const home = lookup.dataSourceById(target.dataSourceId)?.alias ?? target.dataSourceId;
        return `related page ${id} belongs to ${home}, but ${property.name} relates to ${related}`;
      }
      if (!target.live) return `related page ${id} is in the trash or no longer shared`;
    }
  }
  if (property.schema.type === "people" && body.people) {
    for (const { id } of body.people) {
      if (!lookup.isKnownUser(id))
        return `user ${id} is not a user the mirror has seen in this workspace`;
    }
  }
  return undefined;
}
