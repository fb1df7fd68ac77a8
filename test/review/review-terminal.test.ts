import { spawnSync } from "node:child_process";
import { userInfo } from "node:os";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { proposalsOf } from "../../src/review/proposals.ts";
import { onTerminal } from "./on-terminal.ts";
import type { ReviewWorld } from "./review-world.ts";
import { reviewWorld } from "./review-world.ts";

let world: ReviewWorld;
beforeAll(async () => {
  expect(spawnSync("script", ["--version"]).status, "util-linux `script` is needed").toBe(0);
  world = await reviewWorld();
});
afterAll(async () => {
  await world?.stop();
});

/** `notion-mirror review RUN` on a pseudo-terminal, each prompt answered by the next of `answers`. */
function reviewOnTerminal(
  runId: string,
  answers: string[],
): Promise<{ code: number | null; screen: string }> {
  let asked = 0;
  return onTerminal(["--config", world.project.config.file, "review", runId], {
    cwd: world.project.dir,
    answer: (screen) => {
      const prompts = screen.split("[q]uit: ").length - 1;
      let typed = "";
      for (; asked < prompts; asked += 1) typed += `${answers[asked] ?? "q"}\n`;
      return typed === "" ? undefined : typed;
    },
  });
}

describe("review on a terminal", () => {
  it("steps through the proposals with a progress line and the diff: accept, reject, skip, the rest of a rule, quit", async () => {
    const planned = await world.cli("plan");
    const runId = /^Planned run (\S+)\./m.exec(planned.stdout)?.[1] ?? "";
    const { code, screen } = await reviewOnTerminal(runId, ["a", "r", "s", "A", "maybe", "q"]);
    expect(code, screen).toBe(0);
    expect(screen).toContain("[1/49] 0 accepted, 0 rejected, 0 skipped, 49 left");
    expect(screen).toContain("[4/49] 1 accepted, 1 rejected, 1 skipped, 46 left");
    expect(screen).toMatch(
      /projectId: \(empty\) → .+ \([0-9a-f-]{36}\)\s+\[phase-project-by-code, medium\]/,
    );
    expect(screen).toContain("Answer a, r, s, A, R or q.");
    // After the rest of the links were accepted, the next one asked about is a project id.
    expect(screen).toContain("[34/49] 31 accepted, 1 rejected, 1 skipped, 16 left");
    expect(screen).toContain("31 accepted, 1 rejected, 1 skipped (quit)");

    const rows = world.withMirror((mirror) => proposalsOf(mirror, runId));
    const links = rows.filter((row) => row.rule === "phase-project-by-code");
    expect(links.map((row) => row.status).slice(0, 4)).toEqual([
      "accepted",
      "rejected",
      "for_review",
      "accepted",
    ]);
    expect(links.filter((row) => row.status === "accepted")).toHaveLength(31);
    expect(
      rows.filter((row) => row.rule === "project-id-from-code").map((row) => row.status),
    ).toEqual(Array(16).fill("for_review"));
    for (const row of rows.filter((candidate) => candidate.status !== "for_review")) {
      expect(row.decidedVia).toBe("terminal");
      expect(row.decidedBy).toBe(userInfo().username);
    }
  });
});
