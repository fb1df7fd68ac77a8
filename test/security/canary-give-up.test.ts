import { createServer } from "node:net";
import { inspect } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { pushRun, selectPushRun } from "../../src/apply/push.ts";
import { locateRevertTarget, revertRun } from "../../src/apply/revert.ts";
import { renderError } from "../../src/cli/render-error.ts";
import type { FaultRule } from "../../src/emulator/index.ts";
import { NotionMirrorError } from "../../src/errors.ts";
import { pullMirror } from "../../src/mirror/pull.ts";
import { NotionApi } from "../../src/notion/notion-api.ts";
import type { CliRun } from "../matrix/support-b/cli.ts";
import { runCli } from "../matrix/support-b/cli.ts";
import type { GiveUpWorld } from "./support/give-up-world.ts";
import { CANARY, CANARY_FORMS, formsInFiles, giveUpWorld } from "./support/give-up-world.ts";

// Security: when Notion keeps failing, pull, push and revert give up ("Gave up … after N
// attempts") — and the token is in none of what they leave: not the message, its hint, the
// error's stack or properties, stdout, stderr, the mirror, the snapshots or any other file. Each
// scenario first checks that the give-up path was the one taken.

let world: GiveUpWorld;

beforeAll(async () => {
  world = await giveUpWorld(CANARY);
});
afterAll(() => world?.close());

const GAVE_UP = /Gave up .+ after \d+ attempts \(last: [^)]+\)/;

/** Every matching request refused with 429 and Retry-After: 0, so reads give up at once. */
function storm(rule: Omit<FaultRule, "action"> = {}): void {
  world.session.emulator.faults.add({
    ...rule,
    action: { type: "status", status: 429, retryAfter: 0 },
  });
}

async function cli(args: string[]): Promise<CliRun> {
  return runCli(["--config", world.project.config.file, ...args], {
    NOTION_TOKEN: CANARY,
    NOTION_BASE_URL: world.session.emulator.url,
  });
}

/** The canary in none of the texts, nor in any file of the project. */
function expectNoCanary(texts: Record<string, string>): void {
  for (const [what, text] of Object.entries(texts))
    for (const form of CANARY_FORMS) expect(text.includes(form), `${what}: ${form}`).toBe(false);
  expect(formsInFiles(world.project.dir, CANARY_FORMS)).toEqual([]);
}

function expectGaveUp(ran: CliRun, what: RegExp): void {
  expect(ran.code, ran.stderr).toBe(1);
  expect(ran.stderr).toMatch(GAVE_UP);
  expect(ran.stderr).toMatch(what);
  expectNoCanary({ stdout: ran.stdout, stderr: ran.stderr });
}

const page = () => `/v1/pages/${world.pageId}`;

/** The page's write is sent and its connection dropped; every read of the page after the first is refused. */
function loseTheWriteThenStorm(): void {
  world.session.emulator.faults.add({ method: "PATCH", path: page(), action: { type: "reset" } });
  storm({ method: "GET", path: page(), from: 2 });
}

/** How the emulator answered each write of the page ("reset": dropped). */
function writesOfThePage(): Array<string | undefined> {
  return world.session.emulator.log
    .all()
    .filter((entry) => entry.method === "PATCH" && entry.path === page())
    .map((entry) => entry.code);
}

