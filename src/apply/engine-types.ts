import type { PageObjectResponse } from "../notion/sdk-types.ts";
import type { PropertyValue, UpdatePropertyPayload } from "../notion/codec/index.ts";
import type { ChangeStatus } from "../runs/change-store.ts";

/** One property write the engine applies. Push and revert are two ways of building these. */
export interface EngineChange {
  changeId: number;
  pageId: string;
  dataSourceId: string;
  propertyId: string;
  propertyName: string;
  propertyType: string;
  /** What is sent for this property. */
  payload: UpdatePropertyPayload;
  /**
   * What the live value must be for the write to go ahead: empty (a fill never overwrites), equal
   * to a value (a revert only undoes what is still the run's), or anything (revert --force).
   * `syncedByRun`: pages a two-way relation holds or lacks because of the run's own writes on its
   * other side (see syncedByRun): left out of the comparison, being Notion's doing, not a person's.
   */
  guard:
    | { kind: "empty" }
    | { kind: "equals"; value: PropertyValue; syncedByRun?: readonly string[] }
    /** The live value holds what an earlier write sent (its answer was lost). */
    | { kind: "holds"; payload: unknown; syncedByRun?: readonly string[] }
    | { kind: "any" };
  /** How to tell, reading back, that the write landed: it holds the payload, or equals a value. */
  expected: { kind: "payload" } | { kind: "value"; value: PropertyValue };
}

/** The settled fate of one change in this invocation. */
export interface ChangeOutcome {
  changeId: number;
  pageId: string;
  propertyName: string;
  status: ChangeStatus;
  /** Notion's JSON of the value before (read live) and after (answered), when known. */
  before?: unknown;
  after?: unknown;
  /** Why it was skipped or failed, for people. */
  reason?: string;
}

/** Where the engine records outcomes as they happen (the mirror's run; nothing when it is gone). */
export interface OutcomeRecorder {
  record(outcome: ChangeOutcome): void;
  /** The page as Notion answered the write, so the mirror stays current without a pull. */
  pageWritten(page: PageObjectResponse, dataSourceId: string): void;
  /**
   * A write to this page is about to be sent: until its answer is recorded, the mirror must not
   * claim to know the page's current state (a crash in between would leave it stale yet "current").
   */
  writing(pageId: string): void;
}

export interface EngineProgress {
  pagesDone: number;
  pagesTotal: number;
  applied: number;
  protected: number;
  failed: number;
  /** Pages whose write Notion applied in this invocation. */
  pagesWritten: number;
}

export interface EngineResult {
  outcomes: ChangeOutcome[];
  /** Pages left untouched (planned): --max-writes was reached, or the run was stopped (Ctrl-C). */
  deferredPages: number;
  writesSent: number;
  durationMs: number;
}
