import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { NotionMirrorError } from "../../src/errors.ts";
import type { EmulatorSession } from "../support/emulator.ts";
import { openEmulator } from "../support/emulator.ts";
import type { TestProject } from "../support/project.ts";
import { createProject } from "../support/project.ts";
import type { Lab } from "../revert/lab-workspace.ts";
import { LAB_TARGET_COUNT, labWorkspace } from "../revert/lab-workspace.ts";

// A relation of 110 pages is cut at 25 in the page object and read whole from the property
// endpoint, 100 items a request: its cursor expires like a query's, and the pull must not die
// of it.

let session: EmulatorSession;
let project: TestProject;
let lab: Lab;
let targets: string[];

beforeEach(async () => {
  lab = labWorkspace();
  targets = Object.entries(lab.pages)
    .filter(([title]) => title.startsWith("target-"))
    .map(([, id]) => id);
  session = await openEmulator({ seed: lab.seed, cursorTtlMs: false });
  // A person links all 110 (the UI can; one API write cannot), seen here as a reseed.
  const state = session.emulator.dump();
  const alpha = state.pages.find((page) => page.id === lab.pages.alpha);
  const links = (alpha?.properties as Record<string, { relation?: unknown }> | undefined)?.Links;
  if (!links) throw new Error("the lab's alpha page has no Links value");
  links.relation = targets.map((id) => ({ id }));
  session.emulator.reseed(state);
  project = createProject(session);
});
afterEach(async () => {
  project.remove();
  await session.stop();
});

const propertyReads = {
  method: "GET",
  path: "/v1/pages/*/properties/*",
  action: { type: "expire-cursor" },
} as const;

function mirroredLinks(): string[] {
  const mirror = project.openMirror();
  try {
    return (
      mirror.sqlite
        .prepare("SELECT target_page_id AS id FROM relations WHERE page_id = ? ORDER BY position")
        .all(lab.pages.alpha) as Array<{ id: string }>
    ).map((row) => row.id);
  } finally {
    mirror.close();
  }
}

describe("a property read whose cursor Notion refuses", () => {
  it("starts that value over and mirrors it whole", async () => {
    session.emulator.faults.add({ ...propertyReads, nth: 1 });
    await project.pull();
    expect(session.emulator.faults.list()[0]?.acted).toBe(1);
    expect(targets).toHaveLength(LAB_TARGET_COUNT);
    expect(mirroredLinks()).toEqual(targets);
  });

  it("fails the pull on the third refusal, keeping the previous mirror", async () => {
    await project.pull();
    const before = mirroredLinks();
    expect(before).toEqual(targets);
    session.emulator.faults.add(propertyReads);
    const failure = await project.pull({ full: true }).catch((error: unknown) => error);
    expect(session.emulator.faults.list()[0]?.acted).toBe(3);
    expect(failure).toBeInstanceOf(NotionMirrorError);
    expect(String((failure as Error).message)).toMatch(
      /Notion refused a query cursor while reading property .+ The start_cursor provided is invalid/,
    );
    expect(mirroredLinks()).toEqual(before);
  });
});
