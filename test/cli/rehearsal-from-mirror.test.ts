import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseSeed } from "../../src/emulator/index.ts";
import { seedFromMirror } from "../../src/mirror/seed-export.ts";
import type { EmulatorSession } from "../support/emulator.ts";
import { openEmulator } from "../support/emulator.ts";
import type { TestProject } from "../support/project.ts";
import { createProject } from "../support/project.ts";

let production: EmulatorSession;
let project: TestProject;

beforeAll(async () => {
  production = await openEmulator();
  project = createProject(production);
  await project.pull();
});
afterAll(async () => {
  project.remove();
  await production.stop();
});

describe("emulator --from-mirror: a rehearsal on a copy of the mirrored workspace", () => {
  it("serves the mirror's data sources and pages, so a pull of the copy mirrors the same workspace", async () => {
    const seed = parseSeed(seedFromMirror(project.config.mirrorPath));
    const original = production.emulator.dump();
    const canonical = new Set(project.config.dataSources.map((source) => source.id));
    expect(seed.data_sources.map((source) => source.id).sort()).toEqual([...canonical].sort());
    const mirroredPages = original.pages.filter((page) =>
      canonical.has(String((page.parent as { data_source_id: string }).data_source_id)),
    );
    expect(seed.pages).toHaveLength(mirroredPages.length);

    const rehearsal = await openEmulator({ seed });
    const copy = createProject(rehearsal, seed);
    try {
      const { summary } = await copy.pull();
      expect(summary.dataSources.reduce((sum, source) => sum + source.livePages, 0)).toBe(
        mirroredPages.length,
      );
      for (const page of mirroredPages) {
        const served = await rehearsal.notion.pages.retrieve({ page_id: String(page.id) });
        expect((served as { properties: unknown }).properties).toEqual(
          (
            (await production.notion.pages.retrieve({ page_id: String(page.id) })) as {
              properties: unknown;
            }
          ).properties,
        );
      }
    } finally {
      copy.remove();
      await rehearsal.stop();
    }
  });

  it("refuses a mirror that holds nothing yet, saying to pull first", async () => {
    const empty = createProject(production);
    try {
      const mirror = empty.openMirror();
      mirror.close();
      expect(() => seedFromMirror(empty.config.mirrorPath)).toThrow(
        expect.objectContaining({
          message: expect.stringMatching(/holds no data source/),
          hint: expect.stringMatching(/sync pull/),
        }),
      );
    } finally {
      empty.remove();
    }
  });
});
