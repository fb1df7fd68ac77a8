import { installDemoRules } from "../../src/fill/demo-rules.ts";
import type { EmulatorSession } from "./emulator.ts";
import { openEmulator } from "./emulator.ts";
import type { TestProject } from "./project.ts";
import { createProject } from "./project.ts";

/**
 * An emulator and a project in a temp folder whose mirror has been pulled from it once: where a
 * test that plans, pushes or reverts starts.
 */
export interface PulledWorld {
  session: EmulatorSession;
  project: TestProject;
  /** Just what a CLI child needs to reach the emulator (no other variable of this process). */
  env: { NOTION_TOKEN: string; NOTION_BASE_URL: string };
  /** Clears the fault rules, removes the project's folder and stops the emulator. */
  close(): Promise<void>;
}

export type PulledWorldOptions = Parameters<typeof openEmulator>[0] & {
  /** Copies the demo's fill rules into the project's fills folder. */
  demoRules?: boolean;
};

/**
 * Starts an emulator with `options` (the demo workspace unless `seed` is given), writes a project
 * for every data source of it and pulls once. On a failure on the way, what was started is
 * stopped and removed before the error is thrown.
 */
export async function openPulledWorld(options: PulledWorldOptions = {}): Promise<PulledWorld> {
  const { demoRules, ...emulatorOptions } = options;
  const session = await openEmulator(emulatorOptions);
  const project = createProject(session);
  const close = async () => {
    session.emulator.faults.clear();
    project.remove();
    await session.stop();
  };
  try {
    if (demoRules) installDemoRules(project.config.fillsDir);
    await project.pull();
  } catch (error) {
    await close();
    throw error;
  }
  const env = { NOTION_TOKEN: session.emulator.token, NOTION_BASE_URL: session.emulator.url };
  return { session, project, env, close };
}
