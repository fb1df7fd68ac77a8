// Child process of the scale scenario: one full pull, unpaced (peak RSS taken right after, so it
// is the pull's own), then the raw bound on the same page JSON (see raw-bound.ts), in this
// process after the pull: fewer process starts, and the peak RSS was read before it.
import { join } from "node:path";
import { loadConfig } from "../src/config/project-config.ts";
import { openMirror } from "../src/mirror/open-mirror.ts";
import { pullMirror } from "../src/mirror/pull.ts";
import { NotionApi } from "../src/notion/notion-api.ts";
import { childInput, childOutput, connectionInput } from "./child-messages.ts";
import { currentRss, peakRss } from "./peak-rss.ts";
import { measureRawBound } from "./raw-bound.ts";

const input = childInput(connectionInput);
const config = loadConfig(input.configFile);
const connection = { token: input.token, baseUrl: input.baseUrl };

const startRss = currentRss();
const api = new NotionApi(connection, { rateLimit: Infinity });
const mirror = openMirror(config.mirrorPath);
const cpuBefore = process.cpuUsage();
const started = performance.now();
const summary = await pullMirror(config, mirror, api, { full: true });
const durationMs = performance.now() - started;
const cpu = process.cpuUsage(cpuBefore);
mirror.close();
const pullPeakRss = peakRss();

const raw = measureRawBound(input.pageJsonFile, join(input.workDir, "raw-bound.db"));

childOutput({
  pull: {
    pages: summary.dataSources.reduce((sum, source) => sum + source.pagesWritten, 0),
    requests: summary.requests,
    durationMs,
    cpuMs: (cpu.user + cpu.system) / 1000,
    startRss,
    peakRss: pullPeakRss,
  },
  raw,
});
