import type { PageObjectResponse } from "../notion/sdk-types.ts";
import type { Mirror } from "../mirror/open-mirror.ts";
import { mayBeCut } from "../notion/cut-values.ts";
import { pageWriter } from "../mirror/page-writer.ts";
import { sideEffectPages } from "../mirror/side-effect-pages.ts";
import { recordChangeOutcome } from "../runs/change-store.ts";
import type { ChangeOutcome, OutcomeRecorder } from "./engine-types.ts";

/**
 * Records outcomes in the mirror's `changes` rows as they happen (one small transaction each), and
 * writes Notion's answer into the page row so the mirror stays current without a pull. Values the
 * answer may have cut at 25 references (relations, people, mentions: `mayBeCut`) that the run did
 * not touch keep the mirror's complete value; the run's own targets were completed before this.
 * The pages Notion changed by itself (the other side of a two-way relation, pages rolling the
 * written page up: see sideEffectPages) are marked not current, for the next pull to re-read.
 */
export function mirrorRecorder(mirror: Mirror, runId: string): OutcomeRecorder {
  const { sqlite } = mirror;
  const stored = sqlite.prepare("SELECT raw_json AS raw FROM pages WHERE id = ?");
  const write = pageWriter(sqlite);
  // An empty last_edited_time says "not known to be current": pulls and checks then re-read it.
  const unsure = sqlite.prepare("UPDATE pages SET last_edited_time = '' WHERE id = ?");
  let dependents: ReturnType<typeof sideEffectPages> | undefined;
  return {
    record(outcome: ChangeOutcome) {
      recordChangeOutcome(sqlite, runId, {
        changeId: outcome.changeId,
        status: outcome.status,
        beforeJson: outcome.before === undefined ? null : JSON.stringify(outcome.before),
        afterJson: outcome.after === undefined ? null : JSON.stringify(outcome.after),
        reason: outcome.reason ?? null,
        at: new Date().toISOString(),
      });
    },
    writing(pageId: string) {
      unsure.run(pageId);
    },
    pageWritten(page: PageObjectResponse, dataSourceId: string) {
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
        write(page, dataSourceId, `push ${runId}`);
        for (const id of stale) unsure.run(id);
      })();
    },
  };
}
