import type Database from "better-sqlite3";
import type { PageObjectResponse } from "../notion/sdk-types.ts";
import { mayBeCut } from "../notion/cut-values.ts";
import { pageWriter } from "./page-writer.ts";
import type { SideEffectPages } from "./side-effect-pages.ts";
import { sideEffectPages } from "./side-effect-pages.ts";

/**
 * Keeps the mirror's page rows current while a push or revert writes to Notion, without a pull.
 * Build it once per run (statements are prepared here); the schemas it follows for side effects
 * are read on the first answer.
 */
export interface AnsweredPages {
  /**
   * Marks a page not known to be current (an empty `last_edited_time`: pulls and checks re-read
   * it). Called before a write is sent, so a crash before its answer never leaves a stale row that
   * claims to be current.
   */
  unsure(pageId: string): void;
  /**
   * Stores `page`, Notion's answer to a write, as the page's row (stamped `stamp`), in one
   * transaction with marking not current the pages Notion changed by itself (the other side of a
   * two-way relation, pages rolling the written page up: see sideEffectPages). Values the answer
   * may have cut at 25 references (relations, people, mentions: `mayBeCut`) keep the mirror's
   * complete value, both in the row and in `page` itself (it is edited in place); the caller
   * completes the values it wrote before calling this.
   */
  written(page: PageObjectResponse, dataSourceId: string, stamp: string): void;
}

/**
 * The mirror's writer of pages Notion answered.
 *
 * @example
 * const pages = answeredPages(mirror.sqlite);
 * pages.unsure(pageId);
 * // … send the write …
 * pages.written(answer, dataSourceId, `push ${runId}`);
 */
export function answeredPages(sqlite: Database.Database): AnsweredPages {
  const stored = sqlite.prepare("SELECT raw_json AS raw FROM pages WHERE id = ?");
  const write = pageWriter(sqlite);
  const unsure = sqlite.prepare("UPDATE pages SET last_edited_time = '' WHERE id = ?");
  let dependents: SideEffectPages | undefined;
  return {
    unsure(pageId) {
      unsure.run(pageId);
    },
    written(page, dataSourceId, stamp) {
      const row = stored.get(page.id) as { raw: string } | undefined;
      const previous = row ? (JSON.parse(row.raw) as PageObjectResponse) : undefined;
      for (const [name, value] of Object.entries(page.properties)) {
        if (!mayBeCut(value)) continue;
        const kept = previous?.properties[name];
        if (kept) page.properties[name] = kept;
      }
      dependents ??= sideEffectPages(sqlite);
      const stale = dependents.changedBy(dataSourceId, previous, page);
      sqlite.transaction(() => {
        write(page, dataSourceId, stamp);
        for (const id of stale) unsure.run(id);
      })();
    },
  };
}
