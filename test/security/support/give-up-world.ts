import { cpSync, existsSync, readFileSync, rmSync } from "node:fs";
import { pushRun, selectPushRun } from "../../../src/apply/push.ts";
import { runChanges } from "../../../src/runs/change-store.ts";
import type { SeedFile } from "../../../src/emulator/index.ts";
import { installDemoRules } from "../../../src/fill/demo-rules.ts";
import { planRun } from "../../../src/fill/plan-run.ts";
import { walkFiles } from "../../matrix/support-b/cli.ts";
import type { EmulatorSession } from "../../support/emulator.ts";
import { openEmulator } from "../../support/emulator.ts";
import type { TestProject } from "../../support/project.ts";
import { createProject } from "../../support/project.ts";

/** A canary token, distinctive enough to find anywhere, and the forms it could leak in. */
export const CANARY = "ntn_CANARY_9d41b7e20c5a4f38a6e1d0b2c7f95e3a4b8c6d1f";
export const CANARY_FORMS = [
  CANARY,
  CANARY.slice(4, 30), // a fragment
  Buffer.from(CANARY).toString("base64"),
  Buffer.from(`Bearer ${CANARY}`).toString("base64"),
  encodeURIComponent(CANARY),
];

/** A moment to come back to: Notion's state, and the project's mirror and snapshots. */
interface Saved {
  notion: SeedFile;
  dir: string;
}

/**
 * The demo workspace served with `token`, pulled, and its rules planned; then the same run pushed.
 * Each scenario starts from one of the two moments (`atPlan()`, `atPush()`): Notion, mirror and
 * snapshots as they were, no faults, an empty request log.
 */
export interface GiveUpWorld {
  session: EmulatorSession;
  project: TestProject;
  runId: string;
  /** A page the run writes. */
  pageId: string;
  /** The tracker data source, where push and revert write an entry. */
  trackerId: string;
  atPlan(): void;
  atPush(): void;
  close(): Promise<void>;
}

export async function giveUpWorld(token: string): Promise<GiveUpWorld> {
  const session = await openEmulator({ token });
  const project = createProject(session);
  await project.pull();
  installDemoRules(project.config.fillsDir);
  const { runId } = await planRun(project.config, { minConfidence: "high" });
  if (!runId) throw new Error("the demo plan is empty");
  const mirror = project.openMirror();
  let pageId: string | undefined;
  try {
    pageId = runChanges(mirror.sqlite, runId)[0]?.pageId;
  } finally {
    mirror.close();
  }
  const trackerId = project.config.tracker?.id;
  if (!pageId || !trackerId) throw new Error("the demo plan writes nothing, or has no tracker");

  const save = (name: string): Saved => {
    const dir = `${project.dir}.${name}`;
    rmSync(dir, { recursive: true, force: true });
    cpSync(project.dir, dir, { recursive: true });
    return { notion: session.emulator.dump(), dir };
  };
  const restore = (saved: Saved) => {
    session.emulator.faults.clear();
    session.emulator.reseed(structuredClone(saved.notion));
    session.emulator.log.clear();
    rmSync(project.dir, { recursive: true, force: true });
    cpSync(saved.dir, project.dir, { recursive: true });
  };

  const planned = save("planned");
  const opened = project.openMirror();
  try {
    await pushRun(project.config, opened, project.api(), selectPushRun(opened, runId));
  } finally {
    opened.close();
  }
  const pushed = save("pushed");

  return {
    session,
    project,
    runId,
    pageId,
    trackerId,
    atPlan: () => restore(planned),
    atPush: () => restore(pushed),
    async close() {
      await session.stop();
      for (const dir of [project.dir, planned.dir, pushed.dir])
        rmSync(dir, { recursive: true, force: true });
    },
  };
}

/**
 * Where any of `forms` appears in the files under `dir` (as UTF-8 or UTF-16 bytes): one line per
 * file and form found; empty when none does.
 */
export function formsInFiles(dir: string, forms: readonly string[]): string[] {
  if (!existsSync(dir)) return [];
  const found: string[] = [];
  for (const file of walkFiles(dir)) {
    const bytes = readFileSync(file);
    for (const form of forms) {
      if (bytes.includes(Buffer.from(form)) || bytes.includes(Buffer.from(form, "utf16le")))
        found.push(`${file}: ${form}`);
    }
  }
  return found;
}
