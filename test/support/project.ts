import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { ProjectConfig } from "../../src/config/project-config.ts";
import { buildConfig, writeConfig } from "../../src/config/write-config.ts";
import type { SeedFile } from "../../src/emulator/index.ts";
import type { Mirror } from "../../src/mirror/open-mirror.ts";
import { openMirror } from "../../src/mirror/open-mirror.ts";
import type { PullOptions, PullSummary } from "../../src/mirror/pull.ts";
import { pullMirror } from "../../src/mirror/pull.ts";
import type { NotionApiOptions } from "../../src/notion/notion-api.ts";
import { NotionApi } from "../../src/notion/notion-api.ts";
import type { EmulatorSession } from "./emulator.ts";

/** A notion-mirror project in a temp folder, pointed at a running emulator. */
export interface TestProject {
  dir: string;
  config: ProjectConfig;
  /** The environment a CLI child process needs to reach the emulator. */
  env: NodeJS.ProcessEnv;
  api(options?: NotionApiOptions): NotionApi;
  /** One pull with a fresh API (stats start at 0) on a freshly opened mirror, closed afterwards. */
  pull(
    options?: PullOptions & { api?: NotionApi },
  ): Promise<{ summary: PullSummary; api: NotionApi }>;
  openMirror(): Mirror;
  remove(): void;
}

export function titleOf(source: Record<string, unknown>): string {
  return (source.title as Array<{ plain_text: string }>).map((item) => item.plain_text).join("");
}

/**
 * Writes a config listing every data source of the seed (the tracker of the demo aside) with a
 * high rate limit, so tests are not paced like Notion unless they ask.
 */
export function createProject(
  session: EmulatorSession,
  seed: SeedFile = session.emulator.dump(),
): TestProject {
  const dir = mkdtempSync(join(tmpdir(), "notion-mirror-test-"));
  const sources = seed.data_sources.map((source) => ({
    id: String(source.id),
    title: titleOf(source),
  }));
  const tracker = sources.find((source) => source.title === "wt-backfill-task-tracker");
  const config = writeConfig(
    join(dir, "notion-mirror.json"),
    buildConfig(sources, { tracker, rateLimit: 1000 }),
  );
  const connection = { token: session.emulator.token, baseUrl: session.emulator.url };
  const makeApi = (options: NotionApiOptions = {}) =>
    new NotionApi(connection, {
      rateLimit: Infinity,
      maxBackoffMs: 50,
      timeoutMs: 5_000,
      ...options,
    });
  return {
    dir,
    config,
    env: {
      ...process.env,
      NOTION_TOKEN: session.emulator.token,
      NOTION_BASE_URL: session.emulator.url,
    },
    api: makeApi,
    async pull(options = {}) {
      const api = options.api ?? makeApi();
      const mirror = openMirror(config.mirrorPath);
      try {
        return { summary: await pullMirror(config, mirror, api, options), api };
      } finally {
        mirror.close();
      }
    },
    openMirror: () => openMirror(config.mirrorPath),
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}
