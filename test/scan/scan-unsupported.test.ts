import { spawnSync } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { NotionMirrorError } from "../../src/errors.ts";
import { planRun } from "../../src/fill/plan-run.ts";
import { openMirrorReadOnly } from "../../src/mirror/open-mirror.ts";
import type { CanonicalModel, ModelProperty } from "../../src/report/scan.ts";
import { scanMirror } from "../../src/report/scan.ts";
import type { EmulatorSession } from "../support/emulator.ts";
import { openEmulator } from "../support/emulator.ts";
import type { TestProject } from "../support/project.ts";
import { createProject } from "../support/project.ts";
import type { Crew } from "../support/two-way-workspace.ts";
import { CREW_PROJECTS, CREW_TASKS, crewWorkspace } from "../support/two-way-workspace.ts";

const BIN = fileURLToPath(new URL("../../bin/notion-mirror.js", import.meta.url));

let session: EmulatorSession;
let project: TestProject;
let crew: Crew;
let model: CanonicalModel;

beforeAll(async () => {
  crew = crewWorkspace();
  session = await openEmulator({ seed: crew.seed });
  project = createProject(session);
  await project.pull();
  const sqlite = openMirrorReadOnly(project.config.mirrorPath);
  try {
    model = scanMirror(project.config, sqlite);
  } finally {
    sqlite.close();
  }
});
afterAll(async () => {
  project?.remove();
  await session?.stop();
});

function property(alias: string, name: string): ModelProperty {
  const found = model.dataSources
    .find((source) => source.alias === alias)
    ?.properties.find((item) => item.name === name);
  if (!found) throw new Error(`no property ${alias}.${name}`);
  return found;
}

describe("formula and rollup values Notion reports as unsupported", () => {
  it("are NULL in the view, with Notion's raw value kept in raw_json and NULL in values_json", () => {
    const sqlite = openMirrorReadOnly(project.config.mirrorPath);
    try {
      const rows = sqlite
        .prepare(
          `SELECT v.name, v.forecast, v.cost, p.raw_json AS raw FROM crew_tasks AS v JOIN pages AS p ON p.id = v.page_id ORDER BY v.name`,
        )
        .all() as Array<{ name: string; forecast: unknown; cost: unknown; raw: string }>;
      expect(rows.map((row) => row.name)).toEqual([...CREW_TASKS]);
      expect(rows.map((row) => row.forecast)).toEqual(CREW_TASKS.map(() => null));
      expect(rows.map((row) => row.cost)).toEqual([300, 500, null, null, 800]);
      const { key } = sqlite
        .prepare("SELECT value_key AS key FROM properties WHERE name = 'Forecast'")
        .get() as { key: string };
      const natural = sqlite
        .prepare(
          "SELECT DISTINCT json_type(values_json, '$.' || ?) AS type FROM pages WHERE data_source_id = ?",
        )
        .all(key, crew.tasksId);
      expect(natural).toEqual([{ type: "null" }]);
      for (const row of rows) {
        const raw = JSON.parse(row.raw) as { properties: Record<string, unknown> };
        expect(raw.properties.Forecast).toMatchObject({
          type: "formula",
          formula: { type: "unsupported", unsupported: {} },
        });
      }
      const forecastsOf = sqlite.prepare(`SELECT forecasts FROM crew_projects`).all() as Array<{
        forecasts: unknown;
      }>;
      expect(forecastsOf).toEqual(CREW_PROJECTS.map(() => ({ forecasts: null })));
    } finally {
      sqlite.close();
    }
  });

  it("are counted by scan, per data source and property", () => {
    expect(property("crew_tasks", "Forecast")).toMatchObject({
      type: "formula",
      writable: false,
      fillable: false,
      unsupported: CREW_TASKS.length,
    });
    expect(property("crew_projects", "Forecasts")).toMatchObject({
      type: "rollup",
      unsupported: CREW_PROJECTS.length,
    });
    // Computed values Notion does report carry no count.
    expect(property("crew_tasks", "Cost")).not.toHaveProperty("unsupported");
    expect(property("crew_projects", "Points")).not.toHaveProperty("unsupported");

    const shown = spawnSync(process.execPath, [BIN, "--config", project.config.file, "scan"], {
      cwd: project.dir,
      env: project.env,
      encoding: "utf8",
    });
    expect(shown.status, shown.stderr).toBe(0);
    expect(shown.stdout).toMatch(/Forecast\s.*formula.*read-only.*5 unsupported by Notion/);
    expect(shown.stdout).toMatch(/Forecasts\s.*rollup.*read-only.*3 unsupported by Notion/);
  });

  it("are never planned: a rule targeting one is refused before its SQL runs", async () => {
    mkdirSync(project.config.fillsDir, { recursive: true });
    writeFileSync(
      join(project.config.fillsDir, "forecast.sql"),
      "-- target: crew_tasks.Forecast\n-- confidence: high\nSELECT page_id, '2026-01-01' AS value FROM crew_tasks WHERE forecast IS NULL\n",
    );
    const refused = await planRun(project.config).catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(NotionMirrorError);
    expect(refused).toMatchObject({
      code: "usage",
      message: expect.stringMatching(
        /crew_tasks\.Forecast, a formula property: Notion computes it/,
      ),
    });
  });
});
