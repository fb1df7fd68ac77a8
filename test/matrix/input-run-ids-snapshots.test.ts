import { copyFileSync, existsSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { pushRun, selectPushRun } from "../../src/apply/push.ts";
import { planRun } from "../../src/fill/plan-run.ts";
import { snapshotPath } from "../../src/snapshot/snapshot-file.ts";
import type { EmulatorSession } from "../support/emulator.ts";
import { projectViolations } from "../support/invariants.ts";
import type { TestProject } from "../support/project.ts";
import type { PulledWorld } from "../support/pulled-world.ts";
import { openPulledWorld } from "../support/pulled-world.ts";
import type { CliEnv } from "./support-b/cli.ts";
import { fileStamps, runCli } from "./support-b/cli.ts";

// Bad input, part 3: run ids that try to leave the snapshots folder, and snapshots that were
// corrupted or cut short. Both are refused before anything is sent to Notion.

let world: PulledWorld;
let session: EmulatorSession;
let project: TestProject;
let env: CliEnv;
let runId: string;
let snapshot: string;
let pristine: string;

beforeAll(async () => {
  world = await openPulledWorld({ demoRules: true });
  ({ session, project, env } = world);
  runId = (await planRun(project.config)).runId ?? "";
  const mirror = project.openMirror();
  try {
    await pushRun(project.config, mirror, project.api(), selectPushRun(mirror, runId));
  } finally {
    mirror.close();
  }
  snapshot = snapshotPath(project.config.snapshotsDir, runId);
  pristine = readFileSync(snapshot, "utf8");
});
afterAll(() => world?.close());

const cli = (...args: string[]) => runCli(["--config", project.config.file, ...args], env);
const requests = () => session.emulator.log.all().length;

describe("run ids like ../x are refused (exit 2): no file outside the snapshots folder is touched", () => {
  const HOSTILE_IDS = [
    "../x",
    "../../../../etc/passwd",
    `/tmp/x`,
    "20251126-180512-ab12/../../x",
    "20251126-180512-ab12\n",
    "..",
  ];

  it.each([
    ["push", (id: string) => ["push", id, "--yes"]],
    ["push --dry-run", (id: string) => ["push", id, "--dry-run"]],
    ["revert", (id: string) => ["revert", id, "--yes"]],
    ["revert --dry-run", (id: string) => ["revert", id, "--dry-run"]],
    ["runs show --md", (id: string) => ["runs", "show", id, "--md"]],
    ["runs show --json", (id: string) => ["runs", "show", id, "--json"]],
  ])("%s", async (_command, args) => {
    // A decoy where `../x` would land if the id were joined to the snapshots folder unchecked.
    const decoy = join(dirname(project.config.snapshotsDir), "x.snapshot.ndjson");
    writeFileSync(decoy, pristine);
    const before = {
      files: fileStamps(dirname(project.config.snapshotsDir)),
      requests: requests(),
    };
    for (const id of HOSTILE_IDS) {
      const ran = await cli(...args(id));
      expect(ran.code, `${id}: ${ran.stderr}`).toBe(2);
      expect(ran.stderr).toContain(`${JSON.stringify(id)} is not a run id`);
      expect(ran.stderr).toMatch(/hint: Try: notion-mirror runs/);
      expect(ran.stdout).toBe("");
    }
    expect(requests()).toBe(before.requests);
    expect(fileStamps(dirname(project.config.snapshotsDir))).toEqual(before.files);
  });
});

describe("a corrupted or truncated snapshot: revert refuses (exit 2), lists the problems, sends nothing", () => {
  const lines = () => pristine.trimEnd().split("\n");
  /** The mirror moved aside (with its WAL files) for `body`: what restoring only the snapshots looks like. */
  const withoutMirror = async <T>(body: () => Promise<T>): Promise<T> => {
    const moved = ["", "-wal", "-shm"]
      .map((suffix) => `${project.config.mirrorPath}${suffix}`)
      .filter((file) => existsSync(file));
    for (const file of moved) renameSync(file, `${file}.away`);
    try {
      return await body();
    } finally {
      for (const file of moved) renameSync(`${file}.away`, file);
    }
  };
  // Each damage, and what is listed for it with the mirror (which records what the run did) and
  // without it (the snapshot alone must show that it is whole).
  it.each<[string, () => string, { withMirror: RegExp[]; alone: RegExp[] }]>([
    [
      "a byte changed inside a pre-image",
      () => {
        const all = lines();
        const index = all.findIndex((line) => line.includes('\\"type\\":\\"pre\\"'));
        all[index] = (all[index] ?? "").replace(/[0-9a-f](?=[^"]*\\")/, (digit) =>
          digit === "0" ? "1" : "0",
        );
        return `${all.join("\n")}\n`;
      },
      { withMirror: [/line \d+: checksum mismatch/], alone: [/line \d+: checksum mismatch/] },
    ],
    [
      "the file cut in the middle of its last line",
      () => pristine.slice(0, pristine.length - 40),
      { withMirror: [/torn last line \d+: cut short/], alone: [/torn last line \d+: cut short/] },
    ],
    [
      "its last lines cut off at a line boundary",
      () => `${lines().slice(0, 3).join("\n")}\n`,
      {
        withMirror: [
          /the mirror records change \d+ as applied, but the snapshot has no pre-image for it/,
        ],
        alone: [/does not end with a checkpoint/],
      },
    ],
    [
      "its last 3 lines cut off (an older copy of the file)",
      () => `${lines().slice(0, -3).join("\n")}\n`,
      {
        withMirror: [/the mirror records change \d+ as applied, but the snapshot has no outcome/],
        alone: [/does not end with a checkpoint/],
      },
    ],
    [
      "a line missing from the middle",
      () =>
        `${lines()
          .filter((_, index) => index !== 2)
          .join("\n")}\n`,
      {
        withMirror: [/sequence \d+, expected \d+ \(lines missing or reordered\)/],
        alone: [/sequence \d+, expected \d+ \(lines missing or reordered\)/],
      },
    ],
    [
      "its first line (the run description) missing",
      () => `${lines().slice(1).join("\n")}\n`,
      {
        withMirror: [/line 1 is not the run description/],
        alone: [/line 1 is not the run description/],
      },
    ],
    [
      "an empty file",
      () => "",
      { withMirror: [/the file is empty/], alone: [/the file is empty/] },
    ],
    [
      "garbage instead of JSON",
      () => `${lines()[0]}\nnot json at all\n${lines().slice(1).join("\n")}\n`,
      { withMirror: [/line 2: not JSON/], alone: [/line 2: not JSON/] },
    ],
  ])("%s", async (_case, damage, problems) => {
    writeFileSync(snapshot, damage());
    const before = requests();
    const refused = (ran: { code: number; stderr: string }, expected: RegExp[]) => {
      expect(ran.code, ran.stderr).toBe(2);
      expect(ran.stderr).toContain(`The snapshot ${snapshot} cannot be trusted; nothing was sent`);
      for (const problem of expected) expect(ran.stderr).toMatch(problem);
      expect(ran.stderr).toMatch(/hint: Restore the (complete )?file from a backup/);
    };
    refused(await cli("revert", runId, "--yes"), problems.withMirror);
    refused(await cli("revert", "--snapshot", snapshot, "--yes"), problems.withMirror);
    refused(
      await withoutMirror(() => cli("revert", "--snapshot", snapshot, "--yes")),
      problems.alone,
    );
    expect(requests()).toBe(before);
  });

  it("the same snapshot restored from a backup reverts exactly, and the checker holds", async () => {
    copyFileSync(snapshot, `${snapshot}.damaged`);
    writeFileSync(snapshot, pristine);
    const ran = await cli("revert", runId, "--yes");
    expect(ran.code, ran.stderr).toBe(0);
    expect(projectViolations(session, project)).toEqual([]);
  });
});