describe("the CLI giving up while Notion refuses every request (429, Retry-After: 0)", () => {
  it("sync pull", async () => {
    world.atPlan();
    storm();
    expectGaveUp(await cli(["sync", "pull"]), /Gave up reading the schema of /);
  });

  it("push, at its preflight", async () => {
    world.atPlan();
    storm();
    expectGaveUp(await cli(["push", world.runId, "--yes"]), /Gave up checking the token/);
  });

  it("push, reading a page live before its write", async () => {
    world.atPlan();
    storm({ method: "GET", path: "/v1/pages/*" });
    expectGaveUp(await cli(["push", world.runId, "--yes"]), /Gave up reading page /);
  });

  it("push, reading a page back after its write's answer was lost", async () => {
    world.atPlan();
    loseTheWriteThenStorm();
    const ran = await cli(["push", world.runId, "--yes"]);
    expect(writesOfThePage()).toEqual(["reset"]);
    expectGaveUp(ran, new RegExp(`Gave up reading page ${world.pageId}`));
  });

  it("push, reading the tracker's schema for its entry (the run itself done)", async () => {
    world.atPlan();
    storm({ method: "GET", path: `/v1/data_sources/${world.trackerId}` });
    const ran = await cli(["push", world.runId, "--yes"]);
    expect([0, 3], ran.stderr).toContain(ran.code);
    expect(ran.stderr).toMatch(/No tracker entry: Gave up reading the tracker's schema/);
    expectNoCanary({ stdout: ran.stdout, stderr: ran.stderr });
  });

  it("revert, at its preflight", async () => {
    world.atPush();
    storm();
    expectGaveUp(await cli(["revert", world.runId, "--yes"]), /Gave up checking the token/);
  });

  it("revert, reading a page live before its restore", async () => {
    world.atPush();
    storm({ method: "GET", path: "/v1/pages/*" });
    expectGaveUp(await cli(["revert", world.runId, "--yes"]), /Gave up reading page /);
  });

  it("revert, reading a page back after its restore's answer was lost", async () => {
    world.atPush();
    loseTheWriteThenStorm();
    const ran = await cli(["revert", "--last", "--yes"]);
    expect(writesOfThePage()).toEqual(["reset"]);
    expectGaveUp(ran, new RegExp(`Gave up reading page ${world.pageId}`));
  });

  it("revert, reading the tracker's schema for its entry (recorded in the mirror)", async () => {
    world.atPush();
    storm({ method: "GET", path: `/v1/data_sources/${world.trackerId}` });
    const ran = await cli(["revert", world.runId, "--yes", "--json"]);
    expect([0, 3], ran.stderr).toContain(ran.code);
    const result = JSON.parse(ran.stdout) as { tracker: { ok: boolean; reason?: string } };
    expect(result.tracker.reason).toMatch(/Gave up reading the tracker's schema/);
    const mirror = world.project.openMirror();
    try {
      const row = mirror.sqlite
        .prepare("SELECT summary_json AS summary FROM runs WHERE reverts_run_id = ?")
        .get(world.runId) as { summary: string };
      expect(row.summary).toMatch(/Gave up reading the tracker's schema/);
    } finally {
      mirror.close();
    }
    expectNoCanary({ stdout: ran.stdout, stderr: ran.stderr });
  });
});

/** A loopback port nothing listens on. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (!address || typeof address === "string") throw new Error("no port");
  return address.port;
}

describe("the library giving up on a 503 outage and on an unreachable Notion", () => {
  const outages: Array<[string, () => Promise<NotionApi>]> = [
    [
      "503 for every request",
      async () => {
        world.session.emulator.faults.add({ action: { type: "status", status: 503 } });
        return world.project.api({ maxBackoffMs: 1 });
      },
    ],
    [
      "an unreachable port",
      async () =>
        new NotionApi(
          { token: CANARY, baseUrl: `http://127.0.0.1:${await closedPort()}` },
          { rateLimit: Infinity, maxBackoffMs: 1, timeoutMs: 2_000 },
        ),
    ],
  ];
  const commands: Array<[string, () => void, (api: NotionApi) => Promise<unknown>]> = [
    [
      "pull",
      () => world.atPlan(),
      async (api) => {
        const mirror = world.project.openMirror();
        try {
          return await pullMirror(world.project.config, mirror, api, { full: true });
        } finally {
          mirror.close();
        }
      },
    ],
    [
      "push",
      () => world.atPlan(),
      async (api) => {
        const mirror = world.project.openMirror();
        try {
          return await pushRun(world.project.config, mirror, api, selectPushRun(mirror, undefined));
        } finally {
          mirror.close();
        }
      },
    ],
    [
      "revert",
      () => world.atPush(),
      async (api) => {
        const { snapshotsDir } = world.project.config;
        const mirror = world.project.openMirror();
        try {
          const target = locateRevertTarget(snapshotsDir, mirror, { runId: world.runId });
          return await revertRun(target, mirror, api, snapshotsDir);
        } finally {
          mirror.close();
        }
      },
    ],
  ];

  for (const [outage, makeApi] of outages) {
    for (const [name, at, run] of commands) {
      it(`${name}, on ${outage}`, async () => {
        at();
        const error: unknown = await run(await makeApi()).then(
          () => undefined,
          (thrown: unknown) => thrown,
        );
        expect(error).toBeInstanceOf(NotionMirrorError);
        const failure = error as NotionMirrorError;
        expect(failure.code).toBe("network");
        expect(failure.message).toMatch(GAVE_UP);
        expectNoCanary({
          rendered: renderError(failure),
          stack: String(failure.stack),
          inspected: inspect(failure, { depth: 10, showHidden: true }),
          json: JSON.stringify(failure),
        });
      });
    }
  }
});
