import { closeSync, openSync, writeSync } from "node:fs";
import type { JsonObject, SeedFile } from "../src/emulator/index.ts";
import { listEnvelope, renderPage } from "../src/emulator/index.ts";

/**
 * Writes the JSON a full pull of these data sources receives, one query answer per line (`<data source id> TAB <answer JSON>`): each
 * data source's live pages sorted by last edit, 100 per answer, rendered by the emulator's own
 * renderer (relations cut at 25, as Notion sends them). The raw bound parses exactly this; it is
 * written here, not downloaded, so the bound costs seconds rather than another pull.
 * Returns the number of answers written.
 */
export function writePageJsonFile(
  seed: SeedFile,
  dataSourceIds: readonly string[],
  file: string,
): number {
  const bySource = new Map<string, JsonObject[]>(dataSourceIds.map((id) => [id, []]));
  for (const page of seed.pages) {
    const parent = page.parent as { data_source_id?: string } | undefined;
    const list = parent?.data_source_id ? bySource.get(parent.data_source_id) : undefined;
    if (list && page.in_trash !== true && page.archived !== true) list.push(page);
  }
  const fd = openSync(file, "w");
  let lines = 0;
  try {
    for (const [dataSourceId, pages] of bySource) {
      pages.sort((a, b) => String(a.last_edited_time).localeCompare(String(b.last_edited_time)));
      for (let start = 0; start < pages.length || start === 0; start += 100) {
        const chunk = pages.slice(start, start + 100).map((page) => renderPage(page));
        const more = start + 100 < pages.length;
        const answer = listEnvelope("page_or_data_source", chunk, null, more);
        writeSync(fd, `${dataSourceId}\t${JSON.stringify(answer)}\n`);
        lines += 1;
      }
    }
  } finally {
    closeSync(fd);
  }
  return lines;
}
