import { installDemoRules } from "../../src/fill/demo-rules.ts";
import type { Mirror } from "../../src/mirror/open-mirror.ts";
import type { EmulatorSession } from "../support/emulator.ts";
import { openEmulator } from "../support/emulator.ts";
import type { TestProject } from "../support/project.ts";
import { createProject } from "../support/project.ts";
import type { CliRun } from "../matrix/support-b/cli.ts";
import { runCli } from "../matrix/support-b/cli.ts";

/** The demo workspace pulled into a fresh project with the shipped rules installed. */
export interface ReviewWorld {
  session: EmulatorSession;
  project: TestProject;
  cli(...args: string[]): Promise<CliRun>;
  /** Runs `read` on a freshly opened mirror, closed afterwards. */
  withMirror<T>(read: (mirror: Mirror) => T): T;
  stop(): Promise<void>;
}

export async function reviewWorld(): Promise<ReviewWorld> {
  const session = await openEmulator();
  const project = createProject(session);
  await project.pull();
  installDemoRules(project.config.fillsDir);
  const env = { NOTION_TOKEN: session.emulator.token, NOTION_BASE_URL: session.emulator.url };
  return {
    session,
    project,
    cli: (...args) => runCli(["--config", project.config.file, ...args], env),
    withMirror(read) {
      const mirror = project.openMirror();
      try {
        return read(mirror);
      } finally {
        mirror.close();
      }
    },
    async stop() {
      project.remove();
      await session.stop();
    },
  };
}
