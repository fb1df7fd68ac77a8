import { spawnSync } from "node:child_process";
import { readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ProjectConfig } from "../../src/config/project-config.ts";
import { DEMO_DATA_SOURCES, DEMO_FACTS, DEMO_PROPERTIES } from "../../src/emulator/index.ts";
import { openMirrorReadOnly } from "../../src/mirror/open-mirror.ts";
import { openMirror } from "../../src/mirror/open-mirror.ts";
import { pullMirror } from "../../src/mirror/pull.ts";
import { isEmptyValue } from "../../src/notion/codec/index.ts";
import type { PropertyContent } from "../../src/notion/codec/index.ts";
import type { CanonicalModel, ModelDataSource, ModelProperty } from "../../src/report/scan.ts";
import { scanMirror } from "../../src/report/scan.ts";
import { stableJson } from "../../src/report/scan-model-file.ts";
import type { EmulatorSession } from "../support/emulator.ts";
import { openEmulator } from "../support/emulator.ts";
import { EXTRA_PROPERTY_IDS, demoWithExtraTypes } from "../support/extra-types-seed.ts";
import type { TestProject } from "../support/project.ts";
import { createProject, titleOf } from "../support/project.ts";

const BIN = fileURLToPath(new URL("../../bin/notion-mirror.js", import.meta.url));

let session: EmulatorSession;
let project: TestProject;
let model: CanonicalModel;

function scan(config: Pick<ProjectConfig, "dataSources" | "mirrorPath">): CanonicalModel {
  const sqlite = openMirrorReadOnly(config.mirrorPath);
  try {
    return scanMirror(config, sqlite);
  } finally {
    sqlite.close();
  }
}

function source(alias: string): ModelDataSource {
  const found = model.dataSources.find((item) => item.alias === alias);
  if (!found) throw new Error(`no data source ${alias}`);
  return found;
}

function property(alias: string, name: string): ModelProperty {
  const found = source(alias).properties.find((item) => item.name === name);
  if (!found) throw new Error(`no property ${alias}.${name}`);
  return found;
}

function cli(args: string[]) {
  return spawnSync(process.execPath, [BIN, "--config", project.config.file, ...args], {
    cwd: project.dir,
    env: project.env,
    encoding: "utf8",
  });
}

beforeAll(async () => {
  session = await openEmulator({ seed: demoWithExtraTypes() });
  project = createProject(session);
  await project.pull();
  model = scan(project.config);
});
afterAll(async () => {
  project?.remove();
  await session?.stop();
});

