import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { SeedFile } from "../../src/emulator/seed-file.ts";
import { DEMO_FACTS } from "../../src/emulator/workspaces/demo/demo-facts.ts";
import type { EmulatorSession } from "../support/emulator.ts";
import { openEmulator } from "../support/emulator.ts";

let session: EmulatorSession;
let seed: SeedFile;

beforeAll(async () => {
  session = await openEmulator();
  seed = session.emulator.dump();
});
afterAll(() => session.stop());

describe("users", () => {
  it("GET /v1/users/me is the integration's bot, owned by the workspace", async () => {
    const me = await session.notion.users.me({});
    expect(me).toMatchObject({
      object: "user",
      id: seed.integration.bot_user_id,
      type: "bot",
      name: DEMO_FACTS.integrationName,
      bot: {
        owner: { type: "workspace", workspace: true },
        workspace_name: DEMO_FACTS.workspaceName,
      },
    });
  });

  it("GET /v1/users pages through every person and the bot", async () => {
    const ids: string[] = [];
    let cursor: string | undefined;
    let requests = 0;
    do {
      const answer = await session.notion.users.list({ page_size: 2, start_cursor: cursor });
      requests += 1;
      expect(answer.object).toBe("list");
      expect(answer.type).toBe("user");
      expect(answer.results.length).toBeLessThanOrEqual(2);
      ids.push(...answer.results.map((user) => user.id));
      expect(answer.has_more).toBe(answer.next_cursor !== null);
      cursor = answer.next_cursor ?? undefined;
    } while (cursor);
    expect(ids).toEqual(seed.users.map((user) => user.id));
    expect(requests).toBe(Math.ceil(seed.users.length / 2));
    expect(seed.users.filter((user) => user.type === "person")).toHaveLength(DEMO_FACTS.people);
  });

  it("GET /v1/users/{id} returns one user, and 404 for an unknown one", async () => {
    const person = seed.users.find((user) => user.type === "person");
    const answer = await session.notion.users.retrieve({ user_id: String(person?.id) });
    expect({ ...answer, request_id: undefined }).toEqual({ ...person, request_id: undefined });
    const error = await session.notion.users
      .retrieve({ user_id: "5e1f0000-0000-4000-8000-000000000000" })
      .catch((caught: unknown) => caught);
    expect(error).toMatchObject({ status: 404, code: "object_not_found" });
    expect((error as Error).message).toContain("Could not find user with ID");
  });

  it("refuses a page_size over 100", async () => {
    const error = await session.notion.users
      .list({ page_size: 101 })
      .catch((caught: unknown) => caught);
    expect(error).toMatchObject({ status: 400, code: "validation_error" });
  });
});
