import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { demoWorkspace } from "../../src/emulator/index.ts";
import { openMirrorReadOnly } from "../../src/mirror/open-mirror.ts";
import { mirrorStatus } from "../../src/mirror/status.ts";
import { scanMirror } from "../../src/report/scan.ts";
import type { EmulatorSession } from "../support/emulator.ts";
import { openEmulator } from "../support/emulator.ts";
import type { TestProject } from "../support/project.ts";
import { createProject } from "../support/project.ts";

// A mirror pulled by a notion-mirror that did not know Notion's per-query cap may be missing
// pages without a trace; it must never be called complete until a full pull has read it whole.

let session: EmulatorSession;
let project: TestProject;

beforeAll(async () => {
  session = await openEmulator();
});
afterAll(() => session.stop());
afterEach(() => {
  project?.remove();
  session.emulator.reseed(demoWorkspace());
});

function states(): string[] {
  const mirror = project.openMirror();
  try {
    return [
      ...new Set(
        mirrorStatus(project.config, mirror).dataSources.map((source) => source.completeness.state),
      ),
    ];
  } finally {
    mirror.close();
  }
}

function forgetCompleteness(): void {
  const mirror = project.openMirror();
  try {
    mirror.sqlite.exec("UPDATE data_sources SET complete_since = NULL");
  } finally {
    mirror.close();
  }
}

describe("whether the mirror holds every page", () => {
  it("is never pulled, then complete after the first pull", async () => {
    project = createProject(session);
    expect(states()).toEqual(["never pulled"]);
    await project.pull();
    expect(states()).toEqual(["complete"]);
  });

  it("stays unknown for a mirror an older version pulled, through incremental pulls, until a full pull", async () => {
    project = createProject(session);
    await project.pull();
    forgetCompleteness();
    expect(states()).toEqual(["unknown"]);
    await project.pull();
    expect(states()).toEqual(["unknown"]);
    await project.pull({ full: true });
    expect(states()).toEqual(["complete"]);
  });

  it("scan reads it from a mirror whose schema predates it, read-only, as unknown", async () => {
    project = createProject(session);
    await project.pull();
    const mirror = project.openMirror();
    try {
      // The columns an older notion-mirror did not have.
      for (const column of ["complete_since", "walk_windows", "walk_capped"]) {
        mirror.sqlite.exec(`ALTER TABLE data_sources DROP COLUMN ${column}`);
      }
    } finally {
      mirror.close();
    }
    const sqlite = openMirrorReadOnly(project.config.mirrorPath);
    try {
      const model = scanMirror(project.config, sqlite);
      expect(new Set(model.dataSources.map((source) => source.mirror))).toEqual(
        new Set(["unknown"]),
      );
    } finally {
      sqlite.close();
    }
  });
});
