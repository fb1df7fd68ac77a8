import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { RESERVED_ALIASES, isReservedAlias } from "../../src/config/config-schema.ts";
import { loadConfig } from "../../src/config/project-config.ts";
import { buildConfig } from "../../src/config/write-config.ts";
import { NotionMirrorError } from "../../src/errors.ts";
import { openMirror } from "../../src/mirror/open-mirror.ts";

const ID_A = "1f2e3d4c-5b6a-4789-8abc-def012345678";
const ID_B = "2f2e3d4c-5b6a-4789-8abc-def012345678";

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "notion-mirror-config-"));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const valid = (): Record<string, unknown> => ({
  version: 1,
  dataSources: [
    { id: ID_A, alias: "projects", name: "Projects" },
    { id: ID_B, alias: "tasks" },
  ],
});

/** Writes `content` (JSON unless a string) and returns the config error loadConfig throws. */
function configError(content: unknown): NotionMirrorError {
  const file = join(dir, "notion-mirror.json");
  writeFileSync(file, typeof content === "string" ? content : JSON.stringify(content));
  try {
    loadConfig(file);
  } catch (error) {
    expect(error).toBeInstanceOf(NotionMirrorError);
    expect((error as NotionMirrorError).code).toBe("config");
    return error as NotionMirrorError;
  }
  throw new Error("the config was accepted");
}

const withSource = (index: number, patch: Record<string, unknown>) => {
  const content = valid();
  const sources = content.dataSources as Array<Record<string, unknown>>;
  sources[index] = { ...sources[index], ...patch };
  return content;
};

describe("config validation", () => {
  it("accepts a valid file, fills in the defaults and resolves paths beside it", () => {
    const file = join(dir, "notion-mirror.json");
    writeFileSync(
      file,
      JSON.stringify({
        ...valid(),
        dataSources: [{ id: ID_A.replaceAll("-", "").toUpperCase(), alias: "projects" }],
      }),
    );
    const config = loadConfig(file);
    expect(config).toEqual({
      file,
      dataSources: [{ id: ID_A, alias: "projects" }],
      mirrorPath: join(dir, "notion-mirror.db"),
      snapshotsDir: join(dir, "snapshots"),
      fillsDir: join(dir, "fills"),
      notionVersion: "2026-03-11",
    });
  });

  it.each(["2025-09-03", "2026-03-11", "2026-12-01"])(
    "speaks the Notion version notionVersion names: %s",
    (notionVersion) => {
      const file = join(dir, "notion-mirror.json");
      writeFileSync(file, JSON.stringify({ ...valid(), notionVersion }));
      expect(loadConfig(file).notionVersion).toBe(notionVersion);
    },
  );

  it.each([["2022-06-28"], ["latest"], [20260311], [null]])(
    "refuses notionVersion %j, listing the versions it speaks, with a Try: hint",
    (notionVersion) => {
      const error = configError({ ...valid(), notionVersion });
      expect(error.message).toMatch(
        /notionVersion: must be "2025-09-03", "2026-03-11" \(the default\) or "2026-12-01"/,
      );
      expect(error.hint).toMatch(/Fix the keys named above/);
      expect(error.hint).toMatch(
        /Try: "notionVersion": "2026-03-11" \(one of .*"2026-12-01"\), or leave the key out for the default\./,
      );
    },
  );

  it("takes rateLimit as an optional ceiling: absent is none, a value written by hand is kept", () => {
    const file = join(dir, "notion-mirror.json");
    writeFileSync(file, JSON.stringify({ ...valid(), rateLimit: 3 }));
    expect(loadConfig(file).rateLimit).toBe(3);
    const { rateLimit: _dropped, ...without } = valid();
    writeFileSync(file, JSON.stringify(without));
    expect(loadConfig(file).rateLimit).toBeUndefined();
  });

  it.each([
    ["version", { ...valid(), version: 2 }, /version: /],
    ["version (missing)", { dataSources: valid().dataSources }, /version: /],
    ["dataSources (missing)", { version: 1 }, /dataSources: /],
    ["dataSources (empty)", { version: 1, dataSources: [] }, /dataSources: must list at least one/],
    [
      "dataSources[1].id",
      withSource(1, { id: "not-an-id" }),
      /dataSources\[1\]\.id: must be a Notion id/,
    ],
    [
      "dataSources[0].alias (missing)",
      withSource(0, { alias: undefined }),
      /dataSources\[0\]\.alias: /,
    ],
    [
      "dataSources[0].alias (spaces)",
      withSource(0, { alias: "My Projects" }),
      /dataSources\[0\]\.alias: must start with a lowercase letter/,
    ],
    [
      "dataSources[0].alias (leading digit)",
      withSource(0, { alias: "1st" }),
      /dataSources\[0\]\.alias: /,
    ],
    [
      "dataSources[0].alias (quote)",
      withSource(0, { alias: 'a"; DROP TABLE pages; --' }),
      /dataSources\[0\]\.alias: /,
    ],
    [
      "dataSources[0].alias (too long)",
      withSource(0, { alias: "a".repeat(64) }),
      /dataSources\[0\]\.alias: .*at most 63/,
    ],
    [
      "dataSources[1].alias (reserved)",
      withSource(1, { alias: "pages" }),
      /dataSources\[1\]\.alias: is the name of one of the mirror's own tables/,
    ],
    [
      "dataSources[1].alias (sqlite_)",
      withSource(1, { alias: "sqlite_master" }),
      /dataSources\[1\]\.alias: /,
    ],
    ["dataSources[0] unknown key", withSource(0, { colour: "red" }), /dataSources\[0\]: .*colour/],
    ["mirror", { ...valid(), mirror: "" }, /mirror: must not be empty/],
    ["mirror (not a string)", { ...valid(), mirror: 3 }, /mirror: /],
    ["snapshots", { ...valid(), snapshots: "" }, /snapshots: /],
    ["fills", { ...valid(), fills: false }, /fills: /],
    ["tracker.id", { ...valid(), tracker: { id: "abc" } }, /tracker\.id: must be a Notion id/],
    ["tracker unknown key", { ...valid(), tracker: { id: ID_A, alias: "t" } }, /tracker: .*alias/],
    ["rateLimit (negative)", { ...valid(), rateLimit: -1 }, /rateLimit: /],
    ["rateLimit (text)", { ...valid(), rateLimit: "fast" }, /rateLimit: /],
    ["rateLimit (too high)", { ...valid(), rateLimit: 5000 }, /rateLimit: /],
    ["notionVersion", { ...valid(), notionVersion: "2024-01-01" }, /notionVersion: must be /],
    ["unknown key", { ...valid(), dataSource: [] }, /\(top level\): .*dataSource/],
  ])("names the bad key: %s", (_, content, message) => {
    const error = configError(content);
    expect(error.message).toMatch(message);
    expect(error.message).toContain(join(dir, "notion-mirror.json"));
    expect(error.hint).toMatch(/Fix the keys named above/);
  });

  it("lists every bad key at once", () => {
    const error = configError({ ...valid(), version: 3, rateLimit: 0, mirror: "" });
    expect(error.message).toMatch(/version: /);
    expect(error.message).toMatch(/rateLimit: /);
    expect(error.message).toMatch(/mirror: /);
  });

  it("refuses a duplicate alias, naming both entries", () => {
    const error = configError(withSource(1, { alias: "projects" }));
    expect(error.message).toMatch(
      /dataSources\[1\]\.alias "projects" is already used by dataSources\[0\]/,
    );
  });

  it("refuses a duplicate id, however it is written", () => {
    const error = configError(withSource(1, { id: ID_A.replaceAll("-", "").toUpperCase() }));
    expect(error.message).toMatch(/dataSources\[1\]\.id repeats dataSources\[0\]\.id/);
  });

  it("says how to create the file when there is none", () => {
    const file = join(dir, "absent.json");
    expect(() => loadConfig(file)).toThrow(NotionMirrorError);
    try {
      loadConfig(file);
    } catch (error) {
      expect((error as NotionMirrorError).code).toBe("config");
      expect((error as Error).message).toBe(`No config file at ${file}.`);
      expect((error as NotionMirrorError).hint).toMatch(/notion-mirror init/);
    }
  });

  it("names the file and the JSON error when the file is not JSON", () => {
    const error = configError('{ "version": 1, dataSources: [] }');
    expect(error.message).toMatch(/notion-mirror\.json is not valid JSON: /);
  });
});

