import type Database from "better-sqlite3";
import { runChanges } from "../runs/change-store.ts";
import type { ChangeRow } from "../runs/change-store.ts";
import { valueOf } from "../apply/page-values.ts";
import { NotionMirrorError } from "../errors.ts";
import { completePage } from "../notion/complete-page.ts";
import type { PropertyValue } from "../notion/codec/index.ts";
import { naturalValue, payloadMatches, valuesEqual } from "../notion/codec/index.ts";
import type { NotionApi } from "../notion/notion-api.ts";
import { pageNames } from "../report/page-names.ts";
import { checkRunId } from "../runs/run-id.ts";
import { requireRun } from "../runs/run-store.ts";
import { valueNames } from "../report/value-names.ts";
import type { ValueNames } from "../report/value-names.ts";
import { propertyValueText } from "../report/property-value-text.ts";
import { valueInPeoplesTerms } from "../report/peoples-terms.ts";

/** What became of one change a run wrote. */
export type VerifyState = "as_written" | "changed" | "trashed" | "gone";

export interface VerifiedChange {
  pageId: string;
  database: string;
  pageTitle: string;
  property: string;
  state: VerifyState;
  /** What the run wrote and what is there now, in natural form. */
  written: unknown;
  now: unknown;
  /** The same in people's terms, as plan shows values: related pages by title, people by name. */
  writtenText: string;
  nowText: string;
  /** Who last edited the page and when (for a change that moved). */
  editedBy: { id: string; name: string | null } | null;
  editedAt: string | null;
}

export interface VerifyResult {
  runId: string;
  checked: number;
  /** Changes the run did not write (skipped, failed, still planned) or that were reverted since. */
  notWritten: number;
  counts: Record<VerifyState, number>;
  changes: VerifiedChange[];
  requests: number;
}

/** Pages read at once: the rate gate paces them; this only bounds what waits in memory. */
const PAGES_AT_ONCE = 8;

/**
 * `verify RUN-ID`: reads every page the run wrote, live (one GET per page, plus the property
 * item reads a value Notion cut at 25 items needs, only for the properties the run wrote), and
 * reports per written change whether it still holds what the run wrote, was changed since (by
 * whom, when, both values), or its page was trashed or is no longer visible. Writes nothing: the
 * mirror is only read.
 */
export async function verifyRun(
  sqlite: Database.Database,
  api: NotionApi,
  runId: string,
): Promise<VerifyResult> {
  const run = requireRun(sqlite, checkRunId(runId));
  const rows = runChanges(sqlite, run.id);
  const written = rows.filter((row) => row.status === "applied");
  const byPage = new Map<string, ChangeRow[]>();
  for (const row of written) byPage.set(row.pageId, [...(byPage.get(row.pageId) ?? []), row]);
  const names = pageNames(sqlite, new Map());
  const people = valueNames(sqlite);
  const before = api.stats.requests;
  const results = new Map<number, VerifiedChange>();
  const queue = [...byPage];
  const worker = async () => {
    for (let next = queue.shift(); next; next = queue.shift()) {
      const [pageId, changes] = next;
      for (const change of await verifyPage(api, pageId, changes, people))
        results.set(change.id, change.result);
    }
  };
  await Promise.all(Array.from({ length: Math.min(PAGES_AT_ONCE, queue.length) }, worker));
  const changes = written.flatMap((row) => {
    const result = results.get(row.id);
    if (!result) return [];
    const name = names.of(row.pageId, row.dataSourceId);
    const editedBy = result.editedBy
      ? { id: result.editedBy.id, name: people.userName(result.editedBy.id) ?? null }
      : null;
    return [{ ...result, database: name.database, pageTitle: name.title, editedBy }];
  });
  const counts: Record<VerifyState, number> = { as_written: 0, changed: 0, trashed: 0, gone: 0 };
  for (const change of changes) counts[change.state] += 1;
  return {
    runId: run.id,
    checked: changes.length,
    notWritten: rows.length - written.length,
    counts,
    changes,
    requests: api.stats.requests - before,
  };
}

async function verifyPage(
  api: NotionApi,
  pageId: string,
  changes: readonly ChangeRow[],
  names: ValueNames,
): Promise<Array<{ id: number; result: VerifiedChange }>> {
  const base = (row: ChangeRow) => ({
    pageId,
    database: "",
    pageTitle: "",
    property: row.propertyName,
    written: writtenNatural(row),
    writtenText: writtenText(row, names),
  });
  let page;
  try {
    page = await completePage(
      api,
      await api.retrievePage(pageId, `verifying page ${pageId}`),
      new Set(changes.map((row) => row.propertyId)),
    );
  } catch (error) {
    if (error instanceof NotionMirrorError && error.code === "not_found")
      return changes.map((row) => ({
        id: row.id,
        result: {
          ...base(row),
          state: "gone",
          now: null,
          nowText: "",
          editedBy: null,
          editedAt: null,
        },
      }));
    throw error;
  }
  const editedBy = { id: page.last_edited_by.id, name: null };
  return changes.map((row) => {
    const live = valueOf(page, row.propertyId);
    const now = live ? naturalValue(live) : null;
    const still = live !== undefined && holdsWritten(row, live);
    const state: VerifyState = page.in_trash ? "trashed" : still ? "as_written" : "changed";
    return {
      id: row.id,
      result: {
        ...base(row),
        state,
        now,
        nowText: live
          ? propertyValueText(live, names)
          : valueInPeoplesTerms(row.propertyType, null, names),
        editedBy: state === "as_written" ? null : editedBy,
        editedAt: state === "as_written" ? null : page.last_edited_time,
      },
    };
  });
}

/** The value the run left: Notion's answer to its write, or the payload when the answer was lost. */
function writtenNatural(row: ChangeRow): unknown {
  if (row.afterJson) return naturalValue(JSON.parse(row.afterJson) as PropertyValue);
  return row.naturalJson ? (JSON.parse(row.naturalJson) as unknown) : null;
}

/** The value the run left, in people's terms (see {@link writtenNatural}). */
function writtenText(row: ChangeRow, names: ValueNames): string {
  if (row.afterJson) return propertyValueText(JSON.parse(row.afterJson) as unknown, names);
  const natural = row.naturalJson ? (JSON.parse(row.naturalJson) as unknown) : null;
  return valueInPeoplesTerms(row.propertyType, natural, names);
}

function holdsWritten(row: ChangeRow, live: PropertyValue): boolean {
  if (row.afterJson) return valuesEqual(live, JSON.parse(row.afterJson) as PropertyValue);
  return payloadMatches(live, JSON.parse(row.payloadJson) as unknown);
}
