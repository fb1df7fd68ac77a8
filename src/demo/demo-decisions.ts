import { readFileSync, writeFileSync } from "node:fs";
import { loadConfig } from "../config/project-config.ts";
import { openMirrorReadOnly } from "../mirror/open-read-only.ts";
import { parseCsv, writeCsv } from "../review/csv.ts";
import { listRuns } from "../runs/run-store.ts";

/** The rule whose proposals the demo's business owners decide; the others stay undecided. */
export const DEMO_DECIDED_RULE = "phase-project-by-code";
/** How many of that rule's proposals they reject (the first ones in the file). */
export const DEMO_REJECTED = 3;

/** The latest planned fill run of the demo project: the one `plan` just recorded. */
export function latestPlannedRun(configFile: string): string {
  const sqlite = openMirrorReadOnly(loadConfig(configFile).mirrorPath);
  try {
    const run = listRuns(sqlite).find((row) => row.kind === "fill" && row.status === "planned");
    if (!run) throw new Error("the demo's plan recorded no planned run");
    return run.id;
  } finally {
    sqlite.close();
  }
}

/**
 * What the business owners do with the exported file in the demo: they accept the phase →
 * project links, reject the first {@link DEMO_REJECTED} of them, and leave the project ids (which
 * need a business decision) empty, so undecided. Rewrites the file's decision column.
 */
export function decideDemoFile(path: string): {
  accepted: number;
  rejected: number;
  undecided: number;
} {
  const [header = [], ...rows] = parseCsv(readFileSync(path, "utf8"));
  const rule = header.indexOf("rule");
  const decision = header.indexOf("decision");
  const counts = { accepted: 0, rejected: 0, undecided: 0 };
  for (const row of rows) {
    if (row[rule] !== DEMO_DECIDED_RULE) {
      counts.undecided += 1;
      continue;
    }
    const reject = counts.rejected < DEMO_REJECTED;
    row[decision] = reject ? "reject" : "accept";
    if (reject) counts.rejected += 1;
    else counts.accepted += 1;
  }
  writeFileSync(path, writeCsv(header, rows));
  return counts;
}