describe("scan of the demo mirror", () => {
  it("reports the 12 canonical data sources in config order and their 105 live records", () => {
    expect(model.totals.dataSources).toBe(DEMO_FACTS.canonicalDataSources);
    expect(model.totals.liveRecords).toBe(DEMO_FACTS.records);
    expect(model.dataSources.map((item) => item.alias)).toEqual(
      project.config.dataSources.map((item) => item.alias),
    );
    expect(model.dataSources.every((item) => item.pulled && item.view === item.alias)).toBe(true);
  });

  it("counts the empty fields of the first backfill: 5 phase status, 33 phase projectId, 16 project projectID", () => {
    const status = property("wt_phase_database", DEMO_PROPERTIES.phaseStatus);
    expect(status.empty).toBe(DEMO_FACTS.emptyPhaseStatus);
    expect(status.emptyShare).toBe(0.125);
    expect(status.fillable).toBe(true);
    expect(property("wt_phase_database", DEMO_PROPERTIES.phaseProjectId).empty).toBe(
      DEMO_FACTS.emptyPhaseProjectId,
    );
    expect(property("wt_projects", DEMO_PROPERTIES.projectID).empty).toBe(
      DEMO_FACTS.emptyProjectID,
    );
    expect(property("wt_projects", DEMO_PROPERTIES.projectKeyTasks).empty).toBe(
      DEMO_FACTS.emptyKeyTasks,
    );
  });

  it("lists a status's options with their counts, unused ones and groups included", () => {
    const { options } = property("wt_phase_database", DEMO_PROPERTIES.phaseStatus);
    expect(options?.map((option) => option.name)).toContain(DEMO_FACTS.phaseStatusFill);
    const used = (options ?? []).reduce((sum, option) => sum + option.count, 0);
    expect(used + DEMO_FACTS.emptyPhaseStatus).toBe(source("wt_phase_database").livePages);
    expect(options?.every((option) => option.inSchema && option.group)).toBe(true);
    expect(options?.some((option) => option.count === 0)).toBe(true);
  });

  it("names relation targets by alias and shows a date's two view columns", () => {
    expect(property("wt_phase_database", DEMO_PROPERTIES.phaseProjectId).relation).toEqual({
      target: "wt_projects",
      dataSourceId: source("wt_projects").id,
      canonical: true,
    });
    expect(property("wt_phase_database", "Dates").columns).toEqual(["dates", "dates_end"]);
    expect(property("wt_projects", DEMO_PROPERTIES.projectID).columns).toEqual(["project_id"]);
  });

  it("reports computed properties as not writable and a checkbox as never empty", () => {
    const all = model.dataSources.flatMap((item) => item.properties);
    for (const type of ["formula", "rollup", "created_time", "last_edited_time", "unique_id"]) {
      const computed = all.filter((item) => item.type === type);
      expect(computed.length, type).toBeGreaterThan(0);
      expect(computed.every((item) => !item.writable && !item.fillable)).toBe(true);
    }
    const checkboxes = all.filter((item) => item.type === "checkbox");
    expect(checkboxes.every((item) => item.writable && !item.fillable && item.empty === 0)).toBe(
      true,
    );
  });

  it("counts empties per type exactly as the codec's isEmptyValue does on Notion's pages", () => {
    const seed = session.emulator.dump();
    for (const dataSource of model.dataSources) {
      const pages = seed.pages.filter(
        (page) =>
          (page.parent as { data_source_id?: string }).data_source_id === dataSource.id &&
          page.in_trash !== true,
      );
      expect(pages).toHaveLength(dataSource.livePages);
      for (const item of dataSource.properties) {
        const expected = pages.filter((page) => {
          const value = Object.values(
            page.properties as Record<string, PropertyContent & { id: string }>,
          ).find((candidate) => candidate.id === item.id);
          return value !== undefined && isEmptyValue(value);
        }).length;
        expect(item.empty, `${dataSource.alias}.${item.name} (${item.type})`).toBe(expected);
      }
    }
  });

  it("treats a button as never empty and an unset place as empty", async () => {
    const seed = session.emulator.dump();
    const tracker = seed.data_sources.find((item) => titleOf(item) === DEMO_DATA_SOURCES.tracker);
    const config: ProjectConfig = {
      ...project.config,
      dataSources: [{ id: String(tracker?.id), alias: "tracker" }],
    };
    const mirror = openMirror(config.mirrorPath);
    try {
      await pullMirror(config, mirror, project.api());
    } finally {
      mirror.close();
    }
    const [trackerModel] = scan(config).dataSources;
    const byId = (id: string) => trackerModel?.properties.find((item) => item.id === id);
    expect(byId(EXTRA_PROPERTY_IDS.button)).toMatchObject({
      empty: 0,
      writable: false,
      fillable: false,
    });
    expect(byId(EXTRA_PROPERTY_IDS.place)).toMatchObject({
      empty: DEMO_FACTS.trackerEntries,
      emptyShare: 1,
      writable: true,
      fillable: true,
    });
  });
});

describe("notion-mirror scan", () => {
  it("writes --out files that are byte-identical across two scans, mode 0600, sorted keys", () => {
    const first = join(project.dir, "model-1.json");
    const second = join(project.dir, "model-2.json");
    expect(cli(["scan", "--out", first]).status).toBe(0);
    expect(cli(["scan", "--out", second]).status).toBe(0);
    const text = readFileSync(first, "utf8");
    expect(readFileSync(second, "utf8")).toBe(text);
    expect(statSync(first).mode & 0o777).toBe(0o600);
    const parsed = JSON.parse(text) as CanonicalModel;
    expect(Object.keys(parsed)).toEqual([...Object.keys(parsed)].sort());
    expect(stableJson(parsed)).toBe(text);
    expect(parsed.totals.liveRecords).toBe(DEMO_FACTS.records);
  });

  it("writes the same model after a pull that found nothing new, the pull time on stderr", async () => {
    const first = join(project.dir, "model-before-pull.json");
    const second = join(project.dir, "model-after-pull.json");
    const before = cli(["scan", "--out", first]);
    expect(before.status, before.stderr).toBe(0);
    await project.pull();
    const after = cli(["scan", "--out", second]);
    expect(after.status, after.stderr).toBe(0);
    expect(readFileSync(second, "utf8")).toBe(readFileSync(first, "utf8"));
    expect(readFileSync(second, "utf8")).not.toMatch(/"lastPullAt"|pulled_?at/i);
    expect(before.stderr).toMatch(/Mirror last pulled \d{4}-\d\d-\d\dT/);
    expect(after.stderr).toMatch(/Mirror last pulled \d{4}-\d\d-\d\dT/);
    expect(after.stderr).not.toBe(before.stderr);
    const json = cli(["scan", "--json"]);
    expect(json.stdout).toBe(readFileSync(second, "utf8"));
  });

  it("prints the model with --json and a table per data source otherwise", () => {
    const json = cli(["scan", "--json"]);
    expect(json.status).toBe(0);
    expect((JSON.parse(json.stdout) as CanonicalModel).totals.dataSources).toBe(
      DEMO_FACTS.canonicalDataSources,
    );
    const human = cli(["scan"]);
    expect(human.status).toBe(0);
    expect(human.stdout).toContain("wt_phase_database — WT Phase Database: 40 live pages");
    expect(human.stdout).toContain("12 data sources, 105 live records");
    expect(human.stdout).toContain("→ wt_projects");
  });
});
