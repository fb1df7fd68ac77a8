import type Database from "better-sqlite3";
import type { ChangeStatus } from "../runs/run-store.ts";

/** A change row as push and revert read it. */
export interface ChangeRow {
  id: number;
  pageId: string;
  dataSourceId: string;
  propertyId: string;
  propertyName: string;
  propertyType: string;
  rule: string;
  confidence: string;
  beforeJson: string | null;
  payloadJson: string;
  naturalJson: string | null;
  afterJson: string | null;
  status: ChangeStatus;
  error: string | null;
  appliedAt: string | null;
}

export function runChanges(sqlite: Database.Database, runId: string): ChangeRow[] {
  return sqlite
    .prepare(
      `SELECT id, page_id AS pageId, data_source_id AS dataSourceId, property_id AS propertyId,
              property_name AS propertyName, property_type AS propertyType, rule, confidence,
              before_json AS beforeJson, payload_json AS payloadJson, natural_json AS naturalJson,
              after_json AS afterJson, status, error, applied_at AS appliedAt
       FROM changes WHERE run_id = ? ORDER BY id`,
    )
    .all(runId) as ChangeRow[];
}
