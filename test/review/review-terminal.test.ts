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
    expect(screen).toContain("proposal 1 of 49: 0 accepted, 0 rejected, 0 skipped, 49 left");
    expect(screen).toContain("proposal 4 of 49: 1 accepted, 1 rejected, 1 skipped, 46 left");
    expect(screen).toMatch(
      /projectId: \(empty\) → .+ \([0-9a-f-]{36}\)\s+\[phase-project-by-code, medium\]/,
    );
    expect(screen).toContain("Answer a, r, s, A, R or q.");
    // After the rest of the links were accepted, the next one asked about is a project id.
    expect(screen).toContain("proposal 34 of 49: 31 accepted, 1 rejected, 1 skipped, 16 left");
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

  it("acts on a single keypress without Enter, and Ctrl-D quits keeping the decisions made, exit 0", async () => {
    const planned = await world.cli("plan");
    const runId = /^Planned run (\S+)\./m.exec(planned.stdout)?.[1] ?? "";
    let asked = 0;
    const { code, screen } = await onTerminal(
      ["--config", world.project.config.file, "review", runId],
      {
        cwd: world.project.dir,
        answer: (now) => {
          const prompts = now.split("[q]uit: ").length - 1;
          if (prompts === asked) return undefined;
          asked = prompts;
          // A key each, no Enter; then Ctrl-D.
          return ["a", "r"][prompts - 1] ?? "\u0004";
        },
      },
    );
    expect(code, screen).toBe(0);
    // The first test's decisions were carried over to this plan: the rest are asked about.
    expect(screen).toMatch(/proposal 3 of (\d+): 1 accepted, 1 rejected, 0 skipped, \d+ left/);
    expect(screen).toContain("Input ended (Ctrl-D): quitting; the decisions made so far are kept.");
    expect(screen).toContain("1 accepted, 1 rejected, 0 skipped (quit)");
    const rows = world.withMirror((mirror) => proposalsOf(mirror, runId));
    const typed = rows.filter((row) => row.decidedVia === "terminal");
    expect(typed.map((row) => row.status)).toEqual(["accepted", "rejected"]);

    // The listing numbers the proposals as the stepper met them, with their marks.
    const listed = await world.cli("review", runId, "--list");
    expect(listed.code, listed.stderr).toBe(0);
    const [accepted, rejected] = typed;
    const undecided = rows.find((row) => row.status === "for_review");
    expect(listed.stdout).toMatch(new RegExp(`^✓ #${accepted?.id} `, "m"));
    expect(listed.stdout).toMatch(new RegExp(`^✗ #${rejected?.id} `, "m"));
    expect(listed.stdout).toMatch(new RegExp(`^\\? #${undecided?.id} `, "m"));
    const numbers = [...listed.stdout.matchAll(/^[✓✗?] #(\d+) /gm)].map(([, id]) => Number(id));
    expect(numbers).toEqual(rows.map((row) => row.id));
  });
});
