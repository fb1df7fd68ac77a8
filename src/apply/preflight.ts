import { NotionMirrorError } from "../errors.ts";
import { schemaFingerprint } from "../mirror/fingerprint.ts";
import type { NotionApi } from "../notion/notion-api.ts";

/**
 * Before any write: the token works, and each data source the run touches still has the schema
 * the plan was computed from. A changed schema refuses the push (a planned value may no longer
 * fit): re-plan.
 */
export async function preflight(
  api: NotionApi,
  dataSources: ReadonlyArray<{ dataSourceId: string; alias: string; fingerprint: string }>,
): Promise<void> {
  await api.me();
  for (const source of dataSources) {
    const live = await api.retrieveDataSource(
      source.dataSourceId,
      `checking the schema of ${source.alias}`,
    );
    if (schemaFingerprint(live) !== source.fingerprint) {
      throw new NotionMirrorError(
        "usage",
        `The schema of ${source.alias} changed since the plan was made (a property renamed, added, removed, retyped or its options changed). Nothing was sent.`,
        "Re-plan: notion-mirror sync pull && notion-mirror plan",
      );
    }
  }
}
