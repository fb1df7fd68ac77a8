import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import type { EmulatorSession } from "../support/emulator.ts";
import { openEmulator } from "../support/emulator.ts";
import { demoSourceId, pagesOf } from "../support/demo-lookups.ts";
import { NAMELESS_PERSON_ID, demoWithNamelessPerson } from "../support/nameless-person-seed.ts";
import type { TestProject } from "../support/project.ts";
import { createProject } from "../support/project.ts";
import { runCli } from "../matrix/support-b/cli.ts";

type Obj = Record<string, unknown>;

let session: EmulatorSession | undefined;
let project: TestProject | undefined;
afterEach(async () => {
  project?.remove();
  await session?.stop();
});

const RULE = `-- rule: guest-leads
-- target: wt_phase_database.lead
-- confidence: high
-- description: The guest leads every phase that has no lead.
SELECT page_id, '${NAMELESS_PERSON_ID}' AS value
FROM wt_phase_database
WHERE lead IS NULL AND in_trash = 0;
`;

/** Rewrites the project's config to speak `version`. */
function speak(world: TestProject, version: string): void {
  const config = JSON.parse(readFileSync(world.config.file, "utf8")) as Obj;
  writeFileSync(world.config.file, JSON.stringify({ ...config, notionVersion: version }));
}

describe("a person without a name", () => {
  // 2026-12-01 shows the person with name null in every answer, query results included (the
  // pull names the properties it mirrors, so they hold more than the title). A team that moves
  // from 2026-03-11 to 2026-12-01 between its pull and its push is covered too.
  it.each([
    ["2025-09-03", "2025-09-03", ""],
    ["2026-03-11", "2026-03-11", ""],
    ["2026-12-01", "2026-12-01", null],
    ["2026-03-11", "2026-12-01", null],
  ])(
    "is shown by id in query, plan, run report and revert (pulled in %s, written in %s)",
    async (pullVersion, writeVersion, storedName) => {
      const { seed, projectId } = demoWithNamelessPerson();
      session = await openEmulator({ seed });
      const world = createProject(session);
      project = world;
      const env = { NOTION_TOKEN: session.emulator.token, NOTION_BASE_URL: session.emulator.url };
      const cli = (...args: string[]) => runCli(["--config", world.config.file, ...args], env);

      speak(world, pullVersion);
      const pulled = await cli("sync", "pull");
      expect(pulled.code, pulled.stderr).toBe(0);
      const owners = await cli(
        "query",
        "--format",
        "json",
        `SELECT owner FROM wt_projects WHERE page_id = '${projectId}'`,
      );
      expect(owners.code, owners.stderr).toBe(0);
      const [row] = JSON.parse(owners.stdout) as Array<{ owner: string[] }>;
      expect(row?.owner).toContain(NAMELESS_PERSON_ID);

      speak(world, writeVersion);
      mkdirSync(world.config.fillsDir, { recursive: true });
      writeFileSync(join(world.config.fillsDir, "guest-leads.sql"), RULE);
      const planned = await cli("plan");
      expect(planned.code, planned.stderr).toBe(0);
      const leadLines = planned.stdout.split("\n").filter((line) => line.includes("Lead:"));
      expect(leadLines).toHaveLength(2);
      for (const line of leadLines) expect(line).toContain(`(empty) → ${NAMELESS_PERSON_ID}`);
      const runId = /Planned run (\S+)\./.exec(planned.stdout)?.[1];
      expect(runId, planned.stdout).toBeDefined();

      session.emulator.log.clear();
      const pushed = await cli("push", "--yes");
      expect(pushed.code, pushed.stderr).toBe(0);
      const spoken = new Set(session.emulator.log.all().map((entry) => entry.version));
      expect([...spoken]).toEqual([writeVersion]);
      const leads = pagesOf(session.emulator.dump(), demoSourceId(seed, "phases")).filter((page) =>
        ((page.properties as Record<string, { people: Obj[] }>).Lead?.people ?? []).some(
          (person) => person.id === NAMELESS_PERSON_ID,
        ),
      );
      expect(leads).toHaveLength(2);

      // The mirror keeps the page as the push's answer showed it: the version's own shape.
      const mirror = world.openMirror();
      try {
        const raw = mirror.sqlite
          .prepare("SELECT raw_json FROM pages WHERE id = ?")
          .pluck()
          .get(String(leads[0]?.id)) as string;
        const lead = (JSON.parse(raw) as { properties: Record<string, { people: Obj[] }> })
          .properties.Lead;
        expect(lead?.people.map((person) => [person.id, person.name])).toEqual([
          [NAMELESS_PERSON_ID, storedName],
        ]);
      } finally {
        mirror.close();
      }

      const report = await cli("runs", "show", String(runId), "--md");
      expect(report.code, report.stderr).toBe(0);
      expect(report.stdout).toContain(NAMELESS_PERSON_ID);
      const afterPush = await cli(
        "query",
        "--format",
        "csv",
        "SELECT lead FROM wt_phase_database WHERE lead LIKE '%0aa1%'",
      );
      expect(
        afterPush.stdout.split("\n").filter((line) => line.includes(NAMELESS_PERSON_ID)),
      ).toHaveLength(2);

      const preview = await cli("revert", String(runId), "--dry-run");
      expect(preview.code, preview.stderr).toBe(0);
      expect(preview.stdout).toContain(NAMELESS_PERSON_ID);
      const reverted = await cli("revert", String(runId), "--yes");
      expect(reverted.code, reverted.stderr).toBe(0);
      expect(reverted.stdout).toMatch(/2 restored on 2 pages, 0 conflicts/);
      const after = pagesOf(session.emulator.dump(), demoSourceId(seed, "phases")).filter(
        (page) =>
          String(page.id) === String(leads[0]?.id) || String(page.id) === String(leads[1]?.id),
      );
      expect(
        after.map((page) => (page.properties as Record<string, { people: Obj[] }>).Lead?.people),
      ).toEqual([[], []]);
    },
    120_000,
  );
});
