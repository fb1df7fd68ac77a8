import { loadConfig } from "../config/project-config.ts";
import type { SeedFile } from "../emulator/index.ts";
import { DEMO_FACTS } from "../emulator/index.ts";
import { openMirror } from "../mirror/open-mirror.ts";
import { mirrorStatus } from "../mirror/status.ts";
import { runReport } from "../report/run-report.ts";
import { listRuns } from "../runs/run-store.ts";
import { counted } from "../util/plural.ts";
import { reviewDecisionsProof } from "./review-proof.ts";
import { overwrittenValues, stateDifferences } from "./state-compare.ts";

/** One claim of the demo's summary, checked against the mirror and the emulator's state. */
export interface DemoProof {
  /** A stable name for scripts: mirrored, filled, overwrites, review, tracker, revert, version. */
  id:
    | "mirrored"
    | "filled"
    | "overwrites"
    | "review"
    | "decisions"
    | "tracker"
    | "revert"
    | "version";
  ok: boolean;
  /** The claim as the summary prints it. */
  text: string;
  /** What was measured (and, where it differs from what was measured, what was expected). */
  figures: Record<string, number | string | null>;
}

/**
 * Checks every claim of the demo against what happened: the mirror's runs and status, the
 * emulator's state before the push, after it and after the revert, and the Notion-Version of
 * every request it answered (`heard`) against the one the config names.
 */
export function proveDemo(
  configFile: string,
  beforePush: SeedFile | undefined,
  afterPush: SeedFile | undefined,
  afterRevert: SeedFile,
  heard: ReadonlyArray<string | undefined>,
): DemoProof[] {
  const config = loadConfig(configFile);
  const mirror = openMirror(config.mirrorPath);
  try {
    const status = mirrorStatus(config, mirror);
    const live = status.dataSources.reduce((sum, source) => sum + source.livePages, 0);
    const runs = listRuns(mirror.sqlite);
    const fill = runs.find((run) => run.kind === "fill");
    const revert = runs.find((run) => run.kind === "revert");
    const fillReport = fill ? runReport(mirror, fill.id) : undefined;
    const written =
      fillReport?.changes.filter(
        (change) => change.status === "applied" || change.status === "reverted",
      ) ?? [];
    const applied = written.filter((change) => change.rule === "phase-status-active");
    const decided = fill ? reviewDecisionsProof(mirror, fill.id, written, afterPush) : undefined;
    const allActive =
      applied.length > 0 &&
      applied.every(
        (change) =>
          (change.after as { status?: { name?: string } } | null)?.status?.name ===
          DEMO_FACTS.phaseStatusFill,
      );
    const review = new Map((fillReport?.review ?? []).map((item) => [item.rule, item.count]));
    const canonical = new Set(config.dataSources.map((source) => source.id));
    const overwrites =
      beforePush && afterPush ? overwrittenValues(beforePush, afterPush, canonical) : -1;
    const trackerEntries = (state: SeedFile | undefined) =>
      state?.pages.filter(
        (page) =>
          (page.parent as { data_source_id?: string }).data_source_id === config.tracker?.id,
      ).length ?? 0;
    const differences = beforePush
      ? stateDifferences(beforePush, afterRevert, canonical)
      : ["no state before the push"];
    const projectID = review.get("project-id-from-code") ?? 0;
    const projectId = review.get("phase-project-by-code") ?? 0;
    const newEntries = trackerEntries(afterPush) - trackerEntries(beforePush);
    const otherVersions = heard.filter((version) => version !== config.notionVersion).length;
    return [
      {
        id: "mirrored",
        ok:
          status.dataSources.length === DEMO_FACTS.canonicalDataSources &&
          live === DEMO_FACTS.records,
        text: `${status.dataSources.length} canonical data sources mirrored, ${live} records`,
        figures: { dataSources: status.dataSources.length, records: live },
      },
      {
        id: "filled",
        ok: applied.length === DEMO_FACTS.emptyPhaseStatus && allActive,
        text: `${applied.length} status fields filled with "${DEMO_FACTS.phaseStatusFill}" (high confidence)`,
        figures: {
          fields: applied.length,
          value: DEMO_FACTS.phaseStatusFill,
          runId: fill?.id ?? null,
        },
      },
      {
        id: "overwrites",
        ok: overwrites === 0,
        text: `${counted(overwrites, "overwrite")}: every value that was not empty before the push is unchanged after it`,
        figures: { overwrites },
      },
      {
        id: "review",
        ok: projectID === DEMO_FACTS.emptyProjectID && projectId === DEMO_FACTS.emptyPhaseProjectId,
        text: `${projectID} projectID and ${projectId} projectId items left for review (medium confidence)`,
        figures: { projectID, projectId },
      },
      decided ?? {
        id: "decisions",
        ok: false,
        text: "no fill run to check the review decisions of",
        figures: {},
      },
      {
        id: "tracker",
        ok: newEntries === 1,
        text: `tracker entry written in ${config.tracker?.name ?? "the tracker"} (run ${fill?.id ?? "?"})`,
        figures: { entries: newEntries },
      },
      {
        id: "revert",
        ok: differences.length === 0 && revert?.status === "applied",
        text:
          differences.length === 0
            ? `revert ${revert?.id ?? "?"} restored the workspace exactly (every page and schema of the ${canonical.size} data sources compared, last-edited metadata aside)`
            : `revert left ${counted(differences.length, "difference")}: ${differences.slice(0, 3).join("; ")}`,
        figures: {
          runId: revert?.id ?? null,
          status: revert?.status ?? null,
          differences: differences.length,
        },
      },
      {
        id: "version",
        ok: heard.length > 0 && otherVersions === 0,
        text:
          otherVersions === 0
            ? `every one of the ${heard.length} requests spoke Notion-Version ${config.notionVersion}`
            : `${counted(otherVersions, "request")} of ${heard.length} did not speak Notion-Version ${config.notionVersion}`,
        figures: { notionVersion: config.notionVersion, requests: heard.length, otherVersions },
      },
    ];
  } finally {
    mirror.close();
  }
}
