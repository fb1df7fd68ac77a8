import { randomBytes } from "node:crypto";
import { NotionMirrorError } from "../errors.ts";

/** Run ids: `20251126-180512-ab12` — sortable by time, safe as a file name. */
const RUN_ID = /^\d{8}-\d{6}-[0-9a-f]{4}$/;

export function newRunId(now: Date = new Date()): string {
  const stamp = now.toISOString().replace(/[-:]/g, "").replace("T", "-").slice(0, 15);
  return `${stamp}-${randomBytes(2).toString("hex")}`;
}

/** Checks a run id from the user before it names a file or a row; `../x` and friends are refused. */
export function checkRunId(id: string): string {
  if (!RUN_ID.test(id)) {
    throw new NotionMirrorError(
      "usage",
      `${JSON.stringify(id)} is not a run id (they look like 20251126-180512-ab12).`,
      "Try: notion-mirror runs, to list them.",
    );
  }
  return id;
}
