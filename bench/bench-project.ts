import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { ProjectConfig } from "../src/config/project-config.ts";
import { buildConfig, writeConfig } from "../src/config/write-config.ts";
import type { Emulator, SeedFile } from "../src/emulator/index.ts";
import { openMirror } from "../src/mirror/open-mirror.ts";
import type { PullSummary } from "../src/mirror/pull.ts";
import { pullMirror } from "../src/mirror/pull.ts";
import { NotionApi } from "../src/notion/notion-api.ts";

/** The tracker of the demo workspace: never a canonical data source. */
const TRACKER_TITLE = "wt-backfill-task-tracker";

/** A notion-mirror project in a temp folder, configured for every data source of a seed. */
export interface BenchProject {
  dir: string;
  config: ProjectConfig;
  connection: { token: string; baseUrl: string };
  /** A fresh API (stats at 0) paced at `rate` requests/s (Infinity: unpaced). */
  api(rate: number): NotionApi;
  /** One pull on a freshly opened mirror, timed around the call. */
  pull(api: NotionApi, full?: boolean): Promise<{ summary: PullSummary; wallMs: number }>;
  remove(): void;
}

export function seedTitle(source: Record<string, unknown>): string {
  const title = source.title as Array<{ plain_text: string }>;
  return title.map((item) => item.plain_text).join("");
}

export function createBenchProject(
  emulator: Pick<Emulator, "url" | "token">,
  seed: SeedFile,
): BenchProject {
  const dir = mkdtempSync(join(tmpdir(), "notion-mirror-bench-"));
  const sources = seed.data_sources.map((source) => ({
    id: String(source.id),
    title: seedTitle(source),
  }));
  const tracker = sources.find((source) => source.title === TRACKER_TITLE);
  const config = writeConfig(join(dir, "notion-mirror.json"), buildConfig(sources, { tracker }));
  const connection = { token: emulator.token, baseUrl: emulator.url };
  return {
    dir,
    config,
    connection,
    api: (rate) => new NotionApi(connection, { rateLimit: rate, timeoutMs: 120_000 }),
    async pull(api, full = false) {
      const mirror = openMirror(config.mirrorPath);
      try {
        const started = performance.now();
        const summary = await pullMirror(config, mirror, api, { full });
        return { summary, wallMs: performance.now() - started };
      } finally {
        mirror.close();
      }
    },
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}
