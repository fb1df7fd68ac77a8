import { copyFileSync, existsSync, rmSync } from "node:fs";
import type { EmulatorSession } from "./emulator.ts";
import type { TestProject } from "./project.ts";

/**
 * Saves this moment of a world: Notion's state and the project's mirror file (copied beside it as
 * `<mirror>.<name>`). Returns the way back to it, for the start of each scenario: Notion reseeded
 * as it was, the mirror file copied back (its WAL files dropped), no snapshots, no fault rules, no
 * latency, an empty request log.
 */
export function saveRewindPoint(
  session: EmulatorSession,
  project: TestProject,
  name: string,
): () => void {
  const { mirrorPath, snapshotsDir } = project.config;
  const saved = `${mirrorPath}.${name}`;
  copyFileSync(mirrorPath, saved);
  const notion = session.emulator.dump();
  return () => {
    session.emulator.faults.clear();
    session.emulator.setLatency(0);
    session.emulator.reseed(structuredClone(notion));
    session.emulator.log.clear();
    for (const suffix of ["", "-wal", "-shm"])
      if (existsSync(`${mirrorPath}${suffix}`)) rmSync(`${mirrorPath}${suffix}`);
    copyFileSync(saved, mirrorPath);
    rmSync(snapshotsDir, { recursive: true, force: true });
  };
}
