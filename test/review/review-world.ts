import { expect } from "vitest";
import { installDemoRules } from "../../src/fill/demo-rules.ts";
import type { Mirror } from "../../src/mirror/open-mirror.ts";
import type { ProposalRow } from "../../src/review/proposals.ts";
import { proposalsOf } from "../../src/review/proposals.ts";
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
  /** Runs `plan` (with `args`), which must succeed: the run it planned, and the run itself. */
  plan(...args: string[]): Promise<{ runId: string; ran: CliRun }>;
  /** The stored proposals of a run, read from the mirror. */
  proposals(runId: string): ProposalRow[];
  stop(): Promise<void>;
}

export async function reviewWorld(): Promise<ReviewWorld> {
  const session = await openEmulator();
  const project = createProject(session);
  await project.pull();
  installDemoRules(project.config.fillsDir);
  const env = { NOTION_TOKEN: session.emulator.token, NOTION_BASE_URL: session.emulator.url };
  const cli = (...args: string[]) => runCli(["--config", project.config.file, ...args], env);
  const withMirror = <T>(read: (mirror: Mirror) => T): T => {
    const mirror = project.openMirror();
    try {
      return read(mirror);
    } finally {
      mirror.close();
    }
  };
  return {
    session,
    project,
    cli,
    withMirror,
    async plan(...args) {
      const ran = await cli("plan", ...args);
      expect(ran.code, ran.stderr).toBe(0);
      const runId = /^Planned run (\S+)\./m.exec(ran.stdout)?.[1];
      expect(runId, ran.stdout).toBeDefined();
      return { runId: runId ?? "", ran };
    },
    proposals: (runId) => withMirror((mirror) => proposalsOf(mirror, runId)),
    async stop() {
      project.remove();
      await session.stop();
    },
  };
}
