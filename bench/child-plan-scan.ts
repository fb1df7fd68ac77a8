// Child process of the scale scenario: plan with the bench's rules over a pulled mirror (peak
// RSS taken right after, its own and its SQL sandbox's), the same rules' SQL run directly (the
// bound: what SQLite alone needs), then a scan of the same mirror.
import Database from "better-sqlite3";
import { loadConfig } from "../src/config/project-config.ts";
import { loadRules } from "../src/fill/load-rules.ts";
import { planRun } from "../src/fill/plan-run.ts";
import { openMirrorReadOnly } from "../src/mirror/open-mirror.ts";
import { scanMirror } from "../src/report/scan.ts";
import { childInput, childOutput, configInput } from "./child-messages.ts";
import { watchDescendantPeakRss } from "./descendant-rss.ts";
import { currentRss, peakRss } from "./peak-rss.ts";

const config = loadConfig(childInput(configInput).configFile);
const rules = loadRules(config.fillsDir);

const startRss = currentRss();
const stopWatching = watchDescendantPeakRss();
const planStarted = performance.now();
const result = await planRun(config, { minConfidence: "low" });
const planMs = performance.now() - planStarted;
const sandboxPeakRss = stopWatching();
const planPeakRss = peakRss();

const direct = new Database(config.mirrorPath, { readonly: true });
const sqlStarted = performance.now();
let rows = 0;
for (const rule of rules) rows += direct.prepare(rule.sql).all().length;
const sqlMs = performance.now() - sqlStarted;
direct.close();

const scanStarted = performance.now();
const sqlite = openMirrorReadOnly(config.mirrorPath);
const model = scanMirror(config, sqlite);
sqlite.close();
const scanMs = performance.now() - scanStarted;

childOutput({
  plan: {
    rules: rules.length,
    changes: result.plan.changes.length,
    durationMs: planMs,
    startRss,
    peakRss: planPeakRss,
    sandboxPeakRss,
    sqlMs,
    sqlRows: rows,
  },
  scan: {
    liveRecords: model.totals.liveRecords,
    durationMs: scanMs,
  },
});
