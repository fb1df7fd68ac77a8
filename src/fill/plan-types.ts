import type { UpdatePageParameters } from "../notion/sdk-types.ts";
import type { Confidence } from "./rule-file.ts";

export type UpdatePayload = NonNullable<UpdatePageParameters["properties"]>[string];

/** One property of one page that the plan will fill. */
export interface PlannedChange {
  pageId: string;
  pageTitle: string;
  dataSourceId: string;
  alias: string;
  propertyId: string;
  propertyName: string;
  propertyType: string;
  rule: string;
  confidence: Confidence;
  /** The value in the mirror when planned (Notion's JSON; empty by construction). */
  before: unknown;
  /**
   * The value planned, in the view's natural form: the rule's value as it proposed it, or, when
   * Notion would store it otherwise (a date-time's seconds), the value Notion will store; `note`
   * then says what was changed and what the rule gave.
   */
  natural: unknown;
  /** What push will send for this property. */
  payload: UpdatePayload;
  /** Why the planned value is not exactly the rule's ("seconds dropped: …"); absent when it is. */
  note?: string;
  /** The rule's other columns (`evidence`, `score` …) for this row, by name; absent when none. */
  extra?: Record<string, unknown>;
}

/** A proposed value the plan did not take, and why. */
export interface Refusal {
  rule: string;
  pageId: string | null;
  value: unknown;
  reason: string;
}

/** A target that already holds a value: never overwritten. */
export interface Protected {
  rule: string;
  pageId: string;
  propertyName: string;
  current: unknown;
}

export interface RuleOutcome {
  rule: string;
  file: string;
  target: string;
  confidence: Confidence;
  description: string;
  sql: string;
  rows: number;
  planned: number;
  protected: number;
  refused: number;
  forReview: number;
  truncated: boolean;
}

/** The mirror state a plan was computed from, per data source it touches. */
export interface PlannedFrom {
  dataSourceId: string;
  alias: string;
  fingerprint: string;
  watermark: string | null;
  pulledAt: string | null;
}

export interface Plan {
  minConfidence: Confidence;
  changes: PlannedChange[];
  /** Valid proposals of rules below the confidence threshold: listed, not planned. */
  review: PlannedChange[];
  protected: Protected[];
  refusals: Refusal[];
  rules: RuleOutcome[];
  plannedFrom: PlannedFrom[];
}