describe("aliases made by init", () => {
  it("turns any title into a SQL-friendly alias the config accepts, never a table's name", () => {
    const config = buildConfig([
      { id: ID_A, title: "Pages" },
      { id: ID_B, title: 'a"; DROP TABLE pages; --' },
      { id: "3f2e3d4c-5b6a-4789-8abc-def012345678", title: "🚀" },
      { id: "4f2e3d4c-5b6a-4789-8abc-def012345678", title: "1st quarter" },
      { id: "5f2e3d4c-5b6a-4789-8abc-def012345678", title: "Projects" },
      { id: "6f2e3d4c-5b6a-4789-8abc-def012345678", title: "projects" },
      { id: "7f2e3d4c-5b6a-4789-8abc-def012345678", title: "sqlite_stat1" },
    ]);
    expect(config.dataSources.map((source) => source.alias)).toEqual([
      "ds_pages",
      "a_drop_table_pages",
      "property",
      "p_1st_quarter",
      "projects",
      "projects_2",
      "ds_sqlite_stat1",
    ]);
    const file = join(dir, "notion-mirror.json");
    writeFileSync(file, JSON.stringify(config));
    expect(loadConfig(file).dataSources).toHaveLength(7);
  });
});

describe("reserved aliases", () => {
  it("reserve every table and index name of a fresh mirror, so no view can collide with one", () => {
    const mirror = openMirror(join(dir, "fresh.db"));
    try {
      const names = mirror.sqlite
        .prepare("SELECT name FROM sqlite_master WHERE type IN ('table', 'index', 'view')")
        .pluck()
        .all() as string[];
      const ours = names.filter((name) => !name.startsWith("sqlite_") && !name.startsWith("__"));
      expect(ours.length).toBeGreaterThan(5);
      for (const name of ours) expect(isReservedAlias(name), name).toBe(true);
      expect(isReservedAlias("sqlite_sequence")).toBe(true);
      expect([...RESERVED_ALIASES].every((name) => /^[a-z][a-z0-9_]*$/.test(name))).toBe(true);
    } finally {
      mirror.close();
    }
  });
});
