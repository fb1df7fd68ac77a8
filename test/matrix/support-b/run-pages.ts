import type { Emulator } from "../../../src/emulator/index.ts";
import type { TestProject } from "../../support/project.ts";

/** The pages a run changes, from the mirror's changes table. */
export function runPages(project: TestProject, runId: string): string[] {
  const mirror = project.openMirror();
  try {
    return mirror.sqlite
      .prepare("SELECT DISTINCT page_id FROM changes WHERE run_id = ?")
      .pluck()
      .all(runId) as string[];
  } finally {
    mirror.close();
  }
}

/** How many PATCHes (from `sinceSeq` on) Notion answered 200 for each of `pages` (each field written once ⇒ 1 each). */
export function patchesPerPage(
  emulator: Emulator,
  pages: readonly string[],
  /** Requests arrived before this log sequence number are left out. */
  sinceSeq = 0,
): Map<string, number> {
  const counts = new Map(pages.map((page) => [page, 0]));
  for (const request of emulator.log.all()) {
    if (request.seq < sinceSeq) continue;
    if (request.method !== "PATCH" || request.status !== 200) continue;
    const page = request.path.split("?")[0]?.split("/")[3] ?? "";
    if (counts.has(page)) counts.set(page, (counts.get(page) ?? 0) + 1);
  }
  return counts;
}

/** The status of each change of a run, counted. */
export function changeStatuses(project: TestProject, runId: string): Record<string, number> {
  const mirror = project.openMirror();
  try {
    const rows = mirror.sqlite
      .prepare("SELECT status, count(*) AS n FROM changes WHERE run_id = ? GROUP BY status")
      .all(runId) as Array<{ status: string; n: number }>;
    return Object.fromEntries(rows.map((row) => [row.status, row.n]));
  } finally {
    mirror.close();
  }
}

/** The sequence number the emulator's next request will get. */
export function nextSeq(emulator: Emulator): number {
  return (emulator.log.all().at(-1)?.seq ?? 0) + 1;
}
