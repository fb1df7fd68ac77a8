import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { PacedWorld } from "./support/paced-world.ts";
import { pacedWorld } from "./support/paced-world.ts";
import { runCli } from "./support/cli-child.ts";

/**
 * Many pages waiting at the rate gate at once share the command's one stop signal (Ctrl-C): the
 * gate listens to it once, not once per waiting request, so Node never warns of a listener leak.
 */
const PAGES = 30;
let world: PacedWorld;
beforeAll(async () => {
  world = await pacedWorld({ fills: PAGES, latencyMs: 30, rate: 20 });
});
afterAll(() => world.close());

describe("a push and a revert of many pages", { timeout: 180_000 }, () => {
  it("print no MaxListenersExceededWarning", async () => {
    const pushed = await runCli(world, ["push", world.runId, "--yes"]);
    expect(pushed.code, pushed.stderr).toBe(0);
    expect(pushed.stdout).toContain(`${PAGES} applied on ${PAGES} pages`);
    expect(pushed.stderr).not.toContain("MaxListenersExceededWarning");

    const reverted = await runCli(world, ["revert", world.runId, "--yes"]);
    expect(reverted.code, reverted.stderr).toBe(0);
    expect(reverted.stdout).toContain(`${PAGES} restored on ${PAGES} pages`);
    expect(reverted.stderr).not.toContain("MaxListenersExceededWarning");
  });
});
