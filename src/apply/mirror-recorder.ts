import type { PageObjectResponse } from "../notion/sdk-types.ts";
import type { Mirror } from "../mirror/open-mirror.ts";
import { answeredPages } from "../mirror/answered-pages.ts";
import { recordChangeOutcome } from "../runs/change-store.ts";
import type { ChangeOutcome, OutcomeRecorder } from "./engine-types.ts";

/**
 * Records a run's outcomes in the mirror's `changes` rows as they happen (one small transaction
 * each), and hands Notion's answers to the mirror's page writer (answeredPages), stamped
 * `push <run id>`, so the mirror stays current without a pull.
 */
export function mirrorRecorder(mirror: Mirror, runId: string): OutcomeRecorder {
  const { sqlite } = mirror;
  const pages = answeredPages(sqlite);
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
      pages.unsure(pageId);
    },
    pageWritten(page: PageObjectResponse, dataSourceId: string) {
      pages.written(page, dataSourceId, `push ${runId}`);
    },
  };
}
