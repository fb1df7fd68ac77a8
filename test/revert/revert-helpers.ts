import { spawn } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { pushRun, selectPushRun } from "../../src/apply/push.ts";
import type { RevertOptions, RevertResult } from "../../src/apply/revert.ts";
import { locateRevertTarget, revertRun } from "../../src/apply/revert.ts";
import type { JsonObject, SeedFile } from "../../src/emulator/index.ts";
import { planRun } from "../../src/fill/plan-run.ts";
import type { EmulatorSession } from "../support/emulator.ts";
import type { TestProject } from "../support/project.ts";
import { runCli } from "../matrix/support-b/cli.ts";

export const CLI = join(import.meta.dirname, "../../bin/notion-mirror.js");

/** A SQL literal for a rule's value: numbers as numbers, text quoted, anything else as JSON text. */
function literal(value: unknown): string {
  if (typeof value === "number") return String(value);
  const text = typeof value === "string" ? value : JSON.stringify(value);
  return `'${text.replaceAll("'", "''")}'`;
}

/**
 * Writes a fill rule giving each page (by its `name` column) a value, e.g.
 * `writeRule(project, "lab_items.Score", { alpha: 3 })`.
 */
export function writeRule(
  project: TestProject,
  target: string,
  values: Record<string, unknown>,
  options: { alias?: string; allowNewOption?: boolean; ruleName?: string } = {},
): void {
  const [alias = "", property = ""] = target.split(".");
  const name = options.ruleName ?? `fill-${property.toLowerCase().replace(/[^a-z0-9]+/g, "-")}`;
  const rows = Object.entries(values)
    .map(([title, value]) => `(${literal(title)}, ${literal(value)})`)
    .join(", ");
  mkdirSync(project.config.fillsDir, { recursive: true });
  writeFileSync(
    join(project.config.fillsDir, `${name}.sql`),
    [
      `-- rule: ${name}`,
      `-- target: ${alias}.${property}`,
      "-- confidence: high",
      `-- allow-new-option: ${options.allowNewOption ? "yes" : "no"}`,
      `WITH v(title, value) AS (VALUES ${rows})`,
      `SELECT t.page_id, v.value FROM ${alias} AS t JOIN v ON v.title = t.name WHERE t.in_trash = 0`,
      "",
    ].join("\n"),
  );
}

/** Plans every rule and pushes the run; returns its id. */
export async function planAndPush(
  project: TestProject,
  options: { maxWrites?: number } = {},
): Promise<string> {
  const { runId, plan } = await planRun(project.config, { minConfidence: "low" });
  if (!runId) throw new Error(`nothing planned: ${JSON.stringify(plan.refusals)}`);
  await push(project, runId, options);
  return runId;
}

export async function push(
  project: TestProject,
  runId: string,
  options: { maxWrites?: number } = {},
): Promise<void> {
  const mirror = project.openMirror();
  try {
    const result = await pushRun(
      project.config,
      mirror,
      project.api(),
      selectPushRun(mirror, runId),
      options,
    );
    if (result.summary.failed > 0)
      throw new Error(
        `push failed: ${JSON.stringify(mirror.sqlite.prepare("SELECT error FROM changes WHERE status = 'failed'").all())}`,
      );
  } finally {
    mirror.close();
  }
}

/** `revert RUN-ID` through the library, as the command runs it. */
export async function revert(
  project: TestProject,
  runId: string,
  options: RevertOptions = {},
): Promise<RevertResult> {
  const mirror = project.openMirror();
  try {
    const target = locateRevertTarget(project.config.snapshotsDir, mirror, { runId });
    return await revertRun(target, mirror, project.api(), project.config.snapshotsDir, {
      trackerId: project.config.tracker?.id,
      ...options,
    });
  } finally {
    mirror.close();
  }
}

/**
 * Runs the CLI through its entry in this process (what it writes to stdout and stderr captured),
 * in the project's folder unless `cwd` says otherwise, as a child process there would run: a
 * process start saved per command. Tests that need a process of its own (a kill, a lock held by
 * another process) use {@link killWhen} or their own child.
 */
