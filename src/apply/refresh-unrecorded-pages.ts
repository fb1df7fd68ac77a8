import { NotionMirrorError } from "../errors.ts";
import { completePage } from "../notion/complete-page.ts";
import type { Mirror } from "../mirror/open-mirror.ts";
import type { NotionApi } from "../notion/notion-api.ts";
import type { PostEntry } from "../snapshot/entries.ts";
import type { EngineChange, OutcomeRecorder } from "./engine-types.ts";

/**
 * Re-reads the pages an earlier, killed invocation finished writing but never recorded in the
 * mirror, and records them. Such a page has every one of its changes settled in the snapshot (so
 * the engine will not read it again), while its mirror row is still marked unsure (an empty
 * `last_edited_time`, set right before its write was sent): the process died between the
 * snapshot's post entry and the mirror's page update. Without this the finished run leaves the
 * mirror holding the page as it was before the write. One GET per such page; a page that is gone
 * stays unsure for the next pull.
 */
export async function refreshUnrecordedPages(
  api: NotionApi,
  mirror: Mirror,
  changes: readonly EngineChange[],
  settled: ReadonlyMap<number, PostEntry>,
  recorder: OutcomeRecorder,
): Promise<void> {
  const pages = new Map<string, { dataSourceId: string; targets: Set<string>; done: boolean }>();
  for (const change of changes) {
    const page = pages.get(change.pageId) ?? {
      dataSourceId: change.dataSourceId,
      targets: new Set<string>(),
      done: true,
    };
    page.targets.add(change.propertyId);
    page.done &&= settled.has(change.changeId);
    pages.set(change.pageId, page);
  }
  const unsure = mirror.sqlite.prepare(
    "SELECT 1 FROM pages WHERE id = ? AND last_edited_time = ''",
  );
  for (const [pageId, page] of pages) {
    if (!page.done || !unsure.get(pageId)) continue;
    try {
      const live = await completePage(api, await api.retrievePage(pageId), page.targets);
      recorder.pageWritten(live, page.dataSourceId);
    } catch (error) {
      if (error instanceof NotionMirrorError && error.code === "not_found") continue;
      throw error;
    }
  }
}