export async function cli(
  project: TestProject,
  args: readonly string[],
  options: { cwd?: string; config?: string | null } = {},
): Promise<{ status: number | null; stdout: string; stderr: string }> {
  const config =
    options.config === undefined ? join(project.dir, "notion-mirror.json") : options.config;
  const ran = await runCli(
    [...(config === null ? [] : ["--config", config]), ...args],
    { NOTION_TOKEN: project.env.NOTION_TOKEN, NOTION_BASE_URL: project.env.NOTION_BASE_URL },
    options.cwd ?? project.dir,
  );
  return { status: ran.code, stdout: ran.stdout, stderr: ran.stderr };
}

const LAST_EDITED = new Set(["last_edited_time", "last_edited_by"]);

/**
 * The emulator's state with what any write changes by design taken out: each page's
 * last_edited_time / last_edited_by and its last_edited_* property values. `skipSources` drops
 * whole data sources, schema and pages (the tracker, which gains an entry per run).
 */
export function comparable(dump: SeedFile, skipSources: readonly string[] = []): SeedFile {
  const copy = structuredClone(dump);
  copy.data_sources = copy.data_sources.filter(
    (source) => !skipSources.includes(String(source.id)),
  );
  copy.pages = copy.pages
    .filter((page) => !skipSources.includes(String((page.parent as JsonObject).data_source_id)))
    .map((page) => {
      delete page.last_edited_time;
      delete page.last_edited_by;
      for (const value of Object.values(page.properties as JsonObject)) {
        const property = value as JsonObject;
        if (LAST_EDITED.has(String(property.type))) delete property[String(property.type)];
      }
      return page;
    })
    .sort((a, b) => String(a.id).localeCompare(String(b.id)));
  return copy;
}

/** PATCH requests to pages in the emulator's log from `since` (a log length) on. */
export function pagePatches(session: EmulatorSession, since = 0): number {
  return session.emulator.log
    .all()
    .slice(since)
    .filter((entry) => entry.method === "PATCH" && entry.path.startsWith("/v1/pages/")).length;
}

/** One property's value of a page as the emulator holds it. */
export function liveValue(session: EmulatorSession, pageId: string, name: string): JsonObject {
  const page = session.emulator.dump().pages.find((candidate) => candidate.id === pageId);
  if (!page) throw new Error(`no page ${pageId}`);
  return (page.properties as JsonObject)[name] as JsonObject;
}

/**
 * Starts the CLI in a child process and SIGKILLs it as soon as `ready()` holds (polled), e.g.
 * once a delayed write has reached the emulator. Resolves when the child is gone.
 */
export async function killWhen(
  project: TestProject,
  args: readonly string[],
  ready: () => boolean,
): Promise<{ killed: boolean; stderr: string }> {
  const child = spawn(
    process.execPath,
    [CLI, "--config", join(project.dir, "notion-mirror.json"), ...args],
    { cwd: project.dir, env: { ...project.env, NO_COLOR: "1" }, stdio: ["ignore", "pipe", "pipe"] },
  );
  let stderr = "";
  child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
  child.stdout.resume();
  const exited = new Promise<void>((resolve) => child.on("exit", () => resolve()));
  let killed = false;
  // A child takes up to 20 s to start on a busy machine: the deadline only ends a test gone wrong.
  const deadline = Date.now() + 90_000;
  while (child.exitCode === null && Date.now() < deadline) {
    if (ready()) {
      killed = child.kill("SIGKILL");
      break;
    }
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  await exited;
  return { killed, stderr };
}

/**
 * Waits until every request a fault rule acted on has been answered and logged: a delayed write
 * has landed (or was refused) in Notion, whenever the machine gets to it.
 */
export async function landed(session: EmulatorSession, ruleId: string): Promise<void> {
  const deadline = Date.now() + 60_000;
  const answered = () =>
    session.emulator.log.all().filter((entry) => entry.fault?.split(",").includes(ruleId)).length;
  while (answered() < acted(session, ruleId)) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for the requests of ${ruleId}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/** How many times a fault rule has acted. */
export function acted(session: EmulatorSession, ruleId: string): number {
  return session.emulator.faults.list().find((rule) => rule.id === ruleId)?.acted ?? 0;
}

/** PATCH requests per page id in the emulator's log. */
export function patchesPerPage(session: EmulatorSession): Map<string, number> {
  const counts = new Map<string, number>();
  for (const entry of session.emulator.log.all()) {
    if (entry.method !== "PATCH" || !entry.path.startsWith("/v1/pages/")) continue;
    const id = entry.path.split("/")[3] ?? "";
    counts.set(id, (counts.get(id) ?? 0) + 1);
  }
  return counts;
}
